"""@asset_check: a check on an asset, defined as its own function."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from headwater.core.asset_key import AssetKey
from headwater.definitions.asset_check_spec import AssetCheckSpec
from headwater.definitions.asset_spec import coerce_dep_key
from headwater.definitions.assets import AssetsDefinition
from headwater.definitions.fn_signature import read_signature
from headwater.definitions.inputs import AssetIn, In
from headwater.definitions.op import OpDefinition, build_ins
from headwater.definitions.outputs import Out
from headwater.definitions.types import Nothing
from headwater.errors import InvalidDefinitionError


class AssetChecksDefinition(AssetsDefinition):
    """One or more asset checks and the op that evaluates them."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        for value in (*args[:1], kwargs.get("context")):
            bind = getattr(value, "bind_check_specs", None)
            if bind is not None:
                bind(self.check_specs)
        return super().__call__(*args, **kwargs)

    @property
    def check_key(self) -> Any:
        keys = self.check_keys
        if len(keys) != 1:
            raise InvalidDefinitionError(f"This definition has {len(keys)} checks; use .check_keys.")
        return next(iter(keys))


def asset_check(
    *,
    asset: Any,
    name: str | None = None,
    description: str | None = None,
    blocking: bool = False,
    additional_ins: Mapping[str, AssetIn] | None = None,
    additional_deps: Iterable[Any] | None = None,
    required_resource_keys: set[str] | None = None,
    resource_defs: Mapping[str, Any] | None = None,
    config_schema: Any = None,
    compute_kind: str | None = None,
    op_tags: Mapping[str, Any] | None = None,
    retry_policy: Any = None,
    metadata: Mapping[str, Any] | None = None,
    automation_condition: Any = None,
    pool: str | None = None,
) -> Callable[[Callable[..., Any]], AssetChecksDefinition]:
    """Define a check on ``asset``; the function returns an AssetCheckResult."""

    def build(fn: Callable[..., Any]) -> AssetChecksDefinition:
        asset_key = coerce_dep_key(asset)
        check_name = name or fn.__name__
        spec = AssetCheckSpec(
            check_name,
            asset=asset_key,
            additional_deps=additional_deps,
            description=description or inspect.getdoc(fn),
            blocking=blocking,
            metadata=metadata,
            automation_condition=automation_condition,
        )
        signature = read_signature(fn, decorator="asset_check")
        extra = dict(additional_ins or {})
        keys_by_input: dict[str, AssetKey] = {}
        in_defs: dict[str, In] = {}
        for p in signature.inputs:
            if p.name in extra:
                ai = extra[p.name]
                keys_by_input[p.name] = ai.key or AssetKey([*(ai.key_prefix or []), p.name])
                in_defs[p.name] = In(dagster_type=ai.dagster_type, input_manager_key=ai.input_manager_key)
            elif p.name == asset_key.path[-1] or (not keys_by_input and len(signature.inputs) == 1):
                keys_by_input[p.name] = asset_key
                in_defs[p.name] = In()
            else:
                raise InvalidDefinitionError(
                    f"@asset_check '{check_name}' has parameter '{p.name}', which is neither the checked "
                    "asset "
                    f"('{asset_key.path[-1]}') nor in additional_ins."
                )
        if asset_key not in keys_by_input.values():
            keys_by_input[asset_key.to_python_identifier()] = asset_key
            in_defs[asset_key.to_python_identifier()] = In(dagster_type=Nothing)
        for dep in spec.additional_deps:
            ident = dep.to_python_identifier()
            if dep not in keys_by_input.values():
                keys_by_input[ident] = dep
                in_defs[ident] = In(dagster_type=Nothing)
        op_ins = build_ins(signature, in_defs, fn_name=fn.__name__, decorator="asset_check")
        op_ins.update({k: v for k, v in in_defs.items() if k not in op_ins})
        out_name = "result"
        op_def = OpDefinition(
            compute_fn=fn,
            name=spec.get_python_identifier(),
            ins=op_ins,
            outs={out_name: Out(dagster_type=Nothing)},
            description=spec.description,
            config_schema=config_schema,
            required_resource_keys=required_resource_keys,
            tags={**(op_tags or {}), **({"dagster/compute_kind": compute_kind} if compute_kind else {})},
            retry_policy=retry_policy,
            pool=pool,
            signature=signature,
            decorator="asset_check",
        )
        return AssetChecksDefinition(
            keys_by_input_name=keys_by_input,
            keys_by_output_name={},
            node_def=op_def,
            specs=[],
            check_specs_by_output_name={out_name: spec},
            resource_defs=resource_defs,
        )

    return build


