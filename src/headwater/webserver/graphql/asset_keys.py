"""``AssetKey`` (its path, as in Dagster's schema) and ``AssetKeyInput``."""

from __future__ import annotations

import strawberry

from headwater.core.asset_key import AssetKey as CoreAssetKey


@strawberry.type(description="An asset's key: its path of strings.")
class AssetKey:
    path: list[str]

    @staticmethod
    def of(key: CoreAssetKey) -> AssetKey:
        return AssetKey(path=list(key.path))


@strawberry.input(description='An asset key as a path, e.g. {path: ["warehouse", "orders"]}.')
class AssetKeyInput:
    path: list[str]

    def to_key(self) -> CoreAssetKey:
        return CoreAssetKey(self.path)
