"""Loggers as definitions: ``LoggerDefinition``, ``@logger``, ``InitLoggerContext``,
``build_init_logger_context`` and the built-in ``colored_console_logger`` / ``json_console_logger``.

A job's loggers (``@job(logger_defs=...)``, else ``Definitions(loggers=...)``, else
``{"console": colored_console_logger}``) are built for a run when its run config names them under
``loggers:`` (``{console: {config: {log_level: DEBUG}}}``); each then receives every log record of the
run -- ``context.log`` messages, ``get_dagster_logger`` records and the run's events -- as Python
``logging`` records carrying ``dagster_meta`` (run id, job, step key, the event), as in Dagster.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Mapping
from typing import Any, overload

from headwater.definitions.config_chain import ConfigChain
from headwater.definitions.config_types import Field
from headwater.errors import InvalidDefinitionError, InvalidInvocationError

LoggerFunction = Callable[["InitLoggerContext"], logging.Logger]


class InitLoggerContext:
    """What a logger function receives: its processed ``logger_config``, the definition, the job and run."""

    def __init__(
        self,
        logger_config: Any,
        logger_def: LoggerDefinition | None = None,
        job_def: Any = None,
        run_id: str | None = None,
    ) -> None:
        self.logger_config = logger_config
        self.logger_def = logger_def
        self.job_def = job_def
        self.run_id = run_id


class LoggerDefinition:
    """A logger: a function of an ``InitLoggerContext`` returning a ``logging.Logger``; a config schema."""

    def __init__(
        self, logger_fn: LoggerFunction, config_schema: Any = None, description: str | None = None
    ) -> None:
        if not callable(logger_fn):
            raise InvalidDefinitionError(
                f"logger_fn must be a function of an InitLoggerContext; got {logger_fn!r}."
            )
        self._logger_fn = logger_fn
        self._config_schema = config_schema
        self._description = description
        self.config_chain = ConfigChain(config_schema)

    @property
    def logger_fn(self) -> LoggerFunction:
        return self._logger_fn

    @property
    def config_schema(self) -> Any:
        return self._config_schema

    @property
    def description(self) -> str | None:
        return self._description

    def configured(
        self, config_or_config_fn: Any, config_schema: Any = None, description: str | None = None
    ) -> LoggerDefinition:
        """A copy whose config is fixed, or computed by a function from config checked against
        ``config_schema``."""
        out = LoggerDefinition(self._logger_fn, config_schema, description or self._description)
        out.config_chain = self.config_chain.configured(config_or_config_fn, config_schema)
        return out

    def process_config(self, raw: Any, *, path: tuple[str, ...] = ("config",), preamble: str = "") -> Any:
        return self.config_chain.process(raw, path=path, preamble=preamble or "Error in logger config")

    def build(self, raw_config: Any, *, job_def: Any = None, run_id: str | None = None) -> logging.Logger:
        """Check ``raw_config`` and call the logger function (the caller wraps user errors)."""
        config = self.process_config(raw_config)
        made = self._logger_fn(InitLoggerContext(config, self, job_def, run_id))
        if not isinstance(made, logging.Logger):
            raise InvalidInvocationError(
                f"Logger function {getattr(self._logger_fn, '__name__', self._logger_fn)!r} must return a "
                f"logging.Logger; got {made!r}."
            )
        return made

    def __call__(self, context: InitLoggerContext | None = None) -> logging.Logger:
        """Direct invocation (tests): ``my_logger(build_init_logger_context(logger_config={...}))``."""
        if context is not None and not isinstance(context, InitLoggerContext):
            raise InvalidInvocationError(
                "A logger is invoked with an InitLoggerContext (build_init_logger_context(...)); got "
                f"{type(context).__name__}."
            )
        given = context or InitLoggerContext(None)
        return self.build(given.logger_config, job_def=given.job_def, run_id=given.run_id)

    def __repr__(self) -> str:
        return f"<LoggerDefinition {getattr(self._logger_fn, '__name__', '?')}>"


@overload
def logger(config_schema: LoggerFunction) -> LoggerDefinition: ...


@overload
def logger(
    config_schema: Any = None, description: str | None = None
) -> Callable[[LoggerFunction], LoggerDefinition]: ...


def logger(
    config_schema: Any = None, description: str | None = None
) -> LoggerDefinition | Callable[[LoggerFunction], LoggerDefinition]:
    """``@logger`` or ``@logger(config_schema, description)`` on a function of an ``InitLoggerContext``
    returning a ``logging.Logger``."""
    if callable(config_schema) and not isinstance(config_schema, (type, Field)):
        return LoggerDefinition(config_schema, None, description)
    return lambda fn: LoggerDefinition(fn, config_schema, description)


def build_init_logger_context(logger_config: Any = None, job_def: Any = None) -> InitLoggerContext:
    """An ``InitLoggerContext`` for invoking a logger directly in tests."""
    return InitLoggerContext(logger_config, None, job_def, None)


def _console_schema(what: str) -> Field:
    return Field(
        {
            "log_level": Field(
                str, is_required=False, default_value="INFO", description="The logger's threshold."
            ),
            "name": Field(
                str, is_required=False, default_value="dagster", description="The name of your logger."
            ),
        },
        description=what,
    )


def _level(name: Any) -> int:
    level = logging.getLevelName(str(name).upper())
    if not isinstance(level, int):
        raise InvalidInvocationError(
            f"log_level {name!r} is not a logging level; use DEBUG, INFO, WARNING, ERROR or CRITICAL."
        )
    return level


def _console(init_context: InitLoggerContext, formatter: logging.Formatter) -> logging.Logger:
    config = init_context.logger_config or {}
    made = logging.getLoggerClass()(
        config.get("name", "dagster"), level=_level(config.get("log_level", "INFO"))
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    made.addHandler(handler)
    return made


@logger(_console_schema("The default colored console logger."), "The default colored console logger.")
def colored_console_logger(init_context: InitLoggerContext) -> logging.Logger:
    """Run logs on stderr, one line each (``time - name - LEVEL - message``); colored on a terminal."""
    colored = sys.stderr.isatty()
    return _console(init_context, _ColorFormatter() if colored else logging.Formatter(_FORMAT))


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(record.__dict__, default=str)


@logger(_console_schema("A JSON-formatted console logger."), "A JSON-formatted console logger.")
def json_console_logger(init_context: InitLoggerContext) -> logging.Logger:
    """Run logs on stderr as one JSON object per record."""
    return _console(init_context, _JsonFormatter())


_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
_COLORS = {logging.DEBUG: "\033[34m", logging.INFO: "\033[32m", logging.WARNING: "\033[33m"}


class _ColorFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        color = _COLORS.get(record.levelno, "\033[31m")
        return f"{color}{super().format(record)}\033[0m"


def default_loggers() -> Mapping[str, LoggerDefinition]:
    return {"console": colored_console_logger}
