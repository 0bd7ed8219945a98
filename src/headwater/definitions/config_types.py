"""The legacy config schema vocabulary: Field, Shape, Permissive, Selector, Array, Noneable, Map, Enum,
the *Source scalars and Any; plus turning plain python types and dicts into those.

A schema is a tree of ``ConfigType`` objects; ``Field`` wraps a type with requiredness, a default and a
description. ``convert_potential_field`` accepts what users write (``int``, ``{"a": str}``, ``[int]``,
``Field(...)``, a ``Config`` class) and returns a ``Field``.
"""

from __future__ import annotations

import enum as py_enum
import typing as t
from collections.abc import Mapping, Sequence

from headwater.errors import InvalidDefinitionError


class _NoDefault:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: t.Final = _NoDefault()


class ConfigType:
    """Base of every config type."""

    __slots__ = ("description",)
    kind: t.ClassVar[str] = "any"

    def __init__(self, description: str | None = None) -> None:
        self.description = description

    def type_str(self) -> str:
        """The compact form used in error messages, e.g. ``{ a: Int b?: String }``."""
        raise NotImplementedError

    def sample(self) -> t.Any:
        """A minimal example value, used in "missing config" messages."""
        return "<unknown>"

    def implicit_default(self) -> t.Any:
        """The value an absent, not-required field of this type gets (NO_DEFAULT: none)."""
        return NO_DEFAULT

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.type_str()})"


class Scalar(ConfigType):
    __slots__ = ("_sample", "name")
    kind = "scalar"

    def __init__(self, name: str, sample: t.Any) -> None:
        super().__init__(None)
        self.name = name
        self._sample = sample

    def type_str(self) -> str:
        return self.name

    def sample(self) -> t.Any:
        return self._sample


class AnyType(ConfigType):
    __slots__ = ()
    kind = "any"

    def type_str(self) -> str:
        return "Any"

    def sample(self) -> t.Any:
        return "AnyType"


class Field:
    """A config field: ``Field(int, default_value=3, is_required=False, description="...")``."""

    __slots__ = ("config_type", "default_value", "description", "is_required", "is_secret")

    def __init__(
        self,
        config: t.Any,
        default_value: t.Any = NO_DEFAULT,
        is_required: bool | None = None,
        description: str | None = None,
        is_secret: bool = False,
    ) -> None:
        self.config_type: ConfigType = resolve_to_config_type(config)
        self.description = description
        self.is_secret = is_secret
        if default_value is not NO_DEFAULT:
            if is_required:
                raise InvalidDefinitionError(
                    "A Field cannot both be required (is_required=True) and have a default_value; "
                    f"drop one of them (default_value={default_value!r})."
                )
            self.default_value = default_value
            self.is_required = False
        elif is_required is None:
            implicit = self.config_type.implicit_default()
            self.default_value = implicit
            self.is_required = implicit is NO_DEFAULT
        else:
            self.default_value = NO_DEFAULT
            self.is_required = is_required

    @property
    def default_provided(self) -> bool:
        return self.default_value is not NO_DEFAULT

    def __repr__(self) -> str:
        extra = "" if self.default_value is NO_DEFAULT else f", default_value={self.default_value!r}"
        return f"Field({self.config_type.type_str()}, is_required={self.is_required}{extra})"


def _fields_str(fields: Mapping[str, Field]) -> str:
    if not fields:
        return "{ }"
    parts = [
        f"{name}{'' if f.is_required else '?'}: {f.config_type.type_str()}"
        for name, f in sorted(fields.items())
    ]
    return "{ " + " ".join(parts) + " }"


class Shape(ConfigType):
    """A dict with known keys: ``Shape({"a": int, "b": Field(str, is_required=False)})``."""

    __slots__ = ("fields",)
    kind = "shape"

    def __init__(self, fields: Mapping[str, t.Any] | None = None, description: str | None = None) -> None:
        super().__init__(description)
        self.fields: dict[str, Field] = {
            name: convert_potential_field(value, path=(name,)) for name, value in (fields or {}).items()
        }

    def type_str(self) -> str:
        return _fields_str(self.fields)

    def sample(self) -> t.Any:
        return {name: f.config_type.sample() for name, f in self.fields.items() if f.is_required}

    def implicit_default(self) -> t.Any:
        if any(f.is_required for f in self.fields.values()):
            return NO_DEFAULT
        return {}


