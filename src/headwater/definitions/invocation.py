"""Calling a decorated op or asset directly, as in a unit test: ``my_asset(context, upstream=1)``."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.definitions.inputs import NoValue
from headwater.definitions.resource_context import Resources
from headwater.errors import InvalidInvocationError, ResourceNotFoundError, TypeCheckDidNotPass

if TYPE_CHECKING:
    from headwater.definitions.op import OpDefinition


def _is_context(value: Any) -> bool:
    return bool(getattr(value, "_is_headwater_context", False))


def invoke_op_directly(op_def: OpDefinition, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
    """Call ``op_def``'s function the way Dagster's direct invocation does: a context (if one is passed
    or needed), config, resources and inputs bound by name; input and output values type-checked."""
    sig = op_def.signature
    rest = list(args)
    given = dict(kwargs)
    context: Any = None
    if rest and _is_context(rest[0]):
        context = rest.pop(0)
    elif sig.context_param is not None and sig.context_param in given:
        context = given.pop(sig.context_param)
    elif sig.context_param is not None:
        raise InvalidInvocationError(
            f"Decorated function '{op_def.name}' has context argument '{sig.context_param}', but no value "
            "for "
            f"'{sig.context_param}' was found when invoking. Provided kwargs: {dict(kwargs)}"
        )
    passed = _separate_resources(op_def, rest, given)
    if context is not None and hasattr(context, "bind_for_invocation"):
        context = context.bind_for_invocation(op_def)
        if passed and _resource_names(context):
            raise InvalidInvocationError("Cannot provide resources in both context and kwargs")
        _check_required_resources(op_def, context, provided=set(passed))
    call: dict[str, Any] = {}
    if sig.config_param is not None:
        call["config"] = _config_arg(op_def, rest, given, context)
    for res_name in sig.resource_params:
        if res_name in passed:
            call[res_name] = passed[res_name]
        elif context is not None and res_name in _resource_names(context):
            call[res_name] = getattr(context.resources, res_name)
        else:
            raise InvalidInvocationError(
                f"'{op_def.name}' needs resource '{res_name}'; pass it as a keyword argument or on the "
                "context "
                "(build_op_context(resources={...}))."
            )
    with _resources_on_context(context, passed):
        return _invoke(op_def, context, call, rest, given)


def _invoke(
    op_def: OpDefinition, context: Any, call: dict[str, Any], rest: list[Any], given: dict[str, Any]
) -> Any:
    sig = op_def.signature
    params = sig.inputs
    if len(rest) > len(params):
        raise InvalidInvocationError(
            f"Too many input arguments were provided for op '{op_def.name}'. This may be because an "
            "argument was "
            "provided for the context parameter, but no context parameter was defined for the op."
        )
    for p, value in zip(params, rest, strict=False):
        call[p.name] = value
    for p in params[len(rest) :]:
        if p.name in given:
            call[p.name] = given.pop(p.name)
        elif p.default is not NoValue:
            call[p.name] = p.default
        elif op_def.input_types.get(p.name) is not None and op_def.input_types[p.name].is_nothing:
            continue
        else:
            raise InvalidInvocationError(f'No value provided for required input "{p.name}".')
    if given:
        if sig.has_kwargs:
            call.update(given)
        else:
            raise InvalidInvocationError(
                f"'{op_def.name}' got unexpected argument(s) {sorted(given)}; its inputs are "
                f"{', '.join(p.name for p in params) or 'none'}."
            )
    for p in params:
        if p.name in call:
            _type_check(op_def, "input", p.name, op_def.input_types.get(p.name), call[p.name], context)
    if sig.context_param is not None:
        result = op_def.compute_fn(context, **call)
    else:
        result = op_def.compute_fn(**call)
    if len(op_def.outs) == 1 and not sig.is_generator and not sig.is_async:
        (out_name,) = op_def.outs
        value = getattr(result, "value", result) if type(result).__name__ == "Output" else result
        _type_check(op_def, "output", out_name, op_def.output_types.get(out_name), value, context)
    return result


def _separate_resources(op_def: OpDefinition, rest: list[Any], given: dict[str, Any]) -> dict[str, Any]:
    """Take the values for resource parameters out of the call's arguments (``rest``, ``given``): by
    keyword, or by position where a positional argument falls on a resource parameter (as Dagster binds
    them). A positional argument that falls on ``config`` becomes the ``config`` keyword."""
    sig = op_def.signature
    positional = _positional_names(op_def)
    passed: dict[str, Any] = {}
    inputs: list[Any] = []
    for index, value in enumerate(rest):
        name = positional[index] if index < len(positional) else None
        if name is not None and name in sig.resource_params:
            passed[name] = value
        elif name is not None and name == sig.config_param and "config" not in given:
            given["config"] = value
        else:
            inputs.append(value)
    rest[:] = inputs
    for name in sig.resource_params:
        if name in given:
            passed[name] = given.pop(name)
    return passed


def _positional_names(op_def: OpDefinition) -> list[str]:
    """The function's parameters after the context that can be passed by position, in order."""
    sig = op_def.signature
    try:
        params = inspect.signature(op_def.compute_fn).parameters.values()
    except (TypeError, ValueError):
        return [p.name for p in sig.inputs]
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in params if p.kind in kinds and p.name != sig.context_param]


@contextlib.contextmanager
def _resources_on_context(context: Any, passed: Mapping[str, Any]) -> Iterator[None]:
    """Resources passed as arguments are the context's resources while the function runs (Dagster)."""
    if not passed or context is None or not hasattr(context, "_resources"):
        yield
        return
    saved = context._resources
    context._resources = Resources(passed)
    try:
        yield
    finally:
        context._resources = saved


def _config_arg(op_def: OpDefinition, rest: list[Any], given: dict[str, Any], context: Any) -> Any:
    config_class = op_def.signature.config_class
    assert config_class is not None
    if "config" in given:
        return given.pop("config")
    if rest and isinstance(rest[0], config_class):
        return rest.pop(0)
    raw = getattr(context, "op_config", None) if context is not None else None
    if isinstance(raw, config_class):
        return raw
    try:
        return config_class(**(raw or {}))
    except Exception as exc:
        raise InvalidInvocationError(
            f"'{op_def.name}' takes config of type {config_class.__name__}; pass config=... when invoking it "
            f"directly ({exc})."
        ) from exc


def _resource_names(context: Any) -> set[str]:
    resources = getattr(context, "resources", None)
    try:
        return set(resources) if resources is not None else set()
    except TypeError:
        return set()


def _check_required_resources(op_def: OpDefinition, context: Any, provided: set[str]) -> None:
    available = _resource_names(context) | provided
    for key in sorted(op_def.required_resource_keys):
        if key not in available:
            raise ResourceNotFoundError(
                f"resource with key '{key}' required by op '{op_def.name}' was not provided. Please provide "
                "a "
                f"ResourceDefinition to key '{key}', or change the required key to one of the following "
                "keys which "
                f"points to an ResourceDefinition: {sorted(available)}"
            )


def _type_check(
    op_def: OpDefinition, kind: str, name: str, dagster_type: Any, value: Any, context: Any
) -> None:
    if dagster_type is None or dagster_type.type_check_fn is None or dagster_type.is_nothing:
        return
    check = dagster_type.type_check(context, value)
    if not check.success:
        raise TypeCheckDidNotPass(
            f'Type check failed for op "{op_def.name}" {kind} "{name}" - expected type '
            f'"{dagster_type.display_name}". '
            f"Description: {check.description}",
            metadata=check.metadata,
            dagster_type=dagster_type,
        )
