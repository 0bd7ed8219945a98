"""Values and errors a warm-pool step worker ships back to its parent, pickled.

Output values go only when small (``dumps_limited`` stops at the limit); errors go as themselves when
they pickle, else by parts (class, args, attributes) for classes whose ``__init__`` takes other
arguments, else as text only.
"""

from __future__ import annotations

import io
import pickle
import traceback
from typing import Any


class _TooBig(Exception):
    pass


class _LimitedBuffer(io.RawIOBase):
    def __init__(self, limit: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        n = len(data)
        self.size += n
        if self.size > self.limit:
            raise _TooBig
        self.parts.append(bytes(data))
        return n


def dumps_limited(value: Any, limit: int) -> bytes | None:
    """``pickle.dumps(value)``, or None when it is bigger than ``limit`` bytes (stops early) or fails."""
    buf = _LimitedBuffer(limit)
    try:
        pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    except Exception:
        return None
    return b"".join(buf.parts)


def rebuild_exception(
    cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]
) -> BaseException:
    """An exception of class ``cls`` without calling its ``__init__`` (which may take other arguments)."""
    exc = cls.__new__(cls, *args)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class _ByParts:
    """Pickles an exception as (class, args, attributes), for classes whose ``__init__`` does not take
    ``*args`` (plain pickling fails for them when loading)."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def __reduce__(self) -> tuple[Any, ...]:
        exc = self.exc
        return rebuild_exception, (type(exc), exc.args, dict(getattr(exc, "__dict__", {})))


def ship_error(exc: BaseException | None) -> tuple[bytes | None, str | None]:
    """``exc`` pickled (or None when it cannot be) and its one-line text."""
    if exc is None:
        return None, None
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    for candidate in (exc, _ByParts(exc)):
        try:
            data = pickle.dumps(candidate, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.loads(data)  # an exception whose __init__ takes other arguments fails here, not in dumps
        except Exception:
            continue
        return data, text
    return None, text
