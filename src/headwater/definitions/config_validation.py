"""Validate a config value against a schema in one pass: check types, apply defaults, resolve env vars.

Error texts follow Dagster's, so messages users know (and search for) read the same:
``Missing required config entry "x" at path root:ops:my_op:config. ...``.
"""

from __future__ import annotations

import typing as t
from collections.abc import Mapping, Sequence

from headwater.core.env_var import EnvVar, EnvVarUnsetError, IntEnvVar
from headwater.definitions.config_types import (
    NO_DEFAULT,
    AnyType,
    Array,
    ConfigType,
    Enum,
    Field,
    Map,
    Noneable,
    Permissive,
    Scalar,
    ScalarUnion,
    Selector,
    Shape,
    SourceType,
)
from headwater.errors import ConfigErrorEntry, InvalidConfigError

Path = tuple[str, ...]


class ConfigEvaluationError(ConfigErrorEntry):
    """A ConfigErrorEntry whose message already says where (``... at path root:a:b``)."""

    __slots__ = ("reason",)

    def __init__(self, message: str, path: Sequence[str], reason: str) -> None:
        super().__init__(message, path)
        self.reason = reason

    def __str__(self) -> str:
        return self.message


def render_path(path: Sequence[str]) -> str:
    """``("ops", "a", "[1]")`` -> ``root:ops:a[1]``."""
    out = "root"
    for part in path:
        out += part if part.startswith("[") else ":" + part
    return out


def location(path: Sequence[str]) -> str:
    return f"at path {render_path(path)}" if path else "at the root"