def multi_asset_check(
    *,
    specs: Sequence[AssetCheckSpec],
    name: str | None = None,
    description: str | None = None,
    can_subset: bool = False,
    compute_kind: str | None = None,
    op_tags: Mapping[str, Any] | None = None,
    resource_defs: Mapping[str, Any] | None = None,
    required_resource_keys: set[str] | None = None,
    retry_policy: Any = None,
    config_schema: Any = None,
    ins: Mapping[str, Any] | None = None,
    pool: str | None = None,
) -> Callable[[Callable[..., Any]], AssetChecksDefinition]:
    """Define several checks (on one or more assets) evaluated by one function, which yields an
    AssetCheckResult per check (``asset_key=`` and ``check_name=`` say which)."""
    specs = list(specs)
    if not specs:
        raise InvalidDefinitionError("@multi_asset_check needs at least one AssetCheckSpec in specs=[...].")
    seen: set[Any] = set()
    for spec in specs:
        if spec.key in seen:
            raise InvalidDefinitionError(
                f"@multi_asset_check has two specs for the check '{spec.name}' on "
                f"'{spec.asset_key.to_user_string()}'; give each check a distinct name."
            )
        seen.add(spec.key)

    def build(fn: Callable[..., Any]) -> AssetChecksDefinition:
        op_name = name or fn.__name__
        signature = read_signature(fn, decorator="multi_asset_check")
        keys_by_input: dict[str, AssetKey] = {}
        in_defs: dict[str, In] = {}
        for input_name, given in (ins or {}).items():
            ai = given if isinstance(given, AssetIn) else AssetIn(key=given)
            keys_by_input[input_name] = ai.key or AssetKey([*(ai.key_prefix or []), input_name])
            in_defs[input_name] = In(dagster_type=ai.dagster_type, input_manager_key=ai.input_manager_key)
        deps = {dep for spec in specs for dep in (spec.asset_key, *spec.additional_deps)}
        for p in signature.inputs:  # as Dagster: a parameter not in ins= loads the asset of its name
            if p.name not in keys_by_input:
                keys_by_input[p.name] = AssetKey(p.name)
                in_defs[p.name] = In()
        undeclared = sorted(k.to_user_string() for k in set(keys_by_input.values()) - deps)
        if undeclared:
            raise InvalidDefinitionError(
                f"@multi_asset_check '{op_name}' loads {undeclared}, which no spec checks or lists in "
                "additional_deps. Add AssetCheckSpec(..., additional_deps=[...]) for each, or rename the "
                "parameter after the checked asset."
            )
        for spec in specs:
            for dep in (spec.asset_key, *spec.additional_deps):
                if dep not in keys_by_input.values():
                    ident = dep.to_python_identifier()
                    keys_by_input[ident] = dep
                    in_defs[ident] = In(dagster_type=Nothing)
        op_ins = build_ins(signature, in_defs, fn_name=fn.__name__, decorator="multi_asset_check")
        op_ins.update({k: v for k, v in in_defs.items() if k not in op_ins})
        by_output = {spec.get_python_identifier(): spec for spec in specs}
        op_def = OpDefinition(
            compute_fn=fn,
            name=op_name,
            ins=op_ins,
            outs={out: Out(dagster_type=Nothing) for out in by_output},
            description=description or inspect.getdoc(fn),
            config_schema=config_schema,
            required_resource_keys=required_resource_keys,
            tags={**(op_tags or {}), **({"dagster/compute_kind": compute_kind} if compute_kind else {})},
            retry_policy=retry_policy,
            pool=pool,
            signature=signature,
            decorator="multi_asset_check",
        )
        return AssetChecksDefinition(
            keys_by_input_name=keys_by_input,
            keys_by_output_name={},
            node_def=op_def,
            specs=[],
            check_specs_by_output_name=by_output,
            can_subset=can_subset,
            resource_defs=resource_defs,
        )

    return build
