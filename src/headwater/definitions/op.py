"""Ops: the unit of computation, and the @op decorator."""

from __future__ import annotations

import copy
import inspect
import typing
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from typing import Any, overload

from headwater.definitions.fn_signature import ComputeSignature, read_signature
from headwater.definitions.inputs import In, NoValue
from headwater.definitions.node import NodeDefinition, check_valid_name
from headwater.definitions.outputs import DynamicOut, Out
from headwater.definitions.retry import RetryPolicy
from headwater.definitions.tags import normalize_tags
from headwater.definitions.type_resolution import resolve_dagster_type
from headwater.definitions.types import NOTHING_TYPE, DagsterType
from headwater.errors import InvalidDefinitionError, InvalidInvocationError


class OpDefinition(NodeDefinition):
    """An op: a compute function with named inputs and outputs, config and required resources."""

    def __init__(
        self,
        compute_fn: Callable[..., Any],
        name: str,
        ins: Mapping[str, In] | None = None,
        outs: Mapping[str, Out] | None = None,
        description: str | None = None,
        config_schema: Any = None,
        required_resource_keys: set[str] | None = None,
        tags: Mapping[str, str] | None = None,
        retry_policy: RetryPolicy | None = None,
        code_version: str | None = None,
        pool: str | None = None,
        *,
        signature: ComputeSignature | None = None,
        decorator: str = "op",
    ) -> None:
        self.name = check_valid_name(name, what="Op")
        self.compute_fn = compute_fn
        self.signature = signature or read_signature(compute_fn, decorator=decorator)
        self.ins: dict[str, In] = dict(ins or {})
        self.outs: dict[str, Out] = dict(outs if outs is not None else {"result": Out()})
        self.description = description
        self.config_schema = config_schema
        self.required_resource_keys = set(required_resource_keys or ()) | set(self.signature.resource_params)
        self.tags = normalize_tags(tags)
        self.retry_policy = retry_policy
        self.code_version = code_version
        self.pool = pool
        # (original schema, fixed value or function of the new config, new schema) after .configured()
        self.configured_from: tuple[Any, Any, Any] | None = None
        self.input_types: dict[str, DagsterType] = {
            n: resolve_dagster_type(i.dagster_type if i.dagster_type is not NoValue else _ann_for(self, n))
            for n, i in self.ins.items()
        }
        self.output_types: dict[str, DagsterType] = {
            n: _output_type(self, n, o) for n, o in self.outs.items()
        }
        if self.signature.config_class is not None and config_schema is not None:
            raise InvalidDefinitionError(
                f"@{decorator} '{name}' has both a config_schema and a 'config' parameter annotated with a "
                "Config "
                "class; use one of them."
            )

    def configured(
        self,
        config_or_config_fn: Any,
        name: str,
        config_schema: Any = None,
        description: str | None = None,
    ) -> OpDefinition:
        """A copy of this op named ``name`` whose config is fixed (or computed from ``config_schema``)."""
        new = copy.copy(self)
        new.name = check_valid_name(name, what="Op")
        new.description = description or self.description
        new.configured_from = (self.config_schema, config_or_config_fn, config_schema)
        new.config_schema = config_schema
        return new

    @property
    def positional_inputs(self) -> list[str]:
        return [p.name for p in self.signature.inputs]

    @property
    def has_dynamic_output(self) -> bool:
        return any(o.is_dynamic for o in self.outs.values())

    def __repr__(self) -> str:
        return f"<OpDefinition {self.name}>"

    def direct_invoke(self, *args: Any, **kwargs: Any) -> Any:
        from headwater.definitions.invocation import invoke_op_directly

        return invoke_op_directly(self, args, kwargs)


def _ann_for(op: OpDefinition, input_name: str) -> Any:
    for p in op.signature.inputs:
        if p.name == input_name:
            return p.annotation if p.annotation is not inspect.Parameter.empty else Any
    return Any


def _output_type(op: OpDefinition, name: str, out: Out) -> DagsterType:
    if out.dagster_type is not NoValue:
        return resolve_dagster_type(out.dagster_type)
    ret = op.signature.return_annotation
    if len(op.outs) == 1 and ret is not inspect.Parameter.empty and not op.signature.is_generator:
        if isinstance(ret, str):
            return resolve_dagster_type(Any)
        if ret is None or ret is type(None):
            return NOTHING_TYPE
        if out.is_dynamic and typing.get_origin(ret) in (list, typing.Iterator, Iterator, Generator):
            args = typing.get_args(ret)  # list[DynamicOutput[int]] -> DynamicOutput[int]
            ret = args[0] if args else Any
        wrapper = typing.get_origin(ret) or ret
        if getattr(wrapper, "__name__", "") in {
            "Output",
            "MaterializeResult",
            "ObserveResult",
            "DynamicOutput",
        }:
            args = typing.get_args(ret)
            return resolve_dagster_type(args[0] if args else Any)
        return resolve_dagster_type(ret)
    return resolve_dagster_type(Any)


