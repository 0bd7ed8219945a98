"""``Config`` and ``PermissiveConfig``: pydantic models whose fields are an op's, asset's or resource's
config; and the translation of such a class into a config schema (so run config is checked with the
same rules and messages as a legacy ``config_schema``).
"""

from __future__ import annotations

import enum as py_enum
import functools
import types
import typing as t
import weakref
from collections.abc import Mapping, Sequence

import pydantic
from pydantic import BaseModel, ConfigDict

from headwater.core.env_var import EnvVar, IntEnvVar
from headwater.definitions import config_types as ct
from headwater.errors import InvalidInvocationError


def _strip_annotated(annotation: t.Any) -> t.Any:
    while t.get_origin(annotation) is t.Annotated:
        annotation = t.get_args(annotation)[0]
    return annotation


def _optional_inner(annotation: t.Any) -> t.Any | None:
    """``X`` for ``Optional[X]`` / ``X | None``; None otherwise."""
    if t.get_origin(annotation) in (t.Union, types.UnionType):
        args = [a for a in t.get_args(annotation) if a is not type(None)]
        if len(args) == 1 and len(t.get_args(annotation)) == 2:
            return args[0]
    return None


def _placeholder_for(annotation: t.Any, value: t.Any) -> t.Any:
    """A value that passes pydantic validation for ``annotation`` while an EnvVar stands in for it."""
    annotation = _strip_annotated(annotation)
    if _optional_inner(annotation) is not None:
        return None
    return {int: 0, float: 0.0, bool: False}.get(annotation, value)


