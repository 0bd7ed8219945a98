"""AssetSpec, AssetDep and SourceAsset: assets described without (or before) their code."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from headwater.core.asset_key import AssetKey, CoercibleToAssetKey
from headwater.definitions.tags import KIND_PREFIX, normalize_tags
from headwater.errors import InvalidDefinitionError
from headwater.specs.freshness import FreshnessPolicy, LegacyFreshnessPolicy
from headwater.specs.partition_mappings import check_partition_mapping

KIND_TAG_PREFIX = KIND_PREFIX
_UNSET: Any = object()


def coerce_dep_key(value: Any) -> AssetKey:
    """An AssetKey from a key, a string, a list of parts, an AssetSpec, SourceAsset or AssetsDefinition."""
    if isinstance(value, AssetDep):
        return value.asset_key
    key = getattr(value, "key", None)
    if isinstance(key, AssetKey):
        return key
    keys = getattr(value, "keys", None)
    if isinstance(keys, (set, frozenset)) and keys:
        if len(keys) != 1:
            raise InvalidDefinitionError(
                f"Cannot depend on {value!r}: it defines {len(keys)} assets; name the one you need with its "
                "AssetKey."
            )
        return next(iter(keys))  # type: ignore[no-any-return]
    return AssetKey.from_coercible(value)


class AssetDep:
    """A dependency on an upstream asset that is not passed in as a value."""

    __slots__ = ("asset_key", "partition_mapping")

    def __init__(self, asset: Any, *, partition_mapping: Any = None) -> None:
        self.asset_key = coerce_dep_key(asset)
        self.partition_mapping = check_partition_mapping(
            partition_mapping, f"AssetDep({self.asset_key.to_user_string()!r})"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssetDep) and other.asset_key == self.asset_key

    def __hash__(self) -> int:
        return hash(self.asset_key)

    def __repr__(self) -> str:
        return f"AssetDep({self.asset_key!r})"


def self_dependency_error(key: AssetKey) -> InvalidDefinitionError:
    """Dagster's error for an asset that depends on itself (without a partition mapping to earlier
    partitions, which is how a partitioned asset may)."""
    return InvalidDefinitionError(
        f'Asset "{key.to_user_string()}" depends on itself. Assets can only depend on themselves if they are:'
        "\n(a) time-partitioned and each partition depends on earlier partitions"
        "\n(b) multipartitioned, with one time dimension that depends on earlier time partitions"
    )


def check_self_deps(spec: AssetSpec, input_keys: Iterable[AssetKey] = ()) -> None:
    """Raise ``self_dependency_error`` when ``spec`` lists itself among its deps or ``input_keys``."""
    for dep in spec.deps:
        if dep.asset_key == spec.key and dep.partition_mapping is None:
            raise self_dependency_error(spec.key)
    if spec.partitions_def is None and spec.key in set(input_keys):
        raise self_dependency_error(spec.key)


def with_partition_mappings(deps: Iterable[AssetDep], mappings: Mapping[AssetKey, Any]) -> list[AssetDep]:
    """``deps`` with the partition mappings of ``mappings`` (by upstream key) set where they have none."""
    return [
        AssetDep(d.asset_key, partition_mapping=mappings[d.asset_key])
        if d.partition_mapping is None and mappings.get(d.asset_key) is not None
        else d
        for d in deps
    ]


def coerce_deps(deps: Iterable[Any] | None) -> list[AssetDep]:
    """AssetDeps from keys, strings, specs, definitions or AssetDeps; a key given twice is kept once."""
    out: list[AssetDep] = []
    seen: set[AssetKey] = set()
    for dep in deps or ():
        ad = dep if isinstance(dep, AssetDep) else AssetDep(dep)
        if ad.asset_key in seen:
            continue
        seen.add(ad.asset_key)
        out.append(ad)
    return out


def check_freshness_policies(policy: Any, legacy: Any, key: AssetKey) -> tuple[Any, Any]:
    """``freshness_policy=`` takes a ``FreshnessPolicy``, ``legacy_freshness_policy=`` a
    ``LegacyFreshnessPolicy`` (as Dagster's parameters do)."""
    where = f"Asset {key.to_user_string()!r}"
    if policy is not None and not isinstance(policy, FreshnessPolicy):
        hint = (
            " Pass a LegacyFreshnessPolicy with legacy_freshness_policy= instead."
            if isinstance(policy, LegacyFreshnessPolicy)
            else ""
        )
        raise InvalidDefinitionError(
            f"{where}: freshness_policy must be a FreshnessPolicy (FreshnessPolicy.time_window(...) or "
            f"FreshnessPolicy.cron(...)); got {policy!r}.{hint}"
        )
    if type(policy) is FreshnessPolicy:
        raise InvalidDefinitionError(
            f"{where}: build the policy with FreshnessPolicy.time_window(...) or FreshnessPolicy.cron(...)."
        )
    if legacy is not None and not isinstance(legacy, LegacyFreshnessPolicy):
        raise InvalidDefinitionError(
            f"{where}: legacy_freshness_policy must be a LegacyFreshnessPolicy; got {legacy!r}."
        )
    return policy, legacy


def apply_freshness_policy(
    spec: AssetSpec, policy: FreshnessPolicy, overwrite_existing: bool = True
) -> AssetSpec:
    """``spec`` with ``policy`` as its freshness policy (kept when it has one and not
    ``overwrite_existing``); use it with ``Definitions.map_asset_specs``."""
    if not overwrite_existing and spec.freshness_policy is not None:
        return spec
    return spec.replace_attributes(freshness_policy=policy)


class AssetSpec:
    """Everything about an asset except how to compute it."""

    __slots__ = (
        "automation_condition",
        "code_version",
        "deps",
        "description",
        "freshness_policy",
        "group_name",
        "key",
        "kinds",
        "legacy_freshness_policy",
        "metadata",
        "owners",
        "partitions_def",
        "skippable",
        "tags",
    )

    def __init__(
        self,
        key: CoercibleToAssetKey,
        *,
        deps: Iterable[Any] | None = None,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        skippable: bool = False,
        group_name: str | None = None,
        code_version: str | None = None,
        automation_condition: Any = None,
        owners: Sequence[str] | None = None,
        tags: Mapping[str, str] | None = None,
        kinds: set[str] | None = None,
        partitions_def: Any = None,
        freshness_policy: FreshnessPolicy | None = None,
        legacy_freshness_policy: LegacyFreshnessPolicy | None = None,
    ) -> None:
        self.key = AssetKey.from_coercible(key)
        self.deps = coerce_deps(deps)
        self.description = description
        self.metadata = dict(metadata or {})
        self.skippable = skippable
        self.group_name = group_name
        self.code_version = code_version
        self.automation_condition = automation_condition
        self.owners = list(owners or [])
        for owner in self.owners:
            if not isinstance(owner, str) or not (owner.startswith("team:") or "@" in owner):
                raise InvalidDefinitionError(
                    f"Invalid owner '{owner}' for asset '{self.key!r}'. Owner must be an email address or a "
                    "team "
                    "name prefixed with 'team:'."
                )
        all_tags = normalize_tags(tags, strict=True)
        kind_set = set(kinds or ())
        for tag_key in list(all_tags):
            if tag_key.startswith(KIND_TAG_PREFIX):
                kind_set.add(tag_key[len(KIND_TAG_PREFIX) :])
        for kind in kind_set:
            all_tags[KIND_TAG_PREFIX + kind] = ""
        self.tags = all_tags
        self.kinds = kind_set
        self.partitions_def = partitions_def
        self.freshness_policy, self.legacy_freshness_policy = check_freshness_policies(
            freshness_policy, legacy_freshness_policy, self.key
        )

    def _fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def replace_attributes(self, **kwargs: Any) -> AssetSpec:
        """A copy with the given attributes replaced (key, deps, description, metadata, group_name, ...).

        Kinds survive a change of ``tags`` (their ``dagster/kind/*`` tags are re-added); replacing ``kinds``
        drops the kind tags of the old kinds.
        """
        fields = self._fields()
        for name in kwargs:
            if name not in fields:
                raise TypeError(f"AssetSpec.replace_attributes() got an unexpected keyword argument '{name}'")
        user_tags = {k: v for k, v in self.tags.items() if not k.startswith(KIND_TAG_PREFIX)}
        fields["tags"] = user_tags
        fields.update(kwargs)
        if "tags" in kwargs and "kinds" not in kwargs:
            fields["kinds"] = self.kinds
        key = fields.pop("key")
        return AssetSpec(key, **fields)

    def merge_attributes(
        self,
        *,
        deps: Iterable[Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        owners: Sequence[str] | None = None,
        tags: Mapping[str, str] | None = None,
        kinds: set[str] | None = None,
    ) -> AssetSpec:
        """A copy with deps, metadata, owners, tags and kinds merged into the existing ones."""
        fields = self._fields()
        fields["deps"] = [
            *self.deps,
            *coerce_deps(
                d for d in (deps or ()) if coerce_dep_key(d) not in {x.asset_key for x in self.deps}
            ),
        ]
        fields["metadata"] = {**self.metadata, **(metadata or {})}
        fields["owners"] = [*self.owners, *[o for o in (owners or ()) if o not in self.owners]]
        fields["tags"] = {**self.tags, **(tags or {})}
        fields["kinds"] = self.kinds | set(kinds or ())
        key = fields.pop("key")
        return AssetSpec(key, **fields)

    def with_io_manager_key(self, io_manager_key: str) -> AssetSpec:
        return self.merge_attributes(metadata={"dagster/io_manager_key": io_manager_key})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssetSpec) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"AssetSpec(key={self.key!r})"


class SourceAsset:
    """An asset produced outside Headwater that assets can read through an IO manager."""

    def __init__(
        self,
        key: CoercibleToAssetKey,
        metadata: Mapping[str, Any] | None = None,
        io_manager_key: str | None = None,
        io_manager_def: Any = None,
        description: str | None = None,
        partitions_def: Any = None,
        group_name: str | None = None,
        resource_defs: Mapping[str, Any] | None = None,
        observe_fn: Callable[..., Any] | None = None,
        op_tags: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        owners: Sequence[str] | None = None,
        *,
        auto_observe_interval_minutes: float | None = None,
        automation_condition: Any = None,
        _required_resource_keys: Iterable[str] | None = None,
    ) -> None:
        self.key = AssetKey.from_coercible(key)
        self.metadata = dict(metadata or {})
        self.io_manager_key = io_manager_key or (
            "io_manager" if io_manager_def is None else f"{self.key.to_python_identifier()}__io_manager"
        )
        self.resource_defs = dict(resource_defs or {})
        if io_manager_def is not None:
            self.resource_defs[self.io_manager_key] = io_manager_def
        self.description = description
        self.partitions_def = partitions_def
        self.group_name = group_name or "default"
        self.observe_fn = observe_fn
        self.op_tags = dict(op_tags or {})
        self.tags = dict(tags or {})
        self.owners = list(owners or [])
        # Observable source assets (see definitions.observable_source_asset): how often the daemon
        # observes it, and the resources its observe function needs.
        self.auto_observe_interval_minutes = auto_observe_interval_minutes
        self.automation_condition = automation_condition
        self._required_resource_keys = set(_required_resource_keys or ())

    @property
    def is_observable(self) -> bool:
        return self.observe_fn is not None

    @property
    def is_executable(self) -> bool:
        return self.is_observable

    @property
    def required_resource_keys(self) -> set[str]:
        return set(self._required_resource_keys)

    @property
    def op(self) -> Any:
        """The op that runs the observe function (an observable source asset only)."""
        from headwater.definitions.observable_source_asset import observation_assets_def

        return observation_assets_def(self).op

    def with_resources(self, resource_defs: Mapping[str, Any]) -> SourceAsset:
        merged = {**resource_defs, **self.resource_defs}
        out = SourceAsset.__new__(SourceAsset)
        out.__dict__.update(self.__dict__)
        out.resource_defs = merged
        return out

    def with_attributes(
        self, *, key: CoercibleToAssetKey | None = None, group_name: str | None = None
    ) -> SourceAsset:
        """A copy with another key and/or group (what key prefixes and ``group_name`` of loaders do)."""
        out = SourceAsset.__new__(SourceAsset)
        out.__dict__.update(self.__dict__)
        if key is not None:
            out.key = AssetKey.from_coercible(key)
        if group_name is not None:
            out.group_name = group_name
        return out

    def __repr__(self) -> str:
        return f"SourceAsset(key={self.key!r})"


def map_asset_specs(func: Callable[[AssetSpec], AssetSpec], iterable: Iterable[Any]) -> list[Any]:
    """Apply ``func`` to each AssetSpec, and to each spec inside each AssetsDefinition."""
    out: list[Any] = []
    for item in iterable:
        if isinstance(item, AssetSpec):
            out.append(func(item))
        elif hasattr(item, "map_asset_specs"):
            out.append(item.map_asset_specs(func))
        else:
            out.append(item)
    return out
