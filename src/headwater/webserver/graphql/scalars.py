"""Scalars: ``JSON`` (any JSON value: run config, metadata values and event payloads in the codec's
form) and ``RunConfigData`` (Dagster's name for run config: an object, or its YAML/JSON text)."""

from __future__ import annotations

from typing import Any, NewType

import strawberry
from strawberry.scalars import JSON

__all__ = ["JSON", "SCALAR_MAP", "RunConfigData"]

RunConfigData = NewType("RunConfigData", object)


def _identity(value: Any) -> Any:
    return value


#: For ``StrawberryConfig(scalar_map=...)``.
SCALAR_MAP: dict[object, Any] = {
    RunConfigData: strawberry.scalar(
        name="RunConfigData",
        description="Run config: a JSON object (or a YAML/JSON string).",
        serialize=_identity,
        parse_value=_identity,
    )
}
