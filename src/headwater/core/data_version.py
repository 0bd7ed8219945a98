"""Data and code versions of materializations: ``DataVersion`` and the tags that record versions.

Each materialization is tagged with the code version it was computed with (``dagster/code_version``:
the asset's ``code_version``, else the run id, as Dagster does); a data version the asset reports
(``Output``/``MaterializeResult``/``ObserveResult(data_version=DataVersion(...))``) is tagged too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from headwater.core.asset_events import DATA_VERSION_TAG

CODE_VERSION_TAG = "dagster/code_version"
DATA_VERSION_IS_USER_PROVIDED_TAG = "dagster/data_version_is_user_provided"


class DataVersion(NamedTuple):
    """The version of an asset's data, as the asset reports it (a hash, a row count, a timestamp...)."""

    value: str


def data_version_tags(data_version: object) -> dict[str, str]:
    """The tags recording a data version the user reported (none for ``None``)."""
    if data_version is None:
        return {}
    value = data_version.value if isinstance(data_version, DataVersion) else str(data_version)
    return {DATA_VERSION_TAG: value, DATA_VERSION_IS_USER_PROVIDED_TAG: "true"}


class DataVersionsByPartition:
    """What the observe function of a partitioned observable source asset returns: the data version
    of each partition it observed (one observation is recorded per partition)."""

    __slots__ = ("data_versions_by_partition",)

    def __init__(self, data_versions_by_partition: Mapping[str, str | DataVersion]) -> None:
        self.data_versions_by_partition: dict[str, DataVersion] = {
            str(k): v if isinstance(v, DataVersion) else DataVersion(str(v))
            for k, v in data_versions_by_partition.items()
        }

    def __repr__(self) -> str:
        return f"DataVersionsByPartition({self.data_versions_by_partition!r})"
