"""RetryPolicy with backoff and jitter."""

from __future__ import annotations

import random
from enum import Enum

from headwater.errors import InvalidDefinitionError


class Backoff(Enum):
    LINEAR = "LINEAR"
    EXPONENTIAL = "EXPONENTIAL"


class Jitter(Enum):
    FULL = "FULL"
    PLUS_MINUS = "PLUS_MINUS"


class RetryPolicy:
    """How many times to retry a failed step, and how long to wait between attempts."""

    __slots__ = ("backoff", "delay", "jitter", "max_retries")

    def __init__(
        self,
        max_retries: int = 1,
        delay: float | None = None,
        backoff: Backoff | None = None,
        jitter: Jitter | None = None,
    ) -> None:
        if max_retries < 0:
            raise InvalidDefinitionError(f"RetryPolicy max_retries must be >= 0, got {max_retries}.")
        if (backoff is not None or jitter is not None) and delay is None:
            raise InvalidDefinitionError(
                "RetryPolicy: backoff and jitter need a delay; pass delay=<seconds>."
            )
        self.max_retries = max_retries
        self.delay = delay
        self.backoff = backoff
        self.jitter = jitter

    def calculate_delay(self, attempt_num: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before attempt ``attempt_num`` (1 = first retry)."""
        if self.delay is None:
            return 0.0
        if self.backoff is Backoff.EXPONENTIAL:
            base = self.delay * float(2**attempt_num - 1)
        elif self.backoff is Backoff.LINEAR:
            base = self.delay * attempt_num
        else:
            base = self.delay
        rand = (rng or random).random()
        if self.jitter is Jitter.FULL:
            return base * rand
        if self.jitter is Jitter.PLUS_MINUS:
            return max(0.0, base + self.delay * (rand * 2 - 1))
        return base

    def __repr__(self) -> str:
        return f"RetryPolicy(max_retries={self.max_retries}, delay={self.delay}, backoff={self.backoff})"
