"""The loggers of one run (``loggers:`` in run config): their config, building them, and sending them
the run's log records.

Only loggers named in the run config are built (as in Dagster); a run without any costs nothing here.
Each record is a ``logging.LogRecord`` whose message reads as Dagster's (``job - run_id - step - text``
for log messages, ``job - run_id - pid - step - EVENT_TYPE - text`` for events) and which carries
``dagster_meta`` (run id, job name, step key, op name, the original message and the event).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater.definitions.config_validation import ConfigEvaluationError, location
from headwater.errors import (
    ConfigErrorEntry,
    InvalidConfigError,
    InvalidInvocationError,
    UserCodeExecutionError,
)
from headwater.events.event import EventLogEntry
from headwater.execution.boundary import user_code_error_boundary

if TYPE_CHECKING:
    from headwater.definitions.job import JobDefinition


class LoggerInitError(UserCodeExecutionError):
    """A logger function raised while the run's loggers were built."""


def process_logger_config(job: JobDefinition, shape: Mapping[str, Any]) -> dict[str, Any]:
    """The processed config of each logger named under ``loggers:``; raises InvalidConfigError."""
    given = shape.get("loggers") or {}
    if not given:
        return {}
    defs = job.loggers
    errors: list[ConfigErrorEntry] = []
    out: dict[str, Any] = {}
    for key, entry in given.items():
        path = ("loggers", key)
        if key not in defs:
            errors.append(
                ConfigEvaluationError(
                    f'Received unexpected config entry "{key}" at path root:loggers. Expected config only '
                    f"for the loggers {sorted(defs)} of job {job.name}.",
                    ("loggers",),
                    "FIELD_NOT_DEFINED",
                )
            )
            continue
        entry = entry if entry is not None else {}
        if not isinstance(entry, Mapping) or set(entry) - {"config"}:
            errors.append(
                ConfigEvaluationError(
                    f'Value {location(path)} must be a dict of the form "{{ config: ... }}"; got {entry!r}.',
                    path,
                    "FIELD_NOT_DEFINED",
                )
            )
            continue
        try:
            out[key] = defs[key].process_config(entry.get("config"), path=(*path, "config"))
        except InvalidConfigError as exc:
            errors.extend(exc.errors)
    if errors:
        raise InvalidConfigError(f"Error in config for job {job.name}", errors)
    return out


def build_loggers(job: JobDefinition, configs: Mapping[str, Any], run_id: str) -> list[logging.Logger]:
    """Call the logger function of each configured logger (user code: through the boundary)."""
    from headwater.definitions.logger_definition import InitLoggerContext

    defs = job.loggers
    out: list[logging.Logger] = []
    for key, config in configs.items():
        definition = defs[key]
        with user_code_error_boundary(LoggerInitError, f"Error while building logger '{key}':"):
            made = definition.logger_fn(InitLoggerContext(config, definition, job, run_id))
        if not isinstance(made, logging.Logger):
            raise InvalidInvocationError(
                f"The function of logger '{key}' must return a logging.Logger; got {made!r}."
            )
        out.append(made)
    return out


def send(loggers: list[logging.Logger], entry: EventLogEntry, pid: int, tags: Mapping[str, str]) -> None:
    """Hand one stored entry to each logger, as Dagster's log manager does."""
    level = entry.level
    event = entry.dagster_event
    step = entry.step_key
    if event is None:
        text = entry.user_message
        parts = [entry.job_name or "", entry.run_id, *([step] if step else []), text]
    else:
        text = event.message or ""
        kind = event.event_type.name
        parts = [entry.job_name or "", entry.run_id, str(pid), *([step] if step else []), kind, text]
    meta = {
        "run_id": entry.run_id,
        "job_name": entry.job_name,
        "job_tags": dict(tags),
        "step_key": step,
        "op_name": step.split(".")[-1].split("[")[0] if step else None,
        "resource_name": None,
        "resource_fn_name": None,
        "orig_message": text,
        "log_message_id": None,
        "log_timestamp": entry.timestamp,
        "dagster_event": event,
        "dagster_event_batch_metadata": None,
    }
    message = " - ".join(parts)
    for target in loggers:
        if target.isEnabledFor(level):
            target.log(level, message, extra={"dagster_meta": meta})