class Permissive(Shape):
    """A dict that allows keys beyond the declared ones (kept as given)."""

    __slots__ = ()
    kind = "permissive"


class Selector(ConfigType):
    """A dict with exactly one of the declared keys: ``Selector({"env": str, "value": str})``."""

    __slots__ = ("fields",)
    kind = "selector"

    def __init__(self, fields: Mapping[str, t.Any], description: str | None = None) -> None:
        super().__init__(description)
        self.fields: dict[str, Field] = {
            name: convert_potential_field(value, path=(name,)) for name, value in fields.items()
        }

    def type_str(self) -> str:
        return _fields_str(self.fields)

    def sample(self) -> t.Any:
        return "<selector>"

    def implicit_default(self) -> t.Any:
        if len(self.fields) == 1:
            (name, field), *_ = self.fields.items()
            if field.default_provided:
                return {name: field.default_value}
        return NO_DEFAULT


class Array(ConfigType):
    __slots__ = ("inner_type",)
    kind = "array"

    def __init__(self, inner_type: t.Any, description: str | None = None) -> None:
        super().__init__(description)
        self.inner_type = resolve_to_config_type(inner_type)

    def type_str(self) -> str:
        return f"[{self.inner_type.type_str()}]"

    def sample(self) -> t.Any:
        return []


class Noneable(ConfigType):
    __slots__ = ("inner_type",)
    kind = "noneable"

    def __init__(self, inner_type: t.Any) -> None:
        super().__init__(None)
        self.inner_type = resolve_to_config_type(inner_type)

    def type_str(self) -> str:
        return f"{self.inner_type.type_str()}?"

    def implicit_default(self) -> t.Any:
        return None


class Map(ConfigType):
    """A dict with arbitrary keys of one scalar type: ``Map(str, int)``."""

    __slots__ = ("inner_type", "key_label_name", "key_type")
    kind = "map"

    def __init__(self, key_type: t.Any, inner_type: t.Any, key_label_name: str | None = None) -> None:
        super().__init__(None)
        self.key_type = resolve_to_config_type(key_type)
        if not isinstance(self.key_type, Scalar):
            raise InvalidDefinitionError(
                f"Map keys must be a scalar type (str, int, float, bool); got {self.key_type.type_str()}."
            )
        self.inner_type = resolve_to_config_type(inner_type)
        self.key_label_name = key_label_name

    def type_str(self) -> str:
        return f"{{ [{self.key_type.type_str()}]: {self.inner_type.type_str()} }}"

    def sample(self) -> t.Any:
        return {}


class EnumValue:
    """One value of a config ``Enum``: the string users write, and the python value it becomes."""

    __slots__ = ("config_value", "description", "python_value")

    def __init__(self, config_value: str, python_value: t.Any = None, description: str | None = None) -> None:
        self.config_value = config_value
        self.python_value = config_value if python_value is None else python_value
        self.description = description


class Enum(ConfigType):
    """A string from a fixed set: ``Enum("Color", [EnumValue("RED"), EnumValue("BLUE")])``."""

    __slots__ = ("by_config_value", "enum_values", "name")
    kind = "enum"

    def __init__(self, name: str, enum_values: Sequence[EnumValue]) -> None:
        super().__init__(None)
        self.name = name
        self.enum_values = list(enum_values)
        self.by_config_value = {v.config_value: v.python_value for v in self.enum_values}

    @classmethod
    def from_python_enum(cls, enum_type: type[py_enum.Enum], name: str | None = None) -> Enum:
        """An Enum whose config values are the members' names and whose Python values are the members."""
        return cls(name or enum_type.__name__, [EnumValue(m.name, python_value=m) for m in enum_type])

    @classmethod
    def from_python_enum_direct_values(cls, enum_type: type[py_enum.Enum], name: str | None = None) -> Enum:
        """As ``from_python_enum``, with the members' values (``Color.RED.value``) as the Python values."""
        return cls(name or enum_type.__name__, [EnumValue(m.name, python_value=m.value) for m in enum_type])

    def type_str(self) -> str:
        return self.name

    def sample(self) -> t.Any:
        return self.enum_values[0].config_value if self.enum_values else "<unknown>"


