"""Attribute models of components: ``Resolvable`` classes are built from YAML ``attributes:``.

A ``Model`` (a pydantic model that forbids unknown fields) or a dataclass marked ``Resolvable`` is
validated by pydantic against its annotations; errors name the field and say what was expected.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

import pydantic

from headwater.definitions.component_context import ComponentLoadContext
from headwater.errors import InvalidDefinitionError

T = TypeVar("T", bound="Resolvable")


class Model(pydantic.BaseModel):
    """The base of component attribute models: fields from annotations, unknown fields refused."""

    model_config = pydantic.ConfigDict(extra="forbid", arbitrary_types_allowed=True)


class Resolvable:
    """Mark a ``Model`` or a dataclass as buildable from YAML attributes."""

    @classmethod
    def resolve_from_yaml(cls: type[T], attributes: Any, context: ComponentLoadContext) -> T:
        data = attributes if attributes is not None else {}
        if not isinstance(data, dict):
            raise InvalidDefinitionError(
                f"{cls.__name__}: `attributes:` must be a mapping of field names to values; got "
                f"{type(data).__name__}."
            )
        try:
            if issubclass(cls, pydantic.BaseModel):
                return cls.model_validate(data)  # type: ignore[return-value]
            if dataclasses.is_dataclass(cls):
                return pydantic.TypeAdapter(cls).validate_python(data)
            return cls(**data)
        except pydantic.ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or '(attributes)'}: {err['msg']}"
                for err in exc.errors()
            )
            raise InvalidDefinitionError(f"Invalid attributes for {cls.__name__}: {problems}.") from None
        except TypeError as exc:
            raise InvalidDefinitionError(f"Invalid attributes for {cls.__name__}: {exc}.") from None
