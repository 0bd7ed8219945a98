"""In and AssetIn: how an op or asset receives data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater.core.asset_key import AssetKey, CoercibleToAssetKey, coerce_prefix
from headwater.specs.partition_mappings import check_partition_mapping


class _NoValue:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NoValue"


NoValue: Any = _NoValue()


class In:
    """An op input: its type, default value, and optional asset to load from."""

    __slots__ = ("asset_key", "dagster_type", "default_value", "description", "input_manager_key", "metadata")

    def __init__(
        self,
        dagster_type: Any = NoValue,
        description: str | None = None,
        default_value: Any = NoValue,
        metadata: Mapping[str, Any] | None = None,
        asset_key: CoercibleToAssetKey | None = None,
        asset_partitions: Any = None,
        input_manager_key: str | None = None,
    ) -> None:
        self.dagster_type = dagster_type
        self.description = description
        self.default_value = default_value
        self.metadata = dict(metadata or {})
        self.asset_key = AssetKey.from_coercible(asset_key) if asset_key is not None else None
        self.input_manager_key = input_manager_key

    @property
    def has_default(self) -> bool:
        return self.default_value is not NoValue


class AssetIn:
    """How an asset's argument maps to an upstream asset."""

    __slots__ = ("dagster_type", "input_manager_key", "key", "key_prefix", "metadata", "partition_mapping")

    def __init__(
        self,
        key: CoercibleToAssetKey | None = None,
        metadata: Mapping[str, Any] | None = None,
        key_prefix: str | Sequence[str] | None = None,
        input_manager_key: str | None = None,
        partition_mapping: Any = None,
        dagster_type: Any = NoValue,
    ) -> None:
        self.key = AssetKey.from_coercible(key) if key is not None else None
        self.metadata = dict(metadata or {})
        self.key_prefix = coerce_prefix(key_prefix) if key_prefix is not None else None
        self.input_manager_key = input_manager_key
        self.partition_mapping = check_partition_mapping(partition_mapping, "AssetIn")
        self.dagster_type = dagster_type