class _Evaluator:
    __slots__ = ("errors",)

    def __init__(self) -> None:
        self.errors: list[ConfigErrorEntry] = []

    def fail(self, message: str, path: Path, reason: str) -> None:
        self.errors.append(ConfigEvaluationError(message, path, reason))

    # -- dispatch ---------------------------------------------------------------------------------

    def process(self, ct: ConfigType, value: t.Any, path: Path) -> t.Any:
        value_type = type(value)
        if value_type is EnvVar or value_type is IntEnvVar or isinstance(value, (EnvVar, IntEnvVar)):
            return self._process_env_var(ct, value, path)
        if value is None:
            if isinstance(ct, (Noneable, AnyType)):
                return None
            self.fail(f'Value {location(path)} must not be None. Expected "{ct.type_str()}"', path, "NONE")
            return None
        handler = _HANDLERS.get(type(ct))
        if handler is None:
            handler = _handler_for(type(ct))
        return handler(self, ct, value, path)

    def _noneable(self, ct: Noneable, value: t.Any, path: Path) -> t.Any:
        return self.process(ct.inner_type, value, path)

    def _any(self, ct: ConfigType, value: t.Any, path: Path) -> t.Any:
        return value

    # -- kinds ------------------------------------------------------------------------------------

    def _scalar(self, ct: Scalar, value: t.Any, path: Path) -> t.Any:
        if ct.name == "Int":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif ct.name == "String":
            ok = isinstance(value, str)
        elif ct.name == "Bool":
            ok = isinstance(value, bool)
        else:  # Float
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if ok:
                return float(value)
        if not ok:
            self.fail(
                f'Invalid scalar {location(path)}. Value "{value}" of type "{type(value)}" is not valid '
                f'for expected type "{ct.name}".',
                path,
                "RUNTIME_TYPE_MISMATCH",
            )
        return value

    def _shape(self, ct: Shape, value: t.Any, path: Path) -> t.Any:
        if not isinstance(value, Mapping):
            self.fail(
                f'Value {location(path)} must be dict. Expected: "{ct.type_str()}".',
                path,
                "RUNTIME_TYPE_MISMATCH",
            )
            return value
        fields = ct.fields
        if not isinstance(ct, Permissive):
            unexpected = [k for k in value if k not in fields]
            if len(unexpected) == 1:
                self.fail(
                    f'Received unexpected config entry "{unexpected[0]}" {location(path)}. '
                    f'Expected: "{ct.type_str()}".',
                    path,
                    "FIELD_NOT_DEFINED",
                )
            elif unexpected:
                self.fail(
                    f'Received unexpected config entries "{sorted(unexpected)}" {location(path)}. '
                    f'Expected: "{sorted(fields)}."',
                    path,
                    "FIELDS_NOT_DEFINED",
                )
        missing = sorted(name for name, f in fields.items() if f.is_required and name not in value)
        if missing:
            self._missing(ct, missing, path)
        out: dict[str, t.Any] = {}
        for name in fields:  # in the schema's order, as Dagster returns them
            f = fields[name]
            if name in value:
                out[name] = self.process(f.config_type, value[name], (*path, name))
            elif f.default_value is not NO_DEFAULT:
                out[name] = self.process(f.config_type, f.default_value, (*path, name))
        if isinstance(ct, Permissive):
            for key, raw in value.items():
                if key not in fields:
                    out[key] = raw
        return out

    def _missing(self, ct: Shape, missing: list[str], path: Path) -> None:
        sample = {name: ct.fields[name].config_type.sample() for name in missing}
        if len(missing) == 1:
            self.fail(
                f'Missing required config entry "{missing[0]}" {location(path)}. You must provide this value '
                f"in your run config. Example config for the missing entry: {sample}",
                path,
                "MISSING_REQUIRED_FIELD",
            )
        else:
            self.fail(
                f"Missing required config entries {missing} {location(path)}. You must provide these values "
                f"in your run config. Example config for the missing entries: {sample}",
                path,
                "MISSING_REQUIRED_FIELDS",
            )

    def _selector(self, ct: Selector, value: t.Any, path: Path) -> t.Any:
        if not isinstance(value, Mapping):
            self.fail(
                f'Value {location(path)} must be dict. Expected: "{ct.type_str()}".',
                path,
                "RUNTIME_TYPE_MISMATCH",
            )
            return value
        unexpected = [k for k in value if k not in ct.fields]
        if unexpected:
            self.fail(
                f'Received unexpected config entry "{unexpected[0]}" {location(path)}. '
                f'Expected: "{ct.type_str()}".',
                path,
                "FIELD_NOT_DEFINED",
            )
            return value
        if len(value) > 1:
            self.fail(
                f"You can only specify a single field {location(path)}. You specified {list(value)}. "
                f"The available fields are {list(ct.fields)}",
                path,
                "SELECTOR_FIELD_ERROR",
            )
            return value
        if not value:
            if len(ct.fields) == 1:
                (name, f), *_ = ct.fields.items()
                if f.default_provided:
                    return {name: self.process(f.config_type, f.default_value, (*path, name))}
                self.fail(
                    f"Must specify the required field {location(path)}. Defined fields: {list(ct.fields)}",
                    path,
                    "SELECTOR_FIELD_ERROR",
                )
            else:
                self.fail(
                    f"Must specify a field {location(path)} if more than one field is defined. "
                    f"Defined fields: {list(ct.fields)}",
                    path,
                    "SELECTOR_FIELD_ERROR",
                )
            return value
        (name, raw), *_ = value.items()
        f = ct.fields[name]
        if raw is None and f.default_value is not NO_DEFAULT:
            raw = f.default_value
        return {name: self.process(f.config_type, raw, (*path, name))}

    def _array(self, ct: Array, value: t.Any, path: Path) -> t.Any:
        if not isinstance(value, (list, tuple)):
            self.fail(
                f'Value {location(path)} must be list. Expected: "{ct.type_str()}"',
                path,
                "RUNTIME_TYPE_MISMATCH",
            )
            return value
        inner = ct.inner_type
        if isinstance(inner, AnyType):
            return list(value)
        return [self.process(inner, item, (*path, f"[{i}]")) for i, item in enumerate(value)]

    def _map(self, ct: Map, value: t.Any, path: Path) -> t.Any:
        if not isinstance(value, Mapping):
            self.fail(
                f'Value {location(path)} must be dict. Expected: "{ct.type_str()}".',
                path,
                "RUNTIME_TYPE_MISMATCH",
            )
            return value
        out: dict[t.Any, t.Any] = {}
        for key, raw in value.items():
            key_path = (*path, repr(key))
            new_key = self.process(ct.key_type, key, (*key_path, "key"))
            out[new_key] = self.process(ct.inner_type, raw, (*key_path, "value"))
        return out

    def _enum(self, ct: Enum, value: t.Any, path: Path) -> t.Any:
        if not isinstance(value, str):
            for enum_value in ct.enum_values:  # a python value given directly (e.g. an Enum member)
                if enum_value.python_value is value or enum_value.python_value == value:
                    return enum_value.python_value
            self.fail(
                f"Value {location(path)} for enum type {ct.name} must be a string",
                path,
                "RUNTIME_TYPE_MISMATCH",
            )
            return value
        if value not in ct.by_config_value:
            self.fail(
                f"Value {location(path)} not in enum type {ct.name} got {value}",
                path,
                "RUNTIME_TYPE_MISMATCH",
            )
            return value
        return ct.by_config_value[value]

    def _scalar_union(self, ct: ScalarUnion, value: t.Any, path: Path) -> t.Any:
        if not isinstance(value, Mapping):
            return self.process(ct.scalar_type, value, path)
        before = len(self.errors)
        selected = self.process(ct.non_scalar_type, value, path)
        if len(self.errors) > before or not isinstance(ct, SourceType):
            return selected
        return self._read_env(ct.scalar_type, selected["env"], value, path)

    # -- env vars ---------------------------------------------------------------------------------

    def _process_env_var(self, ct: ConfigType, value: EnvVar | IntEnvVar, path: Path) -> t.Any:
        target = ct.inner_type if isinstance(ct, Noneable) else ct
        if isinstance(target, ScalarUnion):
            target = target.scalar_type
        if isinstance(value, IntEnvVar) and not isinstance(target, Scalar):
            target = _INT
        return self._read_env(target, value.env_var_name, {"env": value.env_var_name}, path)

    def _read_env(self, target: ConfigType, name: str, original: t.Any, path: Path) -> t.Any:
        try:
            raw = EnvVar(name).resolve()
        except EnvVarUnsetError as exc:
            self._post_processing_failed(original, str(exc), path)
            return None
        if not isinstance(target, Scalar):
            return raw if isinstance(target, AnyType) else self.process(target, raw, path)
        if target.name == "String":
            return raw
        if target.name == "Bool":
            return raw.lower() not in {"false", "none", "0", ""}
        try:
            return int(raw) if target.name == "Int" else float(raw)
        except ValueError:
            kind = "an int" if target.name == "Int" else "a float"
            self._post_processing_failed(
                original, f'Value stored in env variable "{name}" cannot be coerced into {kind}.', path
            )
            return None

    def _post_processing_failed(self, original: t.Any, why: str, path: Path) -> None:
        self.fail(
            f"Post processing {location(path)} of original value {original} failed: {why}",
            path,
            "FAILED_POST_PROCESSING",
        )


