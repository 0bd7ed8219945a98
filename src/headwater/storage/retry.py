"""How long a store keeps trying when its database has gone away (stdlib only).

A write that fails because the database cannot be reached (connection refused, connection killed,
SQLite file not writable) is tried again after ``first_delay``, then after twice that, and so on up
to ``max_delay``, ``attempts`` times in all; then ``StorageUnavailableError`` reaches the caller.
The default is 5 attempts over about 10 seconds (pauses of 0.6, 1.2, 2.4 and 4.8 s).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from headwater.storage.errors import StorageConfigError


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    first_delay: float = 0.6
    max_delay: float = 5.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise StorageConfigError(f"RetryPolicy.attempts must be at least 1; got {self.attempts}.")
        if self.first_delay < 0 or self.max_delay < 0:
            raise StorageConfigError("RetryPolicy delays must not be negative.")

    def delays(self) -> Iterator[float]:
        """The pauses between attempts (``attempts - 1`` of them)."""
        delay = self.first_delay
        for _ in range(self.attempts - 1):
            yield min(delay, self.max_delay)
            delay *= 2

    @property
    def total_delay(self) -> float:
        return sum(self.delays())

    @staticmethod
    def from_config(config: Mapping[str, Any] | None, where: str = "storage.retry") -> RetryPolicy:
        """From ``headwater.yaml``'s ``{attempts: 5, first_delay: 0.6, max_delay: 5}`` (all optional)."""
        if not config:
            return RetryPolicy()
        allowed = ("attempts", "first_delay", "max_delay")
        if not isinstance(config, Mapping):
            raise StorageConfigError(f"{where} must be a mapping with keys {', '.join(allowed)}.")
        values: dict[str, Any] = {}
        for key, value in config.items():
            if key not in allowed:
                raise StorageConfigError(
                    f"Unknown key {key!r} at {where}. Allowed here: {', '.join(allowed)}."
                )
            try:
                values[key] = int(value) if key == "attempts" else float(value)
            except (TypeError, ValueError) as exc:
                raise StorageConfigError(f"{where}.{key} must be a number; got {value!r}.") from exc
        return RetryPolicy(**values)


#: No retries: fail at the first error (tests, and reads).
NO_RETRY = RetryPolicy(attempts=1)
