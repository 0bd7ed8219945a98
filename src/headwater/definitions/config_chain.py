"""``ConfigChain``: the config of a definition that ``.configured()`` can wrap (executors, loggers).

A chain is the definition's own schema, or -- after ``.configured(value_or_fn, config_schema)`` -- a
fixed value, or a function of config checked against a new schema, whose result is then checked
against the parent's schema (as Dagster's ``ConfiguredDefinitionConfigSchema``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from headwater.definitions.config_types import ConfigType, Field, convert_potential_field
from headwater.definitions.config_validation import process_config_value
from headwater.errors import InvalidConfigError


def is_config_fn(value: Any) -> bool:
    """A function of config (not a schema object, which may be callable too)."""
    return callable(value) and not isinstance(value, (type, ConfigType, Field))


class ConfigChain:
    __slots__ = ("field", "parent", "value_or_fn")

    def __init__(
        self, schema: Any = None, *, parent: ConfigChain | None = None, value_or_fn: Any = None
    ) -> None:
        self.field: Field | None = None if schema is None else convert_potential_field(schema)
        self.parent = parent
        self.value_or_fn = value_or_fn

    def configured(self, value_or_fn: Any, config_schema: Any = None) -> ConfigChain:
        """The chain of a ``.configured()`` copy: ``config_schema`` only applies to a function."""
        schema = config_schema if is_config_fn(value_or_fn) else None
        return ConfigChain(schema, parent=self, value_or_fn=value_or_fn)

    @property
    def is_required(self) -> bool:
        """Must run config give a value (a required field without default, and no fixed value)?"""
        if self.parent is not None and not is_config_fn(self.value_or_fn):
            return False
        return self.field is not None and self.field.is_required

    def process(
        self, raw: Any, *, path: Sequence[str] = ("config",), preamble: str = "Error in config"
    ) -> Any:
        """Check ``raw`` (None: not given) against the chain; the config the definition finally gets."""
        checked = self._check(raw, path, preamble)
        if self.parent is None:
            return checked
        inner = self.value_or_fn(checked) if is_config_fn(self.value_or_fn) else self.value_or_fn
        return self.parent.process(inner, path=path, preamble=preamble)

    def _check(self, raw: Any, path: Sequence[str], preamble: str) -> Any:
        if self.field is None:
            return raw
        value, errors = process_config_value(self.field, raw, path)
        if errors:
            raise InvalidConfigError(preamble, errors)
        return value