_INT = Scalar("Int", 0)

_Handler = t.Callable[[_Evaluator, t.Any, t.Any, Path], t.Any]
_BY_KIND: list[tuple[type[ConfigType], _Handler]] = [
    (Noneable, _Evaluator._noneable),
    (Scalar, _Evaluator._scalar),
    (Shape, _Evaluator._shape),  # and Permissive
    (ScalarUnion, _Evaluator._scalar_union),  # and the *Source types
    (Selector, _Evaluator._selector),
    (Array, _Evaluator._array),
    (Map, _Evaluator._map),
    (Enum, _Evaluator._enum),
    (ConfigType, _Evaluator._any),
]
_HANDLERS: dict[type[ConfigType], _Handler] = {}


def _handler_for(kind: type[ConfigType]) -> _Handler:
    for base, handler in _BY_KIND:
        if issubclass(kind, base):
            _HANDLERS[kind] = handler
            return handler
    raise AssertionError(kind)  # pragma: no cover - every kind is a ConfigType


def process_config_value(
    field: Field, value: t.Any, path: Sequence[str] = ()
) -> tuple[t.Any, list[ConfigErrorEntry]]:
    """Validate ``value`` for ``field`` (``None`` = not given); returns (processed value, errors).

    A value that is not given takes the field's default; a required field that is not given is reported
    as a missing entry of its parent (``path[:-1]``) named ``path[-1]``.
    """
    ev = _Evaluator()
    path = tuple(path)
    if value is None:
        if field.default_value is not NO_DEFAULT:
            return ev.process(field.config_type, field.default_value, path), ev.errors
        if field.is_required:
            _missing_top(ev, field, path)
            return None, ev.errors
        if isinstance(field.config_type, (Shape, Permissive)):
            return ev.process(field.config_type, {}, path), ev.errors
        return None, ev.errors
    return ev.process(field.config_type, value, path), ev.errors


def _missing_top(ev: _Evaluator, field: Field, path: Path) -> None:
    if path:
        name, parent = path[-1], path[:-1]
        ev.fail(
            f'Missing required config entry "{name}" {location(parent)}. You must provide this value in your '
            f"run config. Example config for the missing entry: { {name: field.config_type.sample()} }",
            path,
            "MISSING_REQUIRED_FIELD",
        )
    else:
        ev.fail(
            "Missing required config at the root. You must provide this value in your run config. "
            f"Example config: {field.config_type.sample()!r}",
            path,
            "MISSING_REQUIRED_FIELD",
        )


def validate_config(
    schema: t.Any, value: t.Any, *, path: Sequence[str] = (), preamble: str = "Error in config"
) -> t.Any:
    """Process ``value`` against ``schema`` (anything ``convert_potential_field`` takes); raise on errors."""
    from headwater.definitions.config_types import convert_potential_field

    processed, errors = process_config_value(convert_potential_field(schema), value, path)
    if errors:
        raise InvalidConfigError(preamble, errors)
    return processed
