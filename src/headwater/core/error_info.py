"""ErrorInfo: an exception turned into plain data (message, stack, class name, cause)."""

from __future__ import annotations

import traceback

from headwater.core.value import Value


class ErrorInfo(Value, omit_defaults=True, frozen=True):
    message: str
    stack: tuple[str, ...]
    cls_name: str | None
    cause: ErrorInfo | None = None
    context: ErrorInfo | None = None

    def to_string(self) -> str:
        text = self.message.rstrip() + "\n\nStack Trace:\n" + "".join(self.stack)
        if self.cause is not None:
            text += "\nThe above exception was caused by the following exception:\n" + self.cause.to_string()
        return text

    @staticmethod
    def from_exception(exc: BaseException) -> ErrorInfo:
        """The exception, its stack and its ``__cause__`` chain as data. A class that declares its own
        ``stored_name`` (``headwater.errors``: Dagster's name for it) is stored under that name."""
        tb = traceback.TracebackException.from_exception(exc)
        message = "".join(tb.format_exception_only())
        cls = type(exc)
        cls_name = cls.__name__
        stored = cls.__dict__.get("stored_name")
        if isinstance(stored, str):
            qualified = f"{cls.__module__}.{cls.__qualname__}"
            if message.startswith(qualified):
                message = stored + message[len(qualified) :]
            cls_name = stored.rpartition(".")[2]
        cause = ErrorInfo.from_exception(exc.__cause__) if exc.__cause__ is not None else None
        return ErrorInfo(message=message, stack=tuple(tb.stack.format()), cls_name=cls_name, cause=cause)
