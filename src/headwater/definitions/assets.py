"""AssetsDefinition: one or more assets with the op (or graph) that computes them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.definitions.asset_check_spec import AssetCheckSpec
from headwater.definitions.asset_spec import AssetSpec
from headwater.definitions.node import NodeDefinition
from headwater.definitions.op import OpDefinition
from headwater.errors import InvalidDefinitionError, InvalidInvocationError


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
        self.backfill_policy = backfill_policy
        self.is_observable = is_observable
        self.io_manager_keys_by_output_name = dict(io_manager_keys_by_output_name or {})
        self._partitions_def = partitions_def
        self.execution_type = execution_type or ("MATERIALIZATION" if node_def is not None else "UNEXECUTABLE")
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
            raise InvalidInvocationError("This AssetsDefinition is computed by a graph, not a single op; use .node_def.")
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
        defs = {id(s.partitions_def): s.partitions_def for s in self.specs if s.partitions_def is not None}
        return next(iter(defs.values())) if defs else None

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
        meta = self.specs_by_key[key].metadata.get("dagster/io_manager_key") if key in self.specs_by_key else None
        return str(meta) if meta else "io_manager"

    # --- copies -------------------------------------------------------------------------
    def _copy(self, **changes: Any) -> AssetsDefinition:
        new = AssetsDefinition.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new

    def subset_for(self, keys: Iterable[AssetKey], checks: Iterable[AssetCheckKey] | None = None) -> AssetsDefinition:
        selected = set(keys) & set(self.specs_by_key)
        chosen_checks = set(checks) if checks is not None else {c for c in self.check_specs_by_key if c.asset_key in selected}
        if selected != set(self.specs_by_key) and not self.can_subset and self.specs_by_key:
            if selected:
                raise InvalidDefinitionError(
                    f"Asset selection picks {sorted(k.to_user_string() for k in selected)} out of the multi-asset "
                    f"'{self.node_def.name if self.node_def else '?'}', which cannot be subset (can_subset=False). "
                    "Select all of its assets, or define it with can_subset=True."
                )
        return self._copy(_selected_keys=selected, _selected_checks=chosen_checks)

    def with_resources(self, resource_defs: Mapping[str, Any]) -> AssetsDefinition:
        return self._copy(resource_defs={**resource_defs, **self.resource_defs})

    def with_attributes(self, **kwargs: Any) -> AssetsDefinition:
        return self.map_asset_specs(lambda s: s.replace_attributes(**kwargs))

    def map_asset_specs(self, fn: Callable[[AssetSpec], AssetSpec]) -> AssetsDefinition:
        new_specs: dict[AssetKey, AssetSpec] = {}
        for key, spec in self.specs_by_key.items():
            mapped = fn(spec)
            if mapped.key != key:
                raise InvalidDefinitionError(
                    f"map_asset_specs cannot change an asset's key ({key.to_user_string()} -> "
                    f"{mapped.key.to_user_string()}) on an AssetsDefinition."
                )
            new_specs[key] = mapped
        return self._copy(specs_by_key=new_specs)

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
        return self.node_def.direct_invoke(*args, **kwargs)

    def __repr__(self) -> str:
        keys = ", ".join(sorted(k.to_user_string() for k in self.specs_by_key))
        return f"<AssetsDefinition [{keys}]>"


def external_assets_from_specs(specs: Sequence[AssetSpec]) -> list[AssetsDefinition]:
    return [
        AssetsDefinition(keys_by_input_name={}, keys_by_output_name={}, node_def=None, specs=[spec]) for spec in specs
    ]
