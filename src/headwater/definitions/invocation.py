"""Calling a decorated op or asset directly, as in a unit test: ``my_asset(context, upstream=1)``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.definitions.inputs import NoValue
from headwater.errors import InvalidInvocationError

if TYPE_CHECKING:
    from headwater.definitions.op import OpDefinition


def _is_context(value: Any) -> bool:
    return bool(getattr(value, "_is_headwater_context", False))


def invoke_op_directly(op_def: OpDefinition, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
    sig = op_def.signature
    rest = list(args)
    given = dict(kwargs)
    context: Any = None
    if sig.context_param is not None:
        if rest and _is_context(rest[0]):
            context = rest.pop(0)
        elif sig.context_param in given:
            context = given.pop(sig.context_param)
        else:
            raise InvalidInvocationError(
                f"Decorated function '{op_def.name}' has context argument, but no context was provided when "
                "invoking. Pass one built with build_op_context() or build_asset_context()."
            )
    elif rest and _is_context(rest[0]):
        raise InvalidInvocationError(
            f"Decorated function '{op_def.name}' has no context argument, but a context was provided when invoking."
        )
    call: dict[str, Any] = {}
    if context is not None and hasattr(context, "bind_for_invocation"):
        context = context.bind_for_invocation(op_def)
    if sig.config_param is not None:
        if "config" in given:
            call["config"] = given.pop("config")
        else:
            raw = getattr(context, "op_config", None) if context is not None else None
            assert sig.config_class is not None
            try:
                call["config"] = sig.config_class(**(raw or {}))
            except Exception as exc:
                raise InvalidInvocationError(
                    f"'{op_def.name}' takes config of type {sig.config_class.__name__}; pass config=... when "
                    f"invoking it directly ({exc})."
                ) from exc
    for res_name in sig.resource_params:
        if res_name in given:
            call[res_name] = given.pop(res_name)
        elif context is not None and hasattr(getattr(context, "resources", None), res_name):
            call[res_name] = getattr(context.resources, res_name)
        else:
            raise InvalidInvocationError(
                f"'{op_def.name}' needs resource '{res_name}'; pass it as a keyword argument or on the context "
                "(build_op_context(resources={...}))."
            )
    params = sig.inputs
    if len(rest) > len(params):
        raise InvalidInvocationError(
            f"Too many input arguments were provided for '{op_def.name}': got {len(rest)} positional arguments, "
            f"it takes {len(params)} ({', '.join(p.name for p in params) or 'none'})."
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
            raise InvalidInvocationError(f"No value provided for required input \"{p.name}\" of '{op_def.name}'.")
    if given:
        if sig.has_kwargs:
            call.update(given)
        else:
            raise InvalidInvocationError(
                f"'{op_def.name}' got unexpected argument(s) {sorted(given)}; its inputs are "
                f"{', '.join(p.name for p in params) or 'none'}."
            )
    if sig.context_param is not None:
        return op_def.compute_fn(context, **call)
    return op_def.compute_fn(**call)