def build_ins(
    signature: ComputeSignature, ins: Mapping[str, In] | None, *, fn_name: str, decorator: str
) -> dict[str, In]:
    """Inputs from the function's parameters, overridden by explicit ``ins``."""
    explicit = dict(ins or {})
    out: dict[str, In] = {}
    param_names = {p.name for p in signature.inputs}
    missing = [
        name
        for name in explicit
        if name not in param_names
        and explicit[name].dagster_type is not _nothing()
        and not signature.has_kwargs
    ]
    if missing:
        listed = ", ".join(f"'{m}'" for m in missing)
        raise InvalidDefinitionError(
            f"@{decorator} '{fn_name}' decorated function does not have argument(s) {listed}. "
            f"@{decorator}-decorated functions should have an argument for each of their Ins, except for Ins "
            "that have the Nothing dagster_type. Alternatively, they can accept **kwargs."
        )
    for p in signature.inputs:
        given = explicit.pop(p.name, None)
        if given is None:
            given = In(default_value=p.default)
        elif p.default is not NoValue and given.default_value is NoValue:
            given = In(
                given.dagster_type,
                given.description,
                p.default,
                given.metadata,
                given.asset_key,
                None,
                given.input_manager_key,
            )
        out[p.name] = given
    out.update(explicit)
    return out


def _nothing() -> Any:
    from headwater.definitions.types import Nothing

    return Nothing


@overload
def op(compute_fn: Callable[..., Any], /) -> OpDefinition: ...


@overload
def op(
    compute_fn: None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    ins: Mapping[str, In] | None = None,
    out: Out | Mapping[str, Out] | None = None,
    config_schema: Any = None,
    required_resource_keys: set[str] | None = None,
    tags: Mapping[str, str] | None = None,
    retry_policy: RetryPolicy | None = None,
    code_version: str | None = None,
    pool: str | None = None,
) -> Callable[[Callable[..., Any]], OpDefinition]: ...


def op(
    compute_fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    ins: Mapping[str, In] | None = None,
    out: Out | Mapping[str, Out] | None = None,
    config_schema: Any = None,
    required_resource_keys: set[str] | None = None,
    tags: Mapping[str, str] | None = None,
    retry_policy: RetryPolicy | None = None,
    code_version: str | None = None,
    pool: str | None = None,
) -> OpDefinition | Callable[[Callable[..., Any]], OpDefinition]:
    """Define an op from a function, the way Dagster's ``@op`` does."""

    def build(fn: Callable[..., Any]) -> OpDefinition:
        signature = read_signature(fn, decorator="op")
        fn_name = getattr(fn, "__name__", "op")
        if isinstance(out, Out):
            outs: dict[str, Out] = {"result": out}
        elif out is None:
            outs = {"result": Out()}
        elif isinstance(out, Mapping):
            outs = dict(out)
            for out_name, value in outs.items():
                if not isinstance(value, Out):
                    raise InvalidDefinitionError(
                        f"@op '{fn_name}': out['{out_name}'] must be an Out or DynamicOut, got {value!r}."
                    )
        else:
            raise InvalidDefinitionError(
                f"@op '{fn_name}': out must be an Out or a dict of Out, got {out!r}."
            )
        return OpDefinition(
            compute_fn=fn,
            name=name or fn_name,
            ins=build_ins(signature, ins, fn_name=fn_name, decorator="op"),
            outs=outs,
            description=description or inspect.getdoc(fn),
            config_schema=config_schema,
            required_resource_keys=required_resource_keys,
            tags=tags,
            retry_policy=retry_policy,
            code_version=code_version,
            pool=pool,
            signature=signature,
        )

    if compute_fn is not None:
        if not callable(compute_fn):
            raise InvalidDefinitionError(f"@op expects a function, got {compute_fn!r}.")
        return build(compute_fn)
    return build


def dynamic_out_names(op_def: OpDefinition) -> Sequence[str]:
    return [n for n, o in op_def.outs.items() if isinstance(o, DynamicOut)]


def check_no_positional_overflow(op_def: OpDefinition, args: Sequence[Any]) -> None:
    if len(args) > len(op_def.ins):
        raise InvalidInvocationError(
            f"Too many positional inputs for '{op_def.name}': got {len(args)}, it has {len(op_def.ins)} "
            f"inputs ({', '.join(op_def.ins) or 'none'})."
        )
