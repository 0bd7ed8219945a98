"""@graph_asset and @graph_multi_asset: assets computed by a graph of ops."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, overload

from headwater.core.asset_key import AssetKey, coerce_prefix
from headwater.definitions.asset_check_spec import AssetCheckSpec
from headwater.definitions.asset_spec import AssetDep, AssetSpec
from headwater.definitions.assets import AssetsDefinition
from headwater.definitions.graph import build_graph_from_fn
from headwater.definitions.inputs import AssetIn
from headwater.definitions.outputs import AssetOut
from headwater.errors import InvalidDefinitionError


def _input_keys(*args: Any, **kwargs: Any) -> Any:
    from headwater.definitions.asset_decorators import _input_keys as impl

    return impl(*args, **kwargs)


def _check_outputs(*args: Any, **kwargs: Any) -> Any:
    from headwater.definitions.asset_decorators import _check_outputs as impl

    return impl(*args, **kwargs)


@overload
def graph_asset(compose_fn: Callable[..., Any], /) -> AssetsDefinition: ...


@overload
def graph_asset(
    compose_fn: None = None,
    /,
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
) -> Callable[[Callable[..., Any]], AssetsDefinition]: ...


def graph_asset(
    compose_fn: Callable[..., Any] | None = None,
    /,
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
) -> AssetsDefinition | Callable[[Callable[..., Any]], AssetsDefinition]:
    """Define one asset computed by a graph of ops."""

    def build(fn: Callable[..., Any]) -> AssetsDefinition:
        asset_key = (
            AssetKey.from_coercible(key)
            if key is not None
            else AssetKey([*coerce_prefix(key_prefix), name or fn.__name__])
        )
        graph_def = build_graph_from_fn(
            fn,
            name=name or asset_key.to_python_identifier(),
            description=description,
            ins=None,
            out=None,
            tags=None,
            config=config,
        )
        if set(graph_def.output_mappings) != {"result"}:
            raise InvalidDefinitionError(
                f"@graph_asset '{asset_key.to_user_string()}' must return exactly one op output."
            )
        input_keys, _ = _input_keys(
            list(graph_def.ins), ins, what=f"@graph_asset '{asset_key.to_user_string()}'"
        )
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
            check_specs_by_output_name=_check_outputs(check_specs, [asset_key]),
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
            fn,
            name=graph_name,
            description=description,
            ins=None,
            out=dict.fromkeys(outs, None),  # type: ignore[arg-type]
            tags=None,
            config=config,
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
            check_specs_by_output_name=_check_outputs(check_specs, list(keys_by_output.values())),
            can_subset=can_subset,
            resource_defs=resource_defs,
            partitions_def=partitions_def,
        )

    return build
