"""``make_values_resource``: a resource whose value is its config (shared values for several ops)."""

from __future__ import annotations

from typing import Any

from headwater.definitions.config_types import Any as AnyType
from headwater.definitions.config_types import Field
from headwater.definitions.resource_context import InitResourceContext
from headwater.definitions.resources import ResourceDefinition


def _values(context: InitResourceContext) -> Any:
    return context.resource_config


def make_values_resource(**kwargs: Any) -> ResourceDefinition:
    """A resource whose value is its config: with keyword arguments, a dict of those fields
    (``make_values_resource(table=str, limit=Field(int, default_value=10))``); without, any config."""
    schema: Any = dict(kwargs) if kwargs else Field(AnyType)
    return ResourceDefinition(
        _values, config_schema=schema, description="A resource whose value is its config."
    )
