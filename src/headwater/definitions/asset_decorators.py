"""@asset, @multi_asset, @graph_asset and @graph_multi_asset."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from headwater.core.asset_key import AssetKey, coerce_prefix
from headwater.definitions.asset_check_spec import AssetCheckSpec
from headwater.definitions.asset_spec import AssetDep, AssetSpec, coerce_deps
from headwater.definitions.assets import AssetsDefinition
from headwater.definitions.fn_signature import read_signature
from headwater.definitions.graph import GraphDefinition, build_graph_from_fn
from headwater.definitions.inputs import AssetIn, In, NoValue
from headwater.definitions.op import OpDefinition, build_ins
from headwater.definitions.outputs import AssetOut, Out
from headwater.definitions.types import Nothing
from headwater.errors import InvalidDefinitionError


def _input_keys(
    param_names: Iterable[str], ins: Mapping[str, AssetIn] | None, *, what: str
) -> tuple[dict[str, AssetKey], dict[str, In]]:
    """Upstream asset keys for the function's data inputs, and their In definitions."""
    given = dict(ins or {})
    keys: dict[str, AssetKey] = {}
    in_defs: dict[str, In] = {}
    names = list(param_names)
    for name in given:
        if name not in names:
            raise InvalidDefinitionError(
                f"{what}: ins has key '{name}', which is not a parameter of the function. "
                f"Parameters: {', '.join(names) or 'none'}."
            )
    for name in names:
        asset_in = given.get(name)
        if asset_in is None:
            keys[name] = AssetKey([name])
            in_defs[name] = In()
            continue
        if asset_in.key is not None:
            keys[name] = asset_in.key
        else:
            keys[name] = AssetKey([*(asset_in.key_prefix or []), name])
        in_defs[name] = In(
            dagster_type=asset_in.dagster_type,
            metadata=asset_in.metadata,
            input_manager_key=asset_in.input_manager_key,
        )
    return keys, in_defs


def _nothing_inputs(deps: Sequence[AssetDep], taken: Mapping[str, AssetKey]) -> tuple[dict[str, AssetKey], dict[str, In]]:
    keys: dict[str, AssetKey] = {}
    in_defs: dict[str, In] = {}
    data_keys = set(taken.values())
    for dep in deps:
        if dep.asset_key in data_keys:
            continue
        name = dep.asset_key.to_python_identifier()
        keys[name] = dep.asset_key
        in_defs[name] = In(dagster_type=Nothing)
    return keys, in_defs


def _check_outputs(check_specs: Sequence[AssetCheckSpec] | None) -> dict[str, AssetCheckSpec]:
    out: dict[str, AssetCheckSpec] = {}
    for spec in check_specs or ():
        name = spec.get_python_identifier()
        if name in out:
            raise InvalidDefinitionError(f"Duplicate check spec {spec.key.to_user_string()!r}.")
        out[name] = spec
    return out


def _kinds(kinds: set[str] | None, compute_kind: str | None) -> set[str]:
    out = set(kinds or ())
    if compute_kind:
        out.add(compute_kind)
    return out


