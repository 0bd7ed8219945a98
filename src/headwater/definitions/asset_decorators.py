"""@asset (and the input/output helpers @multi_asset shares); @graph_asset and @graph_multi_asset are
re-exported from ``graph_asset_decorators``."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, overload

from headwater.core.asset_key import AssetKey, coerce_prefix
from headwater.definitions.asset_check_spec import AssetCheckSpec
from headwater.definitions.asset_spec import AssetDep, AssetSpec, coerce_deps, with_partition_mappings
from headwater.definitions.assets import AssetsDefinition
from headwater.definitions.fn_signature import read_signature
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
                f"Key '{name}' in provided ins dict does not correspond to any of the names of the "
                "arguments to "
                f"the decorated function ({what}; parameters: {', '.join(names) or 'none'})"
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


def _input_mappings(
    ins: Mapping[str, AssetIn] | None, input_keys: Mapping[str, AssetKey]
) -> dict[AssetKey, Any]:
    """The partition mappings given on AssetIns, by upstream asset key."""
    return {
        input_keys[name]: ain.partition_mapping
        for name, ain in (ins or {}).items()
        if name in input_keys and ain.partition_mapping is not None
    }


def _nothing_inputs(
    deps: Iterable[AssetDep], taken: Mapping[str, AssetKey], own: Iterable[AssetKey] = ()
) -> tuple[dict[str, AssetKey], dict[str, In]]:
    """Nothing-typed inputs for ordering-only deps (not data inputs, not assets the node itself computes)."""
    keys: dict[str, AssetKey] = {}
    in_defs: dict[str, In] = {}
    skip = set(taken.values()) | set(own)
    for dep in deps:
        if dep.asset_key in skip:
            continue
        name = dep.asset_key.to_python_identifier()
        keys[name] = dep.asset_key
        in_defs[name] = In(dagster_type=Nothing)
    return keys, in_defs


def _check_outputs(
    check_specs: Sequence[AssetCheckSpec] | None, asset_keys: Sequence[AssetKey]
) -> dict[str, AssetCheckSpec]:
    """Output names for check specs; each must target one of ``asset_keys``."""
    out: dict[str, AssetCheckSpec] = {}
    allowed = set(asset_keys)
    for spec in check_specs or ():
        if spec.asset_key not in allowed:
            raise InvalidDefinitionError(
                f"Invalid asset key {spec.asset_key!r} in check spec {spec.name}. Must be one of "
                f"{list(asset_keys)!r}"
            )
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


def _check_inputs_used(
    what: str,
    input_keys: Mapping[str, AssetKey],
    specs: Sequence[AssetSpec] | None,
    internal_asset_deps: Mapping[str, set[AssetKey]] | None,
) -> None:
    """Every data input of a multi_asset must feed at least one of its assets (as Dagster requires)."""
    if specs:
        declared = {d.asset_key for s in specs for d in s.deps}
        missing = set(input_keys.values()) - declared
        if missing:
            raise InvalidDefinitionError(
                f"Invalid asset dependencies: `{missing}` specified as AssetIns, but are not specified as "
                "`AssetDep` "
                "objects on any constituent AssetSpec objects. Asset inputs must be associated with an "
                "output "
                f"produced by the asset ({what})."
            )
    elif internal_asset_deps is not None:
        declared = {k for keys in internal_asset_deps.values() for k in keys}
        missing = set(input_keys.values()) - declared
        if missing:
            raise InvalidDefinitionError(
                f"Invalid asset dependencies: `{missing}` specified as asset inputs, but are not specified "
                "in "
                "`internal_asset_deps`. Asset inputs must be associated with an output produced by the asset "
                f"({what})."
            )


def _spec_for_out(
    key: AssetKey,
    ao: AssetOut,
    deps: Sequence[AssetDep],
    group_name: str | None,
    code_version: str | None,
    compute_kind: str | None,
    partitions_def: Any,
) -> AssetSpec:
    return AssetSpec(
        key,
        deps=deps,
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
        freshness_policy=ao.freshness_policy,
        legacy_freshness_policy=ao.legacy_freshness_policy,
    )


@overload
def asset(compute_fn: Callable[..., Any], /) -> AssetsDefinition: ...


@overload
def asset(
    compute_fn: None = None,
    /,
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
    freshness_policy: Any = None,
    legacy_freshness_policy: Any = None,
) -> Callable[[Callable[..., Any]], AssetsDefinition]: ...


def asset(
    compute_fn: Callable[..., Any] | None = None,
    /,
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
    freshness_policy: Any = None,
    legacy_freshness_policy: Any = None,
) -> AssetsDefinition | Callable[[Callable[..., Any]], AssetsDefinition]:
    """Define a software-defined asset from a function; its parameters name its upstream assets."""

    def build(fn: Callable[..., Any]) -> AssetsDefinition:
        if key is not None and (name is not None or key_prefix is not None):
            raise InvalidDefinitionError(
                "Cannot specify a name or key prefix for @asset when the key argument is provided."
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
        checks = _check_outputs(check_specs, [asset_key])
        io_key = io_manager_key
        all_resources = dict(resource_defs or {})
        if io_manager_def is not None:
            io_key = io_key or f"{asset_key.to_python_identifier()}__io_manager"
            all_resources[io_key] = io_manager_def
        outs: dict[str, Out] = {
            "result": Out(
                dagster_type=dagster_type,
                is_required=output_required,
                io_manager_key=io_key,
                code_version=code_version,
            )
        }
        for out_name in checks:
            outs[out_name] = Out(dagster_type=Nothing, is_required=True)
        all_deps = with_partition_mappings(
            [AssetDep(k) for k in input_keys.values()]
            + [d for d in dep_list if d.asset_key not in input_keys.values()],
            _input_mappings(ins, input_keys),
        )
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
            freshness_policy=freshness_policy,
            legacy_freshness_policy=legacy_freshness_policy,
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


from headwater.definitions.graph_asset_decorators import graph_asset, graph_multi_asset  # noqa: E402

__all__ = ["asset", "graph_asset", "graph_multi_asset"]
