"""Out, DynamicOut and AssetOut: what an op or asset produces."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater.core.asset_key import AssetKey, CoercibleToAssetKey, coerce_prefix
from headwater.definitions.inputs import NoValue


class Out:
    """An op output: its type, whether it must be produced, and the IO manager that stores it."""

    __slots__ = ("code_version", "dagster_type", "description", "io_manager_key", "is_required", "metadata")

    is_dynamic = False

    def __init__(
        self,
        dagster_type: Any = NoValue,
        description: str | None = None,
        is_required: bool = True,
        io_manager_key: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        code_version: str | None = None,
    ) -> None:
        self.dagster_type = dagster_type
        self.description = description
        self.is_required = is_required
        self.io_manager_key = io_manager_key
        self.metadata = dict(metadata or {})
        self.code_version = code_version


class DynamicOut(Out):
    """An output yielding any number of ``DynamicOutput`` values, fanned out with ``.map``."""

    __slots__ = ()

    is_dynamic = True


class AssetOut:
    """One asset produced by a ``multi_asset``."""

    __slots__ = (
        "automation_condition",
        "code_version",
        "dagster_type",
        "description",
        "freshness_policy",
        "group_name",
        "io_manager_key",
        "is_required",
        "key",
        "key_prefix",
        "kinds",
        "legacy_freshness_policy",
        "metadata",
        "owners",
        "tags",
    )

    def __init__(
        self,
        key_prefix: str | Sequence[str] | None = None,
        dagster_type: Any = NoValue,
        description: str | None = None,
        is_required: bool = True,
        io_manager_key: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        group_name: str | None = None,
        code_version: str | None = None,
        key: CoercibleToAssetKey | None = None,
        owners: Sequence[str] | None = None,
        tags: Mapping[str, str] | None = None,
        kinds: set[str] | None = None,
        automation_condition: Any = None,
        freshness_policy: Any = None,
        legacy_freshness_policy: Any = None,
    ) -> None:
        self.key_prefix = coerce_prefix(key_prefix) if key_prefix is not None else None
        self.key = AssetKey.from_coercible(key) if key is not None else None
        self.dagster_type = dagster_type
        self.description = description
        self.is_required = is_required
        self.io_manager_key = io_manager_key
        self.metadata = dict(metadata or {})
        self.group_name = group_name
        self.code_version = code_version
        self.owners = list(owners or [])
        self.tags = dict(tags or {})
        self.kinds = set(kinds or ())
        self.automation_condition = automation_condition
        self.freshness_policy = freshness_policy  # checked by the AssetSpec made of it
        self.legacy_freshness_policy = legacy_freshness_policy
