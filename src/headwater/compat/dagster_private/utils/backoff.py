"""``dagster._utils.backoff``: retry a call with growing delays (Dagster's helpers, same signatures)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")

BACKOFF_MAX_RETRIES = 4


def exponential_delay_generator(base_delay: float = 0.1, backoff_factor: float = 2.0) -> Iterator[float]:
    """``base_delay``, then each delay ``backoff_factor`` times the last, without end."""
    delay = base_delay
    while True:
        yield delay
        delay = delay * backoff_factor


def backoff(
    fn: Callable[..., T],
    retry_on: tuple[type[BaseException], ...],
    args: Sequence[object] | None = None,
    kwargs: Mapping[str, object] | None = None,
    max_retries: int = BACKOFF_MAX_RETRIES,
    delay_generator: Iterator[float] | None = None,
) -> T:
    """Call ``fn(*args, **kwargs)``; on an exception of a ``retry_on`` class, sleep the next delay and call
    again, up to ``max_retries`` more times; then raise the last exception."""
    if not callable(fn):
        raise TypeError(f"backoff: fn must be callable, got {fn!r}.")
    if not isinstance(retry_on, tuple):
        raise TypeError(f"backoff: retry_on must be a tuple of exception classes, got {retry_on!r}.")
    delays = delay_generator if delay_generator is not None else exponential_delay_generator()
    call_args, call_kwargs = list(args or ()), dict(kwargs or {})
    try:
        return fn(*call_args, **call_kwargs)
    except retry_on as exc:
        last: BaseException = exc
    for _ in range(max_retries):
        time.sleep(next(delays))
        try:
            return fn(*call_args, **call_kwargs)
        except retry_on as exc:
            last = exc
    raise last


async def async_backoff(
    fn: Callable[..., Awaitable[T]],
    retry_on: Callable[[BaseException], bool],
    args: Sequence[object] | None = None,
    kwargs: Mapping[str, object] | None = None,
    max_retries: int = BACKOFF_MAX_RETRIES,
    delay_generator: Iterator[float] | None = None,
) -> T:
    """``backoff`` for a coroutine function; ``retry_on`` decides, for each exception, whether to retry."""
    import asyncio  # only coroutines need it (~60 ms to import)

    delays = delay_generator if delay_generator is not None else exponential_delay_generator()
    call_args, call_kwargs = list(args or ()), dict(kwargs or {})
    try:
        return await fn(*call_args, **call_kwargs)
    except BaseException as exc:
        if not retry_on(exc):
            raise
        last: BaseException = exc
    for _ in range(max_retries):
        await asyncio.sleep(next(delays))
        try:
            return await fn(*call_args, **call_kwargs)
        except BaseException as exc:
            if not retry_on(exc):
                raise
            last = exc
    raise last


__all__ = ["BACKOFF_MAX_RETRIES", "async_backoff", "backoff", "exponential_delay_generator"]