def asset(
    compute_fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    key: Any = None,
    ins: Mapping[str, AssetIn] | None = None,
    deps: Iterable[Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
    config_schema: Any = None,
    required_resource_keys: set[str] | None = None,
    resource_defs: Mapping[str, Any] | None = None,
    io_manager_def: Any = None,
    io_manager_key: str | None = None,
    dagster_type: Any = NoValue,
    partitions_def: Any = None,
    op_tags: Mapping[str, Any] | None = None,
    group_name: str | None = None,
    output_required: bool = True,
    automation_condition: Any = None,
    backfill_policy: Any = None,
    retry_policy: Any = None,
    code_version: str | None = None,
    check_specs: Sequence[AssetCheckSpec] | None = None,
    owners: Sequence[str] | None = None,
    kinds: set[str] | None = None,
    compute_kind: str | None = None,
    pool: str | None = None,
) -> Any:
    """Define a software-defined asset from a function; its parameters name its upstream assets."""

    def build(fn: Callable[..., Any]) -> AssetsDefinition:
        if key is not None and (name is not None or key_prefix is not None):
            raise InvalidDefinitionError(
                f"@asset '{fn.__name__}': pass either key, or name/key_prefix, not both."
            )
        asset_key = (
            AssetKey.from_coercible(key)
            if key is not None
            else AssetKey([*coerce_prefix(key_prefix), name or fn.__name__])
        )
        what = f"@asset '{asset_key.to_user_string()}'"
        signature = read_signature(fn, decorator="asset")
        input_keys, in_defs = _input_keys([p.name for p in signature.inputs], ins, what=what)
        dep_list = coerce_deps(deps)
        nothing_keys, nothing_ins = _nothing_inputs(dep_list, input_keys)
        op_ins = build_ins(signature, in_defs, fn_name=fn.__name__, decorator="asset")
        op_ins.update(nothing_ins)
        checks = _check_outputs(check_specs)
        for spec in checks.values():
            if spec.asset_key != asset_key:
                raise InvalidDefinitionError(
                    f"{what} has a check spec '{spec.name}' for asset {spec.asset_key.to_user_string()!r}; "
                    "check_specs on @asset must target the asset itself."
                )
        io_key = io_manager_key
        all_resources = dict(resource_defs or {})
        if io_manager_def is not None:
            io_key = io_key or f"{asset_key.to_python_identifier()}__io_manager"
            all_resources[io_key] = io_manager_def
        outs: dict[str, Out] = {
            "result": Out(dagster_type=dagster_type, is_required=output_required, io_manager_key=io_key,
                          code_version=code_version)
        }
        for out_name in checks:
            outs[out_name] = Out(dagster_type=Nothing, is_required=True)
        all_deps = [AssetDep(k) for k in input_keys.values()] + [d for d in dep_list if d.asset_key not in input_keys.values()]
        spec = AssetSpec(
            asset_key,
            deps=all_deps,
            description=description or inspect.getdoc(fn),
            metadata=metadata,
            group_name=group_name,
            code_version=code_version,
            automation_condition=automation_condition,
            owners=owners,
            tags=tags,
            kinds=_kinds(kinds, compute_kind),
            partitions_def=partitions_def,
            skippable=not output_required,
        )
        op_def = OpDefinition(
            compute_fn=fn,
            name=asset_key.to_python_identifier(),
            ins=op_ins,
            outs=outs,
            description=spec.description,
            config_schema=config_schema,
            required_resource_keys=required_resource_keys,
            tags=op_tags,
            retry_policy=retry_policy,
            code_version=code_version,
            pool=pool,
            signature=signature,
            decorator="asset",
        )
        return AssetsDefinition(
            keys_by_input_name={**input_keys, **nothing_keys},
            keys_by_output_name={"result": asset_key},
            node_def=op_def,
            specs=[spec],
            check_specs_by_output_name=checks,
            resource_defs=all_resources,
            backfill_policy=backfill_policy,
            io_manager_keys_by_output_name={"result": io_key} if io_key else {},
            partitions_def=partitions_def,
        )

    if compute_fn is not None:
        return build(compute_fn)
    return build


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
        signature = read_signature(fn, decorator="multi_asset")
        input_keys, in_defs = _input_keys([p.name for p in signature.inputs], ins, what=what)
        dep_list = coerce_deps(deps)
        spec_deps = [d for s in specs or () for d in s.deps]
        nothing_keys, nothing_ins = _nothing_inputs(
            coerce_deps({d.asset_key: d for d in [*dep_list, *spec_deps]}.values()), input_keys
        )
        op_ins = build_ins(signature, in_defs, fn_name=fn.__name__, decorator="multi_asset")
        op_ins.update(nothing_ins)
        upstream = [AssetDep(k) for k in input_keys.values()] + [
            AssetDep(k) for k in nothing_keys.values() if k not in input_keys.values()
        ]
        keys_by_output: dict[str, AssetKey] = {}
        op_outs: dict[str, Out] = {}
        asset_specs: list[AssetSpec] = []
        io_keys: dict[str, str] = {}
        if outs:
            for out_name, ao in outs.items():
                k = ao.key or AssetKey([*(ao.key_prefix or []), out_name])
                keys_by_output[out_name] = k
                op_outs[out_name] = Out(dagster_type=ao.dagster_type, is_required=ao.is_required,
                                        io_manager_key=ao.io_manager_key, code_version=ao.code_version)
                if ao.io_manager_key:
                    io_keys[out_name] = ao.io_manager_key
                internal = internal_asset_deps.get(out_name) if internal_asset_deps else None
                asset_specs.append(
                    AssetSpec(
                        k,
                        deps=[AssetDep(d) for d in internal] if internal is not None else upstream,
                        description=ao.description,
                        metadata=ao.metadata,
                        group_name=ao.group_name or group_name,
                        code_version=ao.code_version or code_version,
                        owners=ao.owners,
                        tags=ao.tags,
                        kinds=_kinds(ao.kinds, compute_kind),
                        partitions_def=partitions_def,
                        skippable=not ao.is_required,
                        automation_condition=ao.automation_condition,
                    )
                )
        else:
            for s in specs or ():
                out_name = s.key.to_python_identifier()
                keys_by_output[out_name] = s.key
                op_outs[out_name] = Out(dagster_type=Nothing if not s.metadata.get("dagster/io_manager_key") else NoValue,
                                        is_required=not s.skippable)
                deps_for_spec = s.deps or ([d for d in upstream] if not s.deps else s.deps)
                asset_specs.append(
                    s.replace_attributes(
                        deps=deps_for_spec,
                        group_name=s.group_name or group_name,
                        partitions_def=s.partitions_def or partitions_def,
                        code_version=s.code_version or code_version,
                    )
                )
        checks = _check_outputs(check_specs)
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


def graph_asset(
    compose_fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    config: Any = None,
    key_prefix: str | Sequence[str] | None = None,
    key: Any = None,
    group_name: str | None = None,
    partitions_def: Any = None,
    metadata: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    owners: Sequence[str] | None = None,
    kinds: set[str] | None = None,
    code_version: str | None = None,
    check_specs: Sequence[AssetCheckSpec] | None = None,
    resource_defs: Mapping[str, Any] | None = None,
    automation_condition: Any = None,
    backfill_policy: Any = None,
) -> Any:
    """Define one asset computed by a graph of ops."""

    def build(fn: Callable[..., Any]) -> AssetsDefinition:
        asset_key = (
            AssetKey.from_coercible(key) if key is not None else AssetKey([*coerce_prefix(key_prefix), name or fn.__name__])
        )
        graph_def = build_graph_from_fn(
            fn, name=name or asset_key.to_python_identifier(), description=description, ins=None, out=None, tags=None,
            config=config,
        )
        if set(graph_def.output_mappings) != {"result"}:
            raise InvalidDefinitionError(
                f"@graph_asset '{asset_key.to_user_string()}' must return exactly one op output."
            )
        input_keys, _ = _input_keys(list(graph_def.ins), ins, what=f"@graph_asset '{asset_key.to_user_string()}'")
        spec = AssetSpec(
            asset_key,
            deps=[AssetDep(k) for k in input_keys.values()],
            description=description or inspect.getdoc(fn),
            metadata=metadata,
            group_name=group_name,
            code_version=code_version,
            owners=owners,
            tags=tags,
            kinds=kinds,
            partitions_def=partitions_def,
            automation_condition=automation_condition,
        )
        return AssetsDefinition(
            keys_by_input_name=input_keys,
            keys_by_output_name={"result": asset_key},
            node_def=graph_def,
            specs=[spec],
            check_specs_by_output_name=_check_outputs(check_specs),
            resource_defs=resource_defs,
            backfill_policy=backfill_policy,
            partitions_def=partitions_def,
        )

    if compose_fn is not None:
        return build(compose_fn)
    return build


def graph_multi_asset(
    *,
    outs: Mapping[str, AssetOut],
    name: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    partitions_def: Any = None,
    group_name: str | None = None,
    can_subset: bool = False,
    resource_defs: Mapping[str, Any] | None = None,
    check_specs: Sequence[AssetCheckSpec] | None = None,
    config: Any = None,
    description: str | None = None,
) -> Callable[[Callable[..., Any]], AssetsDefinition]:
    """Define several assets computed by a graph of ops."""

    def build(fn: Callable[..., Any]) -> AssetsDefinition:
        graph_name = name or fn.__name__
        graph_def = build_graph_from_fn(
            fn, name=graph_name, description=description, ins=None,
            out=dict.fromkeys(outs, None),  # type: ignore[arg-type]
            tags=None, config=config,
        )
        input_keys, _ = _input_keys(list(graph_def.ins), ins, what=f"@graph_multi_asset '{graph_name}'")
        keys_by_output = {n: ao.key or AssetKey([*(ao.key_prefix or []), n]) for n, ao in outs.items()}
        specs = [
            AssetSpec(
                keys_by_output[n],
                deps=[AssetDep(k) for k in input_keys.values()],
                description=ao.description,
                metadata=ao.metadata,
                group_name=ao.group_name or group_name,
                code_version=ao.code_version,
                owners=ao.owners,
                tags=ao.tags,
                kinds=ao.kinds,
                partitions_def=partitions_def,
            )
            for n, ao in outs.items()
        ]
        return AssetsDefinition(
            keys_by_input_name=input_keys,
            keys_by_output_name=keys_by_output,
            node_def=graph_def,
            specs=specs,
            check_specs_by_output_name=_check_outputs(check_specs),
            can_subset=can_subset,
            resource_defs=resource_defs,
            partitions_def=partitions_def,
        )

    return build


__all__ = ["GraphDefinition", "asset", "graph_asset", "graph_multi_asset", "multi_asset"]
