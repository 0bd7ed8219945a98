"""From assets to a job: the asset graph, the job graph built from selected assets, and the maps
between node outputs/inputs and asset keys that execution uses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.core.codec import paused_gc
from headwater.definitions.asset_check import AssetChecksDefinition
from headwater.definitions.asset_spec import AssetSpec, SourceAsset
from headwater.definitions.assets import AssetsDefinition, external_assets_from_specs
from headwater.definitions.automation import automation_condition_spec
from headwater.definitions.composition import Invocation, NodeOutputRef, Source
from headwater.definitions.graph import GraphDefinition
from headwater.definitions.job_compile import CompiledGraph
from headwater.definitions.observable_source_asset import auto_observe_interval_of, observation_assets_def
from headwater.definitions.partition_checks import check_partition_mappings, job_partitions_def
from headwater.errors import InvalidDefinitionError, ResourceNotFoundError
from headwater.selection.freshness import check_freshness_policy
from headwater.specs.asset_graph import AssetCheckNodeSpec, AssetGraph, AssetNodeSpec
from headwater.specs.job import NO_NAMES, InputKind, JobSpec
from headwater.specs.partition_mappings import DepPartitionMapping
from headwater.specs.partitions import partitions_spec_of


class AssetCollection(msgspec.Struct):
    """Everything asset-shaped a Definitions or a materialize call was given, normalized."""

    assets_defs: list[AssetsDefinition] = msgspec.field(default_factory=list)
    source_assets: list[SourceAsset] = msgspec.field(default_factory=list)
    graph: AssetGraph = msgspec.field(default_factory=lambda: AssetGraph([]))
    producer: dict[AssetKey, AssetsDefinition] = msgspec.field(default_factory=dict)
    check_producer: dict[AssetCheckKey, AssetsDefinition] = msgspec.field(default_factory=dict)

    source_by_key: dict[AssetKey, SourceAsset] = msgspec.field(default_factory=dict)

    def io_manager_key_for(self, key: AssetKey) -> str:
        producer = self.producer.get(key)
        if producer is not None:
            return producer.io_manager_key_for(key)
        source = self.source_by_key.get(key)
        return source.io_manager_key if source is not None else "io_manager"

    def resource_defs_for(self, key: AssetKey) -> dict[str, Any]:
        """Resources attached to the definition of ``key`` (``io_manager_def``, ``resource_defs``)."""
        producer = self.producer.get(key)
        if producer is not None:
            return producer.resource_defs
        source = self.source_by_key.get(key)
        return source.resource_defs if source is not None else {}

    def io_manager_keys(self) -> set[str]:
        """Every IO manager key an asset here stores or loads through."""
        keys = {sa.io_manager_key for sa in self.source_assets}
        for ad in self.assets_defs:
            if ad.is_executable:
                keys |= {ad.io_manager_key_for(k) for k in ad.specs_by_key}
            else:
                keys |= {ad.io_manager_key_for(k) for k in ad.specs_by_key if k in self.loaded_keys}
        return keys

    @property
    def loaded_keys(self) -> set[AssetKey]:
        return {k for ad in self.assets_defs if ad.is_executable for k in ad.keys_by_input_name.values()}

    def spec_for(self, key: AssetKey) -> AssetSpec | None:
        producer = self.producer.get(key)
        return producer.specs_by_key.get(key) if producer is not None else None


def collect_assets(items: Iterable[Any]) -> AssetCollection:
    """Normalize AssetsDefinitions, AssetSpecs, SourceAssets and check definitions; validate the graph."""
    with paused_gc():
        return _collect_assets(items)


def _collect_assets(items: Iterable[Any]) -> AssetCollection:
    out = AssetCollection()
    specs: list[AssetSpec] = []
    seen: set[int] = set()
    for item in items:
        if id(item) in seen:  # the same definition passed twice (e.g. after Definitions.merge) counts once
            continue
        seen.add(id(item))
        if isinstance(item, AssetsDefinition):
            out.assets_defs.append(item)
        elif isinstance(item, AssetSpec):
            specs.append(item)
        elif isinstance(item, SourceAsset):
            out.source_assets.append(item)
        else:
            raise InvalidDefinitionError(
                f"Cannot use {item!r} ({type(item).__name__}) as an asset: pass an @asset, @multi_asset, "
                "@asset_check, AssetSpec or SourceAsset."
            )
    out.assets_defs.extend(external_assets_from_specs(specs))
    nodes: dict[AssetKey, AssetNodeSpec] = {}
    checks: dict[AssetCheckKey, AssetCheckNodeSpec] = {}
    producer = out.producer
    for ad in out.assets_defs:
        # What is the same for every asset of one definition, worked out once.
        materializable, observable = ad.is_materializable, ad.is_observable
        node_name = ad.node_def.name if ad.node_def is not None else None
        check_keys_of: dict[AssetKey, list[AssetCheckKey]] = {}
        for c in ad.check_specs_by_output_name.values():
            check_keys_of.setdefault(c.asset_key, []).append(c.key)
        shared_partitions: Any = ...
        backfill_policy = ad.backfill_policy
        for key, spec in ad.specs_by_key.items():
            if key in nodes:
                raise InvalidDefinitionError(f"Duplicate asset key: {key!r}")
            producer[key] = ad
            if spec.partitions_def is not None:
                partitions = _partitions_spec(spec.partitions_def, key)
            else:
                if shared_partitions is ...:
                    shared_partitions = _partitions_spec(ad.partitions_def, key)
                partitions = shared_partitions
            nodes[key] = AssetNodeSpec(
                key=key,
                deps=tuple([d.asset_key for d in spec.deps]),
                group_name=spec.group_name or "default",
                tags=dict(spec.tags),
                owners=tuple(spec.owners),
                kinds=frozenset(spec.kinds) if spec.kinds else NO_NAMES,
                description=spec.description,
                code_version=spec.code_version,
                is_materializable=materializable,
                is_observable=observable,
                check_keys=tuple(check_keys_of.get(key, ())),
                node_name=node_name,
                partitions=partitions,
                partition_mappings=tuple(
                    DepPartitionMapping(d.asset_key, d.partition_mapping)
                    for d in spec.deps
                    if d.partition_mapping is not None
                )
                if spec.deps
                else (),
                backfill_policy=backfill_policy,
                freshness_policy=_checked_freshness(spec.freshness_policy, key),
                legacy_freshness_policy=spec.legacy_freshness_policy,
                automation_condition=automation_condition_spec(spec.automation_condition, f"asset {key!r}"),
                auto_observe_interval_minutes=auto_observe_interval_of(spec) if observable else None,
            )
        for cs in ad.check_specs_by_output_name.values():
            if cs.key in checks:
                raise InvalidDefinitionError(f"Duplicate asset check key: {cs.key.to_user_string()!r}")
            out.check_producer[cs.key] = ad
            checks[cs.key] = AssetCheckNodeSpec(
                key=cs.key,
                blocking=cs.blocking,
                description=cs.description,
                additional_deps=tuple(cs.additional_deps),
                node_name=ad.node_def.name if ad.node_def is not None else None,
                automation_condition=automation_condition_spec(
                    cs.automation_condition, f"asset check {cs.key.to_user_string()!r}"
                ),
            )
    for sa in out.source_assets:
        out.source_by_key[sa.key] = sa
        if sa.key in nodes:
            raise InvalidDefinitionError(f"Duplicate asset key: {sa.key!r}")
        if sa.is_observable:  # observed by a step of its own, like an asset definition
            observer = observation_assets_def(sa)
            out.assets_defs.append(observer)
            producer[sa.key] = observer
        nodes[sa.key] = AssetNodeSpec(
            key=sa.key,
            group_name=sa.group_name,
            tags=dict(sa.tags),
            owners=tuple(sa.owners),
            description=sa.description,
            is_materializable=False,
            is_observable=sa.is_observable,
            node_name=sa.key.to_python_identifier() if sa.is_observable else None,
            partitions=_partitions_spec(sa.partitions_def, sa.key),
            auto_observe_interval_minutes=sa.auto_observe_interval_minutes if sa.is_observable else None,
        )
    # Checks on assets with no checks listed on the node: attach the separately defined ones.
    for ck in checks:
        node = nodes.get(ck.asset_key)
        if node is not None and ck not in node.check_keys:
            nodes[ck.asset_key] = _with_check(node, ck)
    _check_data_inputs(out.assets_defs, nodes)
    check_partition_mappings(nodes)
    out.graph = AssetGraph(nodes.values(), checks.values())
    out.graph.toposorted()  # raises on a cycle, naming its assets; the order is kept for later
    return out


def _partitions_spec(partitions_def: Any, key: AssetKey) -> Any:
    spec = partitions_spec_of(partitions_def)
    if partitions_def is not None and spec is None:
        raise InvalidDefinitionError(
            f"Asset {key.to_user_string()!r}: partitions_def={partitions_def!r} is not a partitions "
            "definition; use StaticPartitionsDefinition, DailyPartitionsDefinition (or another time "
            "window one), DynamicPartitionsDefinition or MultiPartitionsDefinition."
        )
    return spec


def _check_data_inputs(assets_defs: Iterable[AssetsDefinition], nodes: Mapping[AssetKey, Any]) -> None:
    """Every value-passing input must name an asset of the collection (ordering-only deps need not)."""
    for ad in assets_defs:
        for input_name, key in ad.keys_by_input_name.items():
            if key not in nodes and not _is_nothing_input(ad, input_name):
                raise InvalidDefinitionError(
                    f'Input asset "{key.to_string()}" is not produced by any of the provided asset ops and '
                    "is not one of the provided sources."
                )


def _checked_freshness(policy: Any, key: AssetKey) -> Any:
    if policy is not None:
        check_freshness_policy(policy, key)
    return policy


def _with_check(node: AssetNodeSpec, ck: AssetCheckKey) -> AssetNodeSpec:
    return msgspec.structs.replace(node, check_keys=(*node.check_keys, ck))


class AssetLayer(msgspec.Struct):
    """How a job's nodes relate to assets; filled once the job graph is compiled."""

    collection: AssetCollection
    assets_defs_by_node: dict[str, AssetsDefinition]
    selected_asset_keys: frozenset[AssetKey]
    selected_check_keys: frozenset[AssetCheckKey]
    after_top: dict[str, set[str]]
    output_asset_keys: dict[tuple[str, str], AssetKey] = msgspec.field(default_factory=dict)
    output_check_keys: dict[tuple[str, str], AssetCheckKey] = msgspec.field(default_factory=dict)
    input_asset_keys: dict[tuple[str, str], AssetKey] = msgspec.field(default_factory=dict)
    io_manager_keys: dict[tuple[str, str], str] = msgspec.field(default_factory=dict)
    after: dict[str, tuple[str, ...]] = msgspec.field(default_factory=dict)
    leaves_by_node: dict[str, list[str]] = msgspec.field(default_factory=dict)
    resource_defs: dict[str, Any] = msgspec.field(default_factory=dict)

    @property
    def asset_graph(self) -> AssetGraph:
        return self.collection.graph

    def populate(self, graph: GraphDefinition, compiled: CompiledGraph) -> None:
        for handle in compiled.nodes:
            top = handle.split(".", 1)[0]
            self.leaves_by_node.setdefault(top, []).append(handle)
        for top, ad in self.assets_defs_by_node.items():
            for out_name, key in ad.keys_by_output_name.items():
                leaf = compiled.resolve_output(graph, NodeOutputRef(top, out_name))
                self.output_asset_keys[(leaf.node, leaf.output)] = key
                self.io_manager_keys[(leaf.node, leaf.output)] = ad.io_manager_key_for(key)
            for out_name, cs in ad.check_specs_by_output_name.items():
                leaf = compiled.resolve_output(graph, NodeOutputRef(top, out_name))
                self.output_check_keys[(leaf.node, leaf.output)] = cs.key
            for input_name, key in ad.keys_by_input_name.items():
                for leaf_handle, leaf_input in compiled.input_targets.get((top, input_name), []):
                    self.input_asset_keys[(leaf_handle, leaf_input)] = key
        for top, before in self.after_top.items():
            before_leaves = tuple(h for b in sorted(before) for h in self.leaves_by_node.get(b, []))
            for handle in self.leaves_by_node.get(top, []):
                self.after[handle] = before_leaves

    def asset_keys_for_node(self, handle: str) -> set[AssetKey]:
        top = handle.split(".", 1)[0]
        ad = self.assets_defs_by_node.get(top)
        return ad.keys if ad is not None else set()

    def load_io_manager_key(self, key: AssetKey) -> str:
        return self.collection.io_manager_key_for(key)

    def used_io_manager_keys(self, spec: JobSpec) -> set[str]:
        """IO manager keys the job stores or loads through (not input managers)."""
        keys: set[str] = set()
        for node in spec.nodes:
            keys |= {o.io_manager_key for o in node.outputs if not o.is_nothing}
            for inp in node.inputs:
                if inp.kind is InputKind.UNCONNECTED and inp.asset_key is not None and not inp.is_nothing:
                    keys.add(self.load_io_manager_key(inp.asset_key))
        return keys

    def validate_load_io_managers(self, spec: JobSpec, provided: Iterable[str]) -> None:
        """Raise if an asset loaded from outside the run names an IO manager that is not provided."""
        have = set(provided) | {"io_manager"}
        for node in spec.nodes:
            for inp in node.inputs:
                if inp.kind is not InputKind.UNCONNECTED or inp.asset_key is None or inp.is_nothing:
                    continue
                io_key = self.load_io_manager_key(inp.asset_key)
                if io_key not in have:
                    raise ResourceNotFoundError(
                        f"io manager with key '{io_key}' required by SourceAsset with key "
                        f"{inp.asset_key.to_string()} was not provided. Please provide a "
                        "IOManagerDefinition to key "
                        f"'{io_key}', or change the required key to one of the following keys which points "
                        "to an "
                        f"IOManagerDefinition: {sorted(have)}"
                    )


