"""Staleness of an asset (or one partition of it): ``StaleStatus`` and the ``StaleCause`` list.

An asset is MISSING until it has a materialization (a source asset: an observation), STALE when a cause
says its stored data no longer follows from its code and its inputs, FRESH otherwise. The causes use
Dagster's categories and reasons: CODE ("has a new code version"), DATA ("has a new dependency data
version", "has a new dependency materialization", "has stale dependency") and DEPENDENCIES ("has a
new dependency on X", "removed dependency on X").
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from headwater.core.asset_key import AssetKey


class StaleStatus(Enum):
    MISSING = "MISSING"
    STALE = "STALE"
    FRESH = "FRESH"


class StaleCauseCategory(Enum):
    CODE = "CODE"
    DATA = "DATA"
    DEPENDENCIES = "DEPENDENCIES"


class StaleCause(NamedTuple):
    """Why ``key`` (``partition_key``) is stale; ``dependency`` is the upstream asset involved."""

    key: AssetKey
    category: StaleCauseCategory
    reason: str
    dependency: AssetKey | None = None
    partition_key: str | None = None
    dependency_partition_key: str | None = None

    @property
    def asset_key(self) -> AssetKey:
        return self.key

    @property
    def sort_key(self) -> str:
        dep = self.dependency.to_user_string() if self.dependency is not None else ""
        return f"{self.key.to_user_string()}/{self.partition_key or ''}/{self.category.value}/{dep}"

    def describe(self) -> str:
        """One line for the CLI and logs: ``b: has a new dependency data version (a)``."""
        where = self.key.to_user_string() + (f"[{self.partition_key}]" if self.partition_key else "")
        dep = ""
        if self.dependency is not None:
            dep = f" ({self.dependency.to_user_string()}"
            dep += f"[{self.dependency_partition_key}])" if self.dependency_partition_key else ")"
        return f"{where}: {self.reason}{dep}"
