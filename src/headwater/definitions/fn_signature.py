"""Reading a compute function's signature: context, config, resource and input parameters."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any

import msgspec

from headwater.definitions.inputs import NoValue
from headwater.errors import InvalidDefinitionError

_CONTEXT_NAMES = frozenset({"context", "_context", "_", "ctx"})
_CONTEXT_CLASS_NAMES = frozenset(
    {"OpExecutionContext", "AssetExecutionContext", "AssetCheckExecutionContext", "HookContext"}
)
_RESOURCE_BASES = frozenset(
    {
        "ConfigurableResource",
        "ConfigurableResourceFactory",
        "ConfigurableIOManager",
        "ConfigurableIOManagerFactory",
        "TreatAsResourceParam",  # e.g. PipesSubprocessClient: a plain object taken as a resource
    }
)


class InputParam(msgspec.Struct, frozen=True):
    name: str
    annotation: Any
    default: Any  # NoValue when there is none


class ComputeSignature(msgspec.Struct):
    context_param: str | None = None
    config_param: str | None = None
    config_class: type | None = None
    resource_params: dict[str, Any] = msgspec.field(default_factory=dict)
    inputs: list[InputParam] = msgspec.field(default_factory=list)
    return_annotation: Any = inspect.Signature.empty
    is_generator: bool = False
    is_async: bool = False
    has_kwargs: bool = False


def _mro_names(annotation: Any) -> set[str]:
    if isinstance(annotation, type):
        return {c.__name__ for c in annotation.__mro__}
    return set()


def is_resource_annotation(annotation: Any) -> bool:
    if _mro_names(annotation) & _RESOURCE_BASES:
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        return any(
            "ResourceParam" in type(m).__name__ or m == "resource_param" for m in annotation.__metadata__
        )
    return False


def is_config_annotation(annotation: Any) -> bool:
    names = _mro_names(annotation)
    return "Config" in names and not (names & _RESOURCE_BASES)


def _is_context_annotation(annotation: Any) -> bool:
    return bool(_mro_names(annotation) & _CONTEXT_CLASS_NAMES)


def read_signature(fn: Callable[..., Any], *, decorator: str, allow_context: bool = True) -> ComputeSignature:
    """Classify each parameter of ``fn``; raise InvalidDefinitionError for shapes we cannot run."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError) as exc:
        raise InvalidDefinitionError(f"@{decorator} cannot read the signature of {fn!r}: {exc}") from exc
    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except Exception:
        hints = {}
    out = ComputeSignature(
        return_annotation=hints.get("return", sig.return_annotation),
        is_generator=inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn),
        is_async=inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn),
    )
    fn_name = getattr(fn, "__name__", repr(fn))
    for index, (name, param) in enumerate(sig.parameters.items()):
        annotation = hints.get(name, param.annotation)
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            out.has_kwargs = True
            continue
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            raise InvalidDefinitionError(
                f"@{decorator} '{fn_name}' takes *{name}; name each input as its own parameter instead."
            )
        if index == 0 and allow_context and (name in _CONTEXT_NAMES or _is_context_annotation(annotation)):
            out.context_param = name
            continue
        if _is_context_annotation(annotation):
            raise InvalidDefinitionError(
                f"@{decorator} '{fn_name}': the context parameter '{name}' must be the first parameter."
            )
        if name == "config" and is_config_annotation(annotation):
            out.config_param = name
            out.config_class = annotation
            continue
        if is_resource_annotation(annotation):
            out.resource_params[name] = annotation
            continue
        default = NoValue if param.default is inspect.Parameter.empty else param.default
        out.inputs.append(InputParam(name, annotation, default))
    return out