class ScalarUnion(ConfigType):
    """A scalar, or a dict of a non-scalar schema (``StringSource`` is ``String | {env: String}``)."""

    __slots__ = ("non_scalar_type", "scalar_type")
    kind = "scalar_union"

    def __init__(self, scalar_type: t.Any, non_scalar_schema: t.Any) -> None:
        super().__init__(None)
        self.scalar_type = resolve_to_config_type(scalar_type)
        self.non_scalar_type = resolve_to_config_type(non_scalar_schema)

    def type_str(self) -> str:
        return f"({self.scalar_type.type_str()} | {self.non_scalar_type.type_str()})"

    def sample(self) -> t.Any:
        return self.scalar_type.sample()


class SourceType(ScalarUnion):
    """A scalar that may also be read from an environment variable: ``{"env": "NAME"}``."""

    __slots__ = ()
    kind = "source"


def _definition_error(original: object, path: Sequence[str]) -> InvalidDefinitionError:
    where = f" at {':'.join(path)}" if path else ""
    return InvalidDefinitionError(
        f"Error defining config{where}: {original!r} cannot be used as a config schema. A schema can be "
        "a Field; a python type int, float, bool, str, list or dict; a config type (Shape, Permissive, "
        "Selector, Array, Noneable, Map, Enum, StringSource, IntSource, BoolSource, Any); a dict whose "
        "values are schemas; a list with one schema, e.g. [int]; or a Config class."
    )


def resolve_to_config_type(obj: t.Any, path: Sequence[str] = ()) -> ConfigType:
    """The ConfigType for a schema-like object (not a Field)."""
    if isinstance(obj, ConfigType):
        return obj
    scalar = _PYTHON_SCALARS.get(obj) if isinstance(obj, type) else None
    if scalar is not None:
        return scalar
    if obj is t.Any or obj is object:
        return Any
    if obj is dict or obj is t.Dict:  # noqa: UP006
        return Permissive()
    if obj is list or obj is t.List:  # noqa: UP006
        return Array(Any)
    if isinstance(obj, Mapping):
        return Shape(obj)
    if isinstance(obj, list):
        if len(obj) != 1:
            raise _definition_error(obj, path)
        return Array(resolve_to_config_type(obj[0], path))
    if isinstance(obj, type) and issubclass(obj, py_enum.Enum):
        return Enum.from_python_enum(obj)
    if isinstance(obj, Field):
        raise InvalidDefinitionError(
            f"A Field cannot be used as a type{' at ' + ':'.join(path) if path else ''}: "
            "use Field only for the values of a config dict, or at the top of a config_schema."
        )
    if isinstance(obj, type):
        from headwater.definitions.config_class import config_type_for_class, is_config_class

        if is_config_class(obj):
            return config_type_for_class(obj)
    raise _definition_error(obj, path)


def convert_potential_field(obj: t.Any, path: Sequence[str] = ()) -> Field:
    """A Field for anything a user may write as a config schema."""
    if isinstance(obj, Field):
        return obj
    return Field(resolve_to_config_type(obj, path))


def iter_child_types(config_type: ConfigType) -> t.Iterator[ConfigType]:
    if isinstance(config_type, (Shape, Selector)):
        for f in config_type.fields.values():
            yield f.config_type
    elif isinstance(config_type, (Array, Noneable, Map)):
        yield config_type.inner_type
    elif isinstance(config_type, ScalarUnion):
        yield config_type.scalar_type
        yield config_type.non_scalar_type


Int: t.Final = Scalar("Int", 0)
Float: t.Final = Scalar("Float", 0.0)
Bool: t.Final = Scalar("Bool", True)
String: t.Final = Scalar("String", "...")
Any: t.Final = AnyType()
StringSource: t.Final = SourceType(String, Selector({"env": String}))
IntSource: t.Final = SourceType(Int, Selector({"env": String}))
BoolSource: t.Final = SourceType(Bool, Selector({"env": String}))

_PYTHON_SCALARS: dict[object, ConfigType] = {int: Int, float: Float, bool: Bool, str: String}
