"""@multi_asset: several assets computed by one function."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from headwater.core.asset_key import AssetKey
from headwater.definitions.asset_check_spec import AssetCheckSpec
from headwater.definitions.asset_decorators import (
    _check_inputs_used,
    _check_outputs,
    _input_keys,
    _input_mappings,
    _nothing_inputs,
    _spec_for_out,
)
from headwater.definitions.asset_spec import AssetSpec, coerce_deps, with_partition_mappings
from headwater.definitions.assets import AssetsDefinition
from headwater.definitions.fn_signature import read_signature
from headwater.definitions.inputs import AssetIn, NoValue
from headwater.definitions.op import OpDefinition, build_ins
from headwater.definitions.outputs import AssetOut, Out
from headwater.definitions.types import Nothing
from headwater.errors import InvalidDefinitionError


def multi_asset(
    *,
    outs: Mapping[str, AssetOut] | None = None,
    name: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    deps: Iterable[Any] | None = None,
    description: str | None = None,
    config_schema: Any = None,
    required_resource_keys: set[str] | None = None,
    resource_defs: Mapping[str, Any] | None = None,
    internal_asset_deps: Mapping[str, set[AssetKey]] | None = None,
    partitions_def: Any = None,
    backfill_policy: Any = None,
    op_tags: Mapping[str, Any] | None = None,
    can_subset: bool = False,
    compute_kind: str | None = None,
    retry_policy: Any = None,
    code_version: str | None = None,
    specs: Sequence[AssetSpec] | None = None,
    check_specs: Sequence[AssetCheckSpec] | None = None,
    pool: str | None = None,
    group_name: str | None = None,
) -> Callable[[Callable[..., Any]], AssetsDefinition]:
    """Define several assets computed by one function."""

    def build(fn: Callable[..., Any]) -> AssetsDefinition:
        op_name = name or fn.__name__
        what = f"@multi_asset '{op_name}'"
        if outs and specs:
            raise InvalidDefinitionError(f"{what}: pass either outs or specs, not both.")
        if not outs and not specs:
            raise InvalidDefinitionError(f"{what} defines no assets: pass outs={{...}} or specs=[...].")
        if specs and deps:
            raise InvalidDefinitionError(
                "Can not pass deps and specs to @multi_asset, specify deps on the AssetSpecs directly."
            )
        signature = read_signature(fn, decorator="multi_asset")
        input_keys, in_defs = _input_keys([p.name for p in signature.inputs], ins, what=what)
        if outs:
            keys_by_output = {n: ao.key or AssetKey([*(ao.key_prefix or []), n]) for n, ao in outs.items()}
        else:
            keys_by_output = {s.key.to_python_identifier(): s.key for s in specs or ()}
        own = list(keys_by_output.values())
        all_deps = coerce_deps([*coerce_deps(deps), *(d for s in specs or () for d in s.deps)])
        nothing_keys, nothing_ins = _nothing_inputs(all_deps, input_keys, own)
        op_ins = build_ins(signature, in_defs, fn_name=fn.__name__, decorator="multi_asset")
        op_ins.update(nothing_ins)
        upstream = with_partition_mappings(
            coerce_deps([*input_keys.values(), *nothing_keys.values()]),
            {
                **_input_mappings(ins, input_keys),
                **{d.asset_key: d.partition_mapping for d in all_deps if d.partition_mapping is not None},
            },
        )
        _check_inputs_used(what, input_keys, specs, internal_asset_deps)
        op_outs: dict[str, Out] = {}
        asset_specs: list[AssetSpec] = []
        spec_by_key = {s.key: s for s in specs or ()}
        io_keys: dict[str, str] = {}
        for out_name, k in keys_by_output.items():
            if outs:
                ao = outs[out_name]
                op_outs[out_name] = Out(
                    dagster_type=ao.dagster_type,
                    is_required=ao.is_required,
                    io_manager_key=ao.io_manager_key,
                    code_version=ao.code_version,
                )
                if ao.io_manager_key:
                    io_keys[out_name] = ao.io_manager_key
                internal = internal_asset_deps.get(out_name) if internal_asset_deps else None
                asset_specs.append(
                    _spec_for_out(
                        k,
                        ao,
                        upstream if internal is None else coerce_deps(internal),
                        group_name,
                        code_version,
                        compute_kind,
                        partitions_def,
                    )
                )
                continue
            s = spec_by_key[k]
            io_key = s.metadata.get("dagster/io_manager_key")
            op_outs[out_name] = Out(dagster_type=NoValue if io_key else Nothing, is_required=not s.skippable)
            if io_key:
                io_keys[out_name] = str(io_key)
            asset_specs.append(
                s.replace_attributes(
                    group_name=s.group_name or group_name,
                    partitions_def=s.partitions_def or partitions_def,
                    code_version=s.code_version or code_version,
                )
            )
        checks = _check_outputs(check_specs, own)
        for out_name in checks:
            op_outs[out_name] = Out(dagster_type=Nothing, is_required=not can_subset)
        op_def = OpDefinition(
            compute_fn=fn,
            name=op_name,
            ins=op_ins,
            outs=op_outs,
            description=description or inspect.getdoc(fn),
            config_schema=config_schema,
            required_resource_keys=required_resource_keys,
            tags=op_tags,
            retry_policy=retry_policy,
            code_version=code_version,
            pool=pool,
            signature=signature,
            decorator="multi_asset",
        )
        return AssetsDefinition(
            keys_by_input_name={**input_keys, **nothing_keys},
            keys_by_output_name=keys_by_output,
            node_def=op_def,
            specs=asset_specs,
            check_specs_by_output_name=checks,
            can_subset=can_subset,
            resource_defs=resource_defs,
            backfill_policy=backfill_policy,
            io_manager_keys_by_output_name=io_keys,
            partitions_def=partitions_def,
        )

    return build
