"""AssetCheckSpec: what a check is, without its code."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.definitions.asset_spec import coerce_dep_key
from headwater.definitions.node import check_valid_name


class AssetCheckSpec:
    """A check on one asset: its name, whether it blocks downstream assets, and extra deps."""

    __slots__ = (
        "additional_deps",
        "asset_key",
        "automation_condition",
        "blocking",
        "description",
        "metadata",
        "name",
    )

    def __init__(
        self,
        name: str,
        *,
        asset: Any,
        additional_deps: Iterable[Any] | None = None,
        description: str | None = None,
        blocking: bool = False,
        metadata: Mapping[str, Any] | None = None,
        automation_condition: Any = None,
    ) -> None:
        self.name = check_valid_name(name, what="Asset check")
        self.asset_key: AssetKey = coerce_dep_key(asset)
        self.additional_deps = [coerce_dep_key(d) for d in additional_deps or ()]
        self.description = description
        self.blocking = blocking
        self.metadata = dict(metadata or {})
        self.automation_condition = automation_condition

    @property
    def key(self) -> AssetCheckKey:
        return AssetCheckKey(self.asset_key, self.name)

    def get_python_identifier(self) -> str:
        return f"{self.asset_key.to_python_identifier()}_{self.name}"

    def __repr__(self) -> str:
        return f"AssetCheckSpec(name={self.name!r}, asset_key={self.asset_key!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssetCheckSpec) and self.key == other.key and self.blocking == other.blocking

    def __hash__(self) -> int:
        return hash(self.key)
