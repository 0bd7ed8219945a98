"""get_dagster_logger / get_logger: Python loggers whose records land in the run's event log."""

from __future__ import annotations

import logging

ROOT_LOGGER_NAME = "headwater"
BUILTIN_LOGGER_NAME = "headwater.builtin"


def get_logger(name: str | None = None) -> logging.Logger:
    """A logger whose messages, emitted while a step runs, are captured into that run's event log."""
    return logging.getLogger(BUILTIN_LOGGER_NAME if not name else f"{BUILTIN_LOGGER_NAME}.{name}")


def get_dagster_logger(name: str | None = None) -> logging.Logger:
    """Dagster's name for :func:`get_logger`."""
    return get_logger(name)