class Config(BaseModel):
    """Config for an op, asset or resource, as a frozen pydantic model.

    ``class MyConfig(Config): x: int; name: str = "a"`` — an op or asset whose function takes
    ``config: MyConfig`` gets its config from ``run_config["ops"][<name>]["config"]``. Fields may hold an
    ``EnvVar``, resolved at run time.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", arbitrary_types_allowed=True, ignored_types=(functools.cached_property,)
    )

    def __init__(self, **data: t.Any) -> None:
        deferred: dict[str, t.Any] | None = None
        for key, value in data.items():
            if isinstance(value, (EnvVar, IntEnvVar)):
                deferred = deferred or {}
                deferred[key] = value
        if deferred is None:
            super().__init__(**data)
            return
        fields = type(self).model_fields
        patched = dict(data)
        for key, value in deferred.items():
            if key in fields:
                patched[key] = _placeholder_for(fields[key].annotation, value)
        super().__init__(**patched)
        for key, value in deferred.items():
            if key in fields:
                self.__dict__[key] = value

    def __setattr__(self, name: str, value: t.Any) -> None:
        if name.startswith("_"):
            super().__setattr__(name, value)
            return
        raise InvalidInvocationError(
            f"'{type(self).__name__}' is a Pythonic config class and does not support item assignment, as it "
            "inherits from 'pydantic.BaseModel' with frozen=True."
        )

    @classmethod
    def _hw_resource_field_names(cls) -> frozenset[str]:
        """Fields that hold resources rather than config (none for plain Config)."""
        return frozenset()


class PermissiveConfig(Config):
    """A Config that also accepts (and keeps) fields it does not declare."""

    model_config = ConfigDict(extra="allow")


def is_config_class(obj: object) -> bool:
    return isinstance(obj, type) and issubclass(obj, Config)


# ---- class -> schema --------------------------------------------------------------------------------

_CLASS_TYPES: weakref.WeakKeyDictionary[type, ct.Shape] = weakref.WeakKeyDictionary()
_SEQUENCES = {list, Sequence, t.List, t.Sequence, tuple, set, frozenset}  # noqa: UP006
_MAPPINGS = {dict, Mapping, t.Dict, t.Mapping}  # noqa: UP006
_SOURCES: dict[object, ct.ConfigType] = {
    int: ct.IntSource,
    str: ct.StringSource,
    bool: ct.BoolSource,
    float: ct.Float,
}


def config_type_for_annotation(annotation: t.Any) -> ct.ConfigType:
    """The config type for a pydantic field annotation; types config cannot express become ``Any``."""
    annotation = _strip_annotated(annotation)
    source = _SOURCES.get(annotation)
    if source is not None:
        return source
    inner = _optional_inner(annotation)
    if inner is not None:
        return ct.Noneable(config_type_for_annotation(inner))
    origin = t.get_origin(annotation)
    args = t.get_args(annotation)
    if origin is t.Literal:
        if args and all(isinstance(a, str) for a in args):
            return ct.Enum(f"Literal[{', '.join(repr(a) for a in args)}]", [ct.EnumValue(a) for a in args])
        return ct.Any
    if annotation in _SEQUENCES or origin in _SEQUENCES:
        if origin is tuple and (len(args) != 2 or args[1] is not Ellipsis):
            return ct.Any
        return ct.Array(config_type_for_annotation(args[0]) if args else ct.Any)
    if annotation in _MAPPINGS or origin in _MAPPINGS:
        if not args:
            return ct.Permissive()
        key_type = ct.resolve_to_config_type(args[0]) if args[0] in (str, int, float, bool) else None
        if key_type is None:
            return ct.Any
        return ct.Map(key_type, config_type_for_annotation(args[1]))
    if isinstance(annotation, type):
        if issubclass(annotation, py_enum.Enum):
            return ct.Enum.from_python_enum(annotation)
        if issubclass(annotation, Config):
            return config_type_for_class(annotation)
    return ct.Any


def to_config_value(value: t.Any) -> t.Any:
    """A python value as run config would spell it (``EnvVar("X")`` -> ``{"env": "X"}``)."""
    if isinstance(value, (EnvVar, IntEnvVar)):
        return {"env": value.env_var_name}
    if isinstance(value, Config):
        return config_dict_of(value)
    if isinstance(value, py_enum.Enum):
        return value.name
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_config_value(v) for v in value]
    if isinstance(value, Mapping):
        return {k: to_config_value(v) for k, v in value.items()}
    return value


def config_dict_of(obj: Config) -> dict[str, t.Any]:
    """The config fields of a Config (or resource) instance, as run config would spell them."""
    skip = type(obj)._hw_resource_field_names()
    out = {
        info.alias or name: to_config_value(obj.__dict__[name])
        for name, info in type(obj).model_fields.items()
        if name not in skip and name in obj.__dict__
    }
    extra = obj.__pydantic_extra__
    if extra:
        out.update({k: to_config_value(v) for k, v in extra.items()})
    return out


def _is_literal(config_type: ct.ConfigType) -> bool:
    return isinstance(config_type, ct.Enum) and config_type.name.startswith("Literal[")


def _field_default(info: pydantic.fields.FieldInfo) -> t.Any:
    if info.is_required():
        return ct.NO_DEFAULT
    return to_config_value(info.get_default(call_default_factory=True))


def _make_shape(cls: type[Config], defaults: Mapping[str, t.Any] | None) -> ct.Shape:
    skip = cls._hw_resource_field_names()
    fields: dict[str, ct.Field] = {}
    for name, info in cls.model_fields.items():
        if name in skip:
            continue
        config_type = config_type_for_annotation(info.annotation)
        default = defaults[name] if defaults is not None and name in defaults else _field_default(info)
        # A field with an alias is configured under its alias (``schema_ = Field(alias="schema")``).
        key = info.alias or name
        if defaults is not None and key in defaults:
            default = defaults[key]
        if default is ct.NO_DEFAULT:
            fields[key] = ct.Field(config_type, description=info.description)
        else:
            nested = is_config_class(_strip_annotated(info.annotation))
            if not isinstance(config_type, ct.Noneable) and not nested and not _is_literal(config_type):
                config_type = ct.Noneable(config_type)  # as Dagster prints it: ``b?: String?``
            fields[key] = ct.Field(config_type, default_value=default, description=info.description)
    shape_cls = ct.Permissive if cls.model_config.get("extra") == "allow" else ct.Shape
    shape = shape_cls(description=cls.__doc__ if cls.__doc__ and cls.__module__ != __name__ else None)
    shape.fields = fields
    return shape


def config_type_for_class(cls: type[Config]) -> ct.Shape:
    """The schema of a Config class (cached per class)."""
    shape = _CLASS_TYPES.get(cls)
    if shape is None:
        shape = _make_shape(cls, None)
        _CLASS_TYPES[cls] = shape
    return shape


def config_type_for_instance(obj: Config) -> ct.Shape:
    """The schema of a Config/resource instance: its given values become the fields' defaults."""
    return _make_shape(type(obj), config_dict_of(obj))


def config_type_with_defaults(cls: type[Config], defaults: Mapping[str, t.Any]) -> ct.Shape:
    """The schema of ``cls`` with ``defaults`` (config-value spelling) as the fields' defaults."""
    return _make_shape(cls, {k: to_config_value(v) for k, v in defaults.items()})


def pydantic_error_entries(
    error: pydantic.ValidationError, path: Sequence[str]
) -> list[tuple[str, tuple[str, ...]]]:
    """(message, path) for each problem pydantic found building a config object from checked values."""
    from headwater.definitions.config_validation import render_path

    out = []
    for item in error.errors():
        where = (*path, *(str(p) for p in item.get("loc", ())))
        out.append(
            (
                f"Invalid value at path {render_path(where)}: {item.get('msg')} "
                f"(value {item.get('input')!r}, checked by {error.title}).",
                where,
            )
        )
    return out
