"""AssetsDefinition: one or more assets with the op (or graph) that computes them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.definitions.asset_check_spec import AssetCheckSpec
from headwater.definitions.asset_spec import AssetDep, AssetSpec, check_self_deps
from headwater.definitions.node import NodeDefinition
from headwater.definitions.op import OpDefinition
from headwater.errors import InvalidDefinitionError, InvalidInvocationError, InvalidSubsetError
from headwater.specs.backfill_policy import BackfillPolicy


class AssetsDefinition:
    """Assets and the node that materializes them (no node for external assets)."""

    def __init__(
        self,
        *,
        keys_by_input_name: Mapping[str, AssetKey],
        keys_by_output_name: Mapping[str, AssetKey],
        node_def: NodeDefinition | None,
        specs: Sequence[AssetSpec],
        check_specs_by_output_name: Mapping[str, AssetCheckSpec] | None = None,
        can_subset: bool = False,
        selected_asset_keys: Iterable[AssetKey] | None = None,
        selected_asset_check_keys: Iterable[AssetCheckKey] | None = None,
        resource_defs: Mapping[str, Any] | None = None,
        backfill_policy: Any = None,
        is_observable: bool = False,
        io_manager_keys_by_output_name: Mapping[str, str] | None = None,
        partitions_def: Any = None,
        execution_type: str | None = None,
    ) -> None:
        self.node_def = node_def
        self.keys_by_input_name = dict(keys_by_input_name)
        self.keys_by_output_name = dict(keys_by_output_name)
        self.specs_by_key: dict[AssetKey, AssetSpec] = {}
        for spec in specs:
            if spec.key in self.specs_by_key:
                raise InvalidDefinitionError(f"Duplicate asset key: {spec.key!r}")
            check_self_deps(spec, self.keys_by_input_name.values())
            self.specs_by_key[spec.key] = spec
        self.check_specs_by_output_name = dict(check_specs_by_output_name or {})
        self.can_subset = can_subset
        all_keys = set(self.specs_by_key)
        self._selected_keys = set(selected_asset_keys) if selected_asset_keys is not None else all_keys
        all_checks = {c.key for c in self.check_specs_by_output_name.values()}
        self._selected_checks = (
            set(selected_asset_check_keys) if selected_asset_check_keys is not None else all_checks
        )
        self.resource_defs = dict(resource_defs or {})
        if backfill_policy is not None and not isinstance(backfill_policy, BackfillPolicy):
            raise InvalidDefinitionError(
                f"backfill_policy must be a BackfillPolicy (BackfillPolicy.single_run() or "
                f"BackfillPolicy.multi_run(n)); got {backfill_policy!r}."
            )
        self.backfill_policy = backfill_policy
        self.is_observable = is_observable
        self.io_manager_keys_by_output_name = dict(io_manager_keys_by_output_name or {})
        self._partitions_def = partitions_def
        self.execution_type = execution_type or (
            "MATERIALIZATION" if node_def is not None else "UNEXECUTABLE"
        )
        self.output_names_by_key = {k: n for n, k in self.keys_by_output_name.items()}

    # --- keys and specs -------------------------------------------------------------------
    @property
    def keys(self) -> set[AssetKey]:
        return set(self._selected_keys)

    @property
    def key(self) -> AssetKey:
        if len(self._selected_keys) != 1:
            raise InvalidInvocationError(
                f"Tried to read the single key of an AssetsDefinition with {len(self._selected_keys)} keys "
                f"({', '.join(sorted(k.to_user_string() for k in self._selected_keys))}); use .keys instead."
            )
        return next(iter(self._selected_keys))

    @property
    def asset_and_check_keys(self) -> set[AssetKey | AssetCheckKey]:
        return {*self.keys, *self.check_keys}

    @property
    def specs(self) -> list[AssetSpec]:
        return [s for k, s in self.specs_by_key.items() if k in self._selected_keys]

    def get_asset_spec(self, key: AssetKey | None = None) -> AssetSpec:
        return self.specs_by_key[key or self.key]

    @property
    def check_specs(self) -> list[AssetCheckSpec]:
        return [c for c in self.check_specs_by_output_name.values() if c.key in self._selected_checks]

    @property
    def check_keys(self) -> set[AssetCheckKey]:
        return {c.key for c in self.check_specs}

    @property
    def check_specs_by_key(self) -> dict[AssetCheckKey, AssetCheckSpec]:
        return {c.key: c for c in self.check_specs_by_output_name.values()}

    @property
    def is_executable(self) -> bool:
        return self.node_def is not None

    @property
    def is_external(self) -> bool:
        return self.node_def is None

    @property
    def is_materializable(self) -> bool:
        return self.node_def is not None and not self.is_observable

    @property
    def op(self) -> OpDefinition:
        if not isinstance(self.node_def, OpDefinition):
            raise InvalidInvocationError(
                "This AssetsDefinition is computed by a graph, not a single op; use .node_def."
            )
        return self.node_def

    @property
    def dependency_keys(self) -> set[AssetKey]:
        out: set[AssetKey] = set()
        for key in self._selected_keys:
            out |= {d.asset_key for d in self.specs_by_key[key].deps}
        return out

    @property
    def asset_deps(self) -> dict[AssetKey, set[AssetKey]]:
        return {k: {d.asset_key for d in self.specs_by_key[k].deps} for k in self._selected_keys}

    @property
    def partitions_def(self) -> Any:
        if self._partitions_def is not None:
            return self._partitions_def
        selected = self._selected_keys
        for key, spec in self.specs_by_key.items():
            if spec.partitions_def is not None and key in selected:
                return spec.partitions_def  # the specs of one definition share one partitions definition
        return None

    @property
    def partition_mappings(self) -> dict[AssetKey, Any]:
        """The partition mappings declared for upstream assets (AssetIn / AssetDep), by upstream key."""
        out: dict[AssetKey, Any] = {}
        for spec in self.specs_by_key.values():
            for dep in spec.deps:
                if dep.partition_mapping is not None:
                    out.setdefault(dep.asset_key, dep.partition_mapping)
        return out

    def get_partition_mapping(self, in_asset_key: AssetKey) -> Any:
        """The partition mapping declared for upstream asset ``in_asset_key``, or None."""
        return self.partition_mappings.get(AssetKey.from_coercible(in_asset_key))

    @property
    def group_names_by_key(self) -> dict[AssetKey, str]:
        return {k: self.specs_by_key[k].group_name or "default" for k in self._selected_keys}

    @property
    def descriptions_by_key(self) -> dict[AssetKey, str | None]:
        return {k: self.specs_by_key[k].description for k in self._selected_keys}

    @property
    def metadata_by_key(self) -> dict[AssetKey, dict[str, Any]]:
        return {k: self.specs_by_key[k].metadata for k in self._selected_keys}

    @property
    def tags_by_key(self) -> dict[AssetKey, dict[str, str]]:
        return {k: self.specs_by_key[k].tags for k in self._selected_keys}

    @property
    def owners_by_key(self) -> dict[AssetKey, list[str]]:
        return {k: self.specs_by_key[k].owners for k in self._selected_keys}

    @property
    def code_versions_by_key(self) -> dict[AssetKey, str | None]:
        return {k: self.specs_by_key[k].code_version for k in self._selected_keys}

    def io_manager_key_for(self, key: AssetKey) -> str:
        name = self.output_names_by_key.get(key)
        if name is not None and name in self.io_manager_keys_by_output_name:
            return self.io_manager_keys_by_output_name[name]
        meta = (
            self.specs_by_key[key].metadata.get("dagster/io_manager_key")
            if key in self.specs_by_key
            else None
        )
        return str(meta) if meta else "io_manager"

    def get_io_manager_key_for_asset_key(self, key: AssetKey) -> str:
        return self.io_manager_key_for(key)

    def get_output_name_for_asset_key(self, key: AssetKey) -> str:
        try:
            return self.output_names_by_key[key]
        except KeyError:
            raise InvalidInvocationError(
                f"Asset key {key.to_user_string()} not found in AssetsDefinition"
            ) from None

    @property
    def required_resource_keys(self) -> set[str]:
        """Resource keys the node needs, plus the IO manager keys of its assets (as Dagster reports them)."""
        keys: set[str] = set()
        node = self.node_def
        if node is not None:
            keys |= set(getattr(node, "required_resource_keys", ()) or ())
            keys |= {self.io_manager_key_for(k) for k in self.specs_by_key if k in self.output_names_by_key}
        return keys

    # --- copies -------------------------------------------------------------------------
    def _copy(self, **changes: Any) -> AssetsDefinition:
        new = AssetsDefinition.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new

    def subset_for(
        self, keys: Iterable[AssetKey], checks: Iterable[AssetCheckKey] | None = None
    ) -> AssetsDefinition:
        selected = set(keys) & set(self.specs_by_key)
        chosen_checks = (
            set(checks)
            if checks is not None
            else {c for c in self.check_specs_by_key if c.asset_key in selected}
        )
        all_checks = set(self.check_specs_by_key)
        partial = selected != set(self.specs_by_key) or chosen_checks != all_checks
        # a check-only definition (@multi_asset_check) is all-or-nothing too, unless it can subset
        if (
            partial
            and not self.can_subset
            and (selected or chosen_checks)
            and (self.specs_by_key or all_checks)
        ):
            node_name = self.node_def.name if self.node_def else "?"
            raise InvalidSubsetError(
                f"When building job, the AssetsDefinition '{node_name}' contains asset keys "
                f"{sorted(self.specs_by_key)} and check keys {sorted(all_checks)}, but attempted to select "
                "only "
                f"assets {sorted(selected)} and checks {sorted(chosen_checks)}. This AssetsDefinition does "
                "not "
                "support subsetting. Please select all asset and check keys produced by this asset.\n\n"
                "If using an AssetSelection, you may use required_multi_asset_neighbors() to select any "
                "remaining "
                "assets, for example:\nAssetSelection.assets('my_asset').required_multi_asset_neighbors()"
            )
        if selected == self._selected_keys and chosen_checks == self._selected_checks:
            return self  # the whole definition: no copy
        return self._copy(_selected_keys=selected, _selected_checks=chosen_checks)

    def with_resources(self, resource_defs: Mapping[str, Any]) -> AssetsDefinition:
        return self._copy(resource_defs={**resource_defs, **self.resource_defs})

    def with_attributes(
        self,
        *,
        asset_key_replacements: Mapping[AssetKey, AssetKey] | None = None,
        group_names_by_key: Mapping[AssetKey, str] | None = None,
        tags_by_key: Mapping[AssetKey, Mapping[str, str]] | None = None,
        metadata_by_key: Mapping[AssetKey, Mapping[str, Any]] | None = None,
        automation_condition: Any = None,
        backfill_policy: Any = None,
    ) -> AssetsDefinition:
        """A copy with per-key attributes replaced, and asset keys renamed (Dagster's ``with_attributes``)."""
        out = self
        changes = {"group_name": group_names_by_key, "tags": tags_by_key, "metadata": metadata_by_key}
        if any(changes.values()) or automation_condition is not None:

            def update(spec: AssetSpec) -> AssetSpec:
                kwargs: dict[str, Any] = {
                    attr: by_key[spec.key]
                    for attr, by_key in changes.items()
                    if by_key and spec.key in by_key
                }
                if automation_condition is not None:
                    kwargs["automation_condition"] = (
                        automation_condition.get(spec.key)
                        if isinstance(automation_condition, Mapping)
                        else automation_condition
                    )
                return spec.replace_attributes(**kwargs) if kwargs else spec

            out = out.map_asset_specs(update)
        if backfill_policy is not None:
            out = out._copy(backfill_policy=backfill_policy)
        if asset_key_replacements:
            out = out._replace_keys(dict(asset_key_replacements))
        return out

    def _replace_keys(self, repl: dict[AssetKey, AssetKey]) -> AssetsDefinition:
        def sub(key: AssetKey) -> AssetKey:
            return repl.get(key, key)

        specs = {
            sub(k): s.replace_attributes(
                key=sub(k),
                deps=[AssetDep(sub(d.asset_key), partition_mapping=d.partition_mapping) for d in s.deps],
            )
            for k, s in self.specs_by_key.items()
        }
        checks = {
            name: AssetCheckSpec(
                c.name,
                asset=sub(c.asset_key),
                additional_deps=[sub(d) for d in c.additional_deps],
                description=c.description,
                blocking=c.blocking,
                metadata=c.metadata,
                automation_condition=c.automation_condition,
            )
            for name, c in self.check_specs_by_output_name.items()
        }
        by_output = {n: sub(k) for n, k in self.keys_by_output_name.items()}
        return self._copy(
            specs_by_key=specs,
            keys_by_output_name=by_output,
            keys_by_input_name={n: sub(k) for n, k in self.keys_by_input_name.items()},
            check_specs_by_output_name=checks,
            _selected_keys={sub(k) for k in self._selected_keys},
            _selected_checks={AssetCheckKey(sub(c.asset_key), c.name) for c in self._selected_checks},
            output_names_by_key={k: n for n, k in by_output.items()},
        )

    def map_asset_specs(self, fn: Callable[[AssetSpec], AssetSpec]) -> AssetsDefinition:
        """Apply ``fn`` to each spec. Keys cannot change, and deps backed by a function argument must stay."""
        arg_keys = {k for n, k in self.keys_by_input_name.items() if not self._is_nothing_input(n)}
        new_specs: dict[AssetKey, AssetSpec] = {}
        for key, spec in self.specs_by_key.items():
            mapped = fn(spec)
            if mapped.key != key:
                raise InvalidDefinitionError(
                    f"Asset key {key.to_user_string()} was changed to {mapped.key.to_user_string()}. Mapping "
                    "function must not change keys."
                )
            removed = ({d.asset_key for d in spec.deps} & arg_keys) - {d.asset_key for d in mapped.deps}
            if removed:
                dep = min(removed)
                arg = next(n for n, k in self.keys_by_input_name.items() if k == dep)
                raise InvalidDefinitionError(
                    f"Attempted to remove argument-backed dependency {dep!r} (mapped to argument {arg}) "
                    "from the "
                    "asset. Only non-argument dependencies can be changed or removed using map_asset_specs."
                )
            new_specs[key] = mapped
        return self._copy(specs_by_key=new_specs)

    def _is_nothing_input(self, input_name: str) -> bool:
        types = getattr(self.node_def, "input_types", None)
        if not types or input_name not in types:
            return False
        return bool(types[input_name].is_nothing)

    def to_source_asset(self, key: AssetKey | None = None) -> Any:
        from headwater.definitions.asset_spec import SourceAsset

        k = key or self.key
        spec = self.specs_by_key[k]
        return SourceAsset(
            k,
            metadata=spec.metadata,
            io_manager_key=self.io_manager_key_for(k),
            description=spec.description,
            partitions_def=spec.partitions_def,
            group_name=spec.group_name,
        )

    # --- direct invocation --------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.node_def is None:
            raise InvalidInvocationError(f"{self!r} has no function to call: it describes external assets.")
        from headwater.definitions.composition import current_frame

        if current_frame() is not None:
            return self.node_def(*args, **kwargs)
        for value in (*args[:1], kwargs.get("context")):
            bind = getattr(value, "bind_asset_keys", None)
            if bind is not None:
                bind(self.keys_by_output_name, self.keys_by_input_name, self.keys, self.partitions_def)
        return self.node_def.direct_invoke(*args, **kwargs)

    def __repr__(self) -> str:
        keys = ", ".join(sorted(k.to_user_string() for k in self.specs_by_key))
        return f"<AssetsDefinition [{keys}]>"


def external_assets_from_specs(specs: Sequence[AssetSpec]) -> list[AssetsDefinition]:
    return [
        AssetsDefinition(keys_by_input_name={}, keys_by_output_name={}, node_def=None, specs=[spec])
        for spec in specs
    ]