def build_asset_job(
    name: str,
    collection: AssetCollection,
    selected_keys: Iterable[AssetKey],
    selected_checks: Iterable[AssetCheckKey],
    *,
    resource_defs: Mapping[str, Any] | None = None,
    description: str | None = None,
    tags: Mapping[str, str] | None = None,
    run_tags: Mapping[str, str] | None = None,
    config: Any = None,
    executor_def: Any = None,
    hooks: set[Any] | None = None,
    op_retry_policy: Any = None,
    partitions_def: Any = None,
    metadata: Mapping[str, Any] | None = None,
) -> Any:
    from headwater.definitions.job import JobDefinition

    keys = frozenset(selected_keys)
    check_keys = frozenset(selected_checks)
    included: dict[str, AssetsDefinition] = {}
    producer_out: dict[AssetKey, tuple[str, str]] = {}
    observed_by: dict[AssetKey, tuple[str, str]] = {}
    asset_resources: dict[str, Any] = {}
    for ad in collection.assets_defs:
        if not ad.is_executable:
            continue
        own = set(ad.specs_by_key) & keys
        own_checks = {c for c in ad.check_specs_by_key if c in check_keys}
        if not own and not own_checks:
            continue
        if isinstance(ad, AssetChecksDefinition) or not ad.specs_by_key:
            sub = ad.subset_for(set(), own_checks) if own_checks != ad.check_keys else ad
        else:
            sub = ad.subset_for(own, own_checks)
        assert ad.node_def is not None
        node_name = ad.node_def.name
        if node_name in included:
            raise InvalidDefinitionError(
                f"Two asset definitions in job '{name}' use the node name '{node_name}'; give one a "
                "different name "
                "or key_prefix."
            )
        included[node_name] = sub
        asset_resources.update(ad.resource_defs)
        for out_name, key in ad.keys_by_output_name.items():
            if key in own:
                # An observation stores no value: downstream steps load the source through its IO
                # manager and only run after the observation.
                (observed_by if ad.is_observable else producer_out)[key] = (node_name, out_name)
    invocations: dict[str, Invocation] = {}
    after_top: dict[str, set[str]] = {}
    blocking_by_asset: dict[AssetKey, set[str]] = {}
    for node_name, ad in included.items():
        if isinstance(ad, AssetChecksDefinition):
            for cs in ad.check_specs:
                if cs.blocking:
                    blocking_by_asset.setdefault(cs.asset_key, set()).add(node_name)
    for node_name, ad in included.items():
        assert ad.node_def is not None
        inputs: dict[str, Source] = {}
        for input_name, key in ad.keys_by_input_name.items():
            prod = producer_out.get(key)
            if prod is not None and prod[0] != node_name:
                inputs[input_name] = NodeOutputRef(prod[0], prod[1])
                for check_node in blocking_by_asset.get(key, ()):
                    if check_node != node_name and not isinstance(ad, AssetChecksDefinition):
                        after_top.setdefault(node_name, set()).add(check_node)
            elif key not in collection.graph.nodes and not _is_nothing_input(ad, input_name):
                raise InvalidDefinitionError(
                    f'Input asset "{key.to_string()}" is not produced by any of the provided asset ops and '
                    "is not one of the provided sources."
                )
        wired = {k for k in ad.keys_by_input_name.values() if k not in observed_by}
        for key in ad.keys:
            for dep in ad.specs_by_key[key].deps:
                prod = producer_out.get(dep.asset_key) or observed_by.get(dep.asset_key)
                if dep.asset_key not in wired and prod is not None and prod[0] != node_name:
                    after_top.setdefault(node_name, set()).add(prod[0])
        invocations[node_name] = Invocation(name=node_name, node_def=ad.node_def, inputs=inputs)
    graph_def = GraphDefinition(name=name, invocations=invocations, description=description)
    layer = AssetLayer(
        collection=collection,
        assets_defs_by_node=included,
        selected_asset_keys=keys,
        selected_check_keys=check_keys,
        after_top=after_top,
        resource_defs=asset_resources,
    )
    producer_defs: dict[int, Any] = {}
    job = JobDefinition(
        graph_def=graph_def,
        name=name,
        description=description,
        resource_defs={**asset_resources, **(resource_defs or {})},
        config=config,
        tags=tags,
        run_tags=run_tags,
        metadata=metadata,
        executor_def=executor_def,
        hook_defs=hooks,
        op_retry_policy=op_retry_policy,
        partitions_def=job_partitions_def(
            name,
            keys,
            collection.graph.nodes,
            {k: _partitions_def_of(collection, k, producer_defs) for k in keys},
            partitions_def,
        ),
        asset_layer=layer,
    )
    layer.populate(graph_def, job.compiled)
    return job


def _is_nothing_input(ad: AssetsDefinition, input_name: str) -> bool:
    node = ad.node_def
    types = getattr(node, "input_types", None)
    if types is None or input_name not in types:
        return False
    return bool(types[input_name].is_nothing)


def _partitions_def_of(collection: AssetCollection, key: AssetKey, producer_defs: dict[int, Any]) -> Any:
    """The partitions of ``key``: its spec's, else its producer's (looked up once per producer in
    ``producer_defs``, as a multi-asset's is a scan of its specs)."""
    producer = collection.producer.get(key)
    if producer is None:
        return None
    spec = producer.specs_by_key.get(key)
    if spec is not None and spec.partitions_def is not None:
        return spec.partitions_def
    if id(producer) not in producer_defs:
        producer_defs[id(producer)] = producer.partitions_def
    return producer_defs[id(producer)]
