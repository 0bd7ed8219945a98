"""AssetCheckKey: the address of one asset check (asset key + check name)."""

from __future__ import annotations

from typing import NamedTuple

from headwater.core.asset_key import AssetKey


class AssetCheckKey(NamedTuple):
    asset_key: AssetKey
    name: str

    def to_user_string(self) -> str:
        return f"{self.asset_key.to_user_string()}:{self.name}"

    @staticmethod
    def from_user_string(value: str) -> AssetCheckKey:
        key, _, name = value.rpartition(":")
        return AssetCheckKey(AssetKey.from_user_string(key), name)
