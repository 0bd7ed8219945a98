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
        tb = traceback.TracebackException.from_exception(exc)
        message = "".join(tb.format_exception_only())
        cause = ErrorInfo.from_exception(exc.__cause__) if exc.__cause__ is not None else None
        return ErrorInfo(
            message=message,
            stack=tuple(tb.stack.format()),
            cls_name=type(exc).__name__,
            cause=cause,
        )
