"""Scalars: ``JSON`` (any JSON value: run config, metadata values and event payloads in the codec's
form) and ``RunConfigData`` (Dagster's name for run config)."""

from __future__ import annotations

from typing import Any, NewType

import strawberry
from strawberry.scalars import JSON

__all__ = ["JSON", "RunConfigData"]


def _identity(value: Any) -> Any:
    return value


RunConfigData = strawberry.scalar(
    NewType("RunConfigData", object),
    name="RunConfigData",
    description="Run config: a JSON object (or a YAML/JSON string).",
    serialize=_identity,
    parse_value=_identity,
)
