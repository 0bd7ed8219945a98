"""Logging during a run: ``context.log`` and loggers from ``get_logger`` write to the event log.

Records are built directly (no logging.LogRecord on the hot path) and flushed with the step's events.
"""

from __future__ import annotations

import contextvars
import logging
from typing import TYPE_CHECKING, Any

from headwater.definitions.logger import BUILTIN_LOGGER_NAME
from headwater.events.event import EventLogEntry

if TYPE_CHECKING:
    from headwater.execution.run_context import RunContext

_console = logging.getLogger("headwater.run")

current_step: contextvars.ContextVar[tuple[RunContext, str | None] | None] = contextvars.ContextVar(
    "headwater_current_step", default=None
)


class RunLogger:
    """``context.log``: debug/info/warning/error/critical/exception, stored as run events."""

    __slots__ = ("_run", "_step_key")

    def __init__(self, run: RunContext | None, step_key: str | None) -> None:
        self._run = run
        self._step_key = step_key

    def log(self, level: int, msg: Any, *args: Any, **_: Any) -> None:
        text = str(msg) % args if args else str(msg)
        run = self._run
        if run is not None:
            run.add_entry(
                EventLogEntry(
                    run.run_id,
                    run.clock(),
                    None,
                    job_name=run.job_name,
                    step_key=self._step_key,
                    level=level,
                    user_message=text,
                )
            )
        if _console.isEnabledFor(level):
            where = f"{run.job_name} - {self._step_key or ''}" if run is not None else ""
            _console.log(level, "%s - %s", where, text)

    def debug(self, msg: Any, *args: Any, **kw: Any) -> None:
        self.log(logging.DEBUG, msg, *args, **kw)

    def info(self, msg: Any, *args: Any, **kw: Any) -> None:
        self.log(logging.INFO, msg, *args, **kw)

    def warning(self, msg: Any, *args: Any, **kw: Any) -> None:
        self.log(logging.WARNING, msg, *args, **kw)

    warn = warning

    def error(self, msg: Any, *args: Any, **kw: Any) -> None:
        self.log(logging.ERROR, msg, *args, **kw)

    def critical(self, msg: Any, *args: Any, **kw: Any) -> None:
        self.log(logging.CRITICAL, msg, *args, **kw)

    def exception(self, msg: Any, *args: Any, **kw: Any) -> None:
        self.log(logging.ERROR, msg, *args, **kw)

    def isEnabledFor(self, level: int) -> bool:
        return True


class _CaptureHandler(logging.Handler):
    """Copies records of ``get_logger`` loggers into the event log of the step that is running."""

    def emit(self, record: logging.LogRecord) -> None:
        current = current_step.get()
        if current is None:
            return
        run, step_key = current
        run.add_entry(
            EventLogEntry(
                run.run_id,
                run.clock(),
                None,
                job_name=run.job_name,
                step_key=step_key,
                level=record.levelno,
                user_message=record.getMessage(),
            )
        )


def install_capture() -> None:
    logger = logging.getLogger(BUILTIN_LOGGER_NAME)
    if not any(isinstance(h, _CaptureHandler) for h in logger.handlers):
        logger.addHandler(_CaptureHandler())
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.DEBUG)


install_capture()
