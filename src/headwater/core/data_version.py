"""Data and code versions of materializations: ``DataVersion``, ``DataProvenance`` and the version tags.

Each materialization is tagged, with Dagster's tag names, with:

- ``dagster/code_version``: the code version it was computed with (the asset's ``code_version``, else
  the run id, as Dagster does);
- ``dagster/data_version``: the version of the data it wrote -- the one the asset reported
  (``Output``/``MaterializeResult(data_version=DataVersion(...))``, then also
  ``dagster/data_version_is_user_provided: true``), else a hash of the stored output where the IO
  manager computed one, else the logical version (a hash of the code version and the input data
  versions, as Dagster computes it);
- ``dagster/input_data_version/<key>`` and ``dagster/input_event_pointer/<key>``: for each upstream
  asset, its data version and the storage id of its event when the step ran -- the provenance.

Observations (``ObserveResult``/``AssetObservation``) carry ``dagster/data_version`` too: the version an
observable source asset reported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import NamedTuple

from headwater.core.asset_events import DATA_VERSION_TAG
from headwater.core.asset_key import AssetKey

__all__ = [
    "CODE_VERSION_TAG",
    "DATA_VERSION_IS_USER_PROVIDED_TAG",
    "DATA_VERSION_TAG",
    "INPUT_DATA_VERSION_TAG_PREFIX",
    "INPUT_EVENT_POINTER_TAG_PREFIX",
    "SKIP_REASON_KEY",
    "SKIP_UNCHANGED_TAG",
    "DataProvenance",
    "DataVersion",
    "compute_logical_data_version",
    "data_version_tags",
    "provenance_tags",
]

CODE_VERSION_TAG = "dagster/code_version"
DATA_VERSION_IS_USER_PROVIDED_TAG = "dagster/data_version_is_user_provided"
INPUT_DATA_VERSION_TAG_PREFIX = "dagster/input_data_version"
INPUT_EVENT_POINTER_TAG_PREFIX = "dagster/input_event_pointer"
#: Headwater: the run tag asking every executor to skip steps whose code and input data versions are
#: unchanged, and the metadata entry of the STEP_SKIPPED event saying a step was skipped so (and why).
SKIP_UNCHANGED_TAG = "headwater/skip_unchanged"
SKIP_REASON_KEY = "skip_unchanged_reason"
_INPUT_VERSION = INPUT_DATA_VERSION_TAG_PREFIX + "/"
_INPUT_POINTER = INPUT_EVENT_POINTER_TAG_PREFIX + "/"


class DataVersion(NamedTuple):
    """The version of an asset's data, as the asset reports it (a hash, a row count, a timestamp...)."""

    value: str


class DataProvenance(NamedTuple):
    """What a materialization was computed from: the code version and the data versions (and event
    storage ids) of its inputs, and whether its own data version was reported by the user."""

    code_version: str
    input_data_versions: Mapping[AssetKey, DataVersion]
    input_storage_ids: Mapping[AssetKey, int | None]
    is_user_provided: bool

    @staticmethod
    def from_tags(tags: Mapping[str, str]) -> DataProvenance | None:
        """The provenance recorded in a materialization's tags (None: it has no code version tag)."""
        code_version = tags.get(CODE_VERSION_TAG)
        if code_version is None:
            return None
        versions: dict[AssetKey, DataVersion] = {}
        storage_ids: dict[AssetKey, int | None] = {}
        for tag, value in tags.items():
            if tag.startswith(_INPUT_VERSION):
                versions[AssetKey.from_user_string(tag[len(_INPUT_VERSION) :])] = DataVersion(value)
            elif tag.startswith(_INPUT_POINTER):
                key = AssetKey.from_user_string(tag[len(_INPUT_POINTER) :])
                storage_ids[key] = int(value) if value.isdigit() else None
        for key in versions:
            storage_ids.setdefault(key, None)
        return DataProvenance(
            code_version, versions, storage_ids, tags.get(DATA_VERSION_IS_USER_PROVIDED_TAG) == "true"
        )

    def has_input_asset(self, key: AssetKey) -> bool:
        return key in self.input_data_versions


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


def compute_logical_data_version(code_version: str, input_versions: Mapping[AssetKey, str]) -> DataVersion:
    """The data version of a materialization that reported none: a hash of its code version and its
    input data versions (in key order), as Dagster computes it."""
    parts = [code_version, *(input_versions[k] for k in sorted(input_versions, key=AssetKey.to_string))]
    return DataVersion(hashlib.sha256("".join(parts).encode()).hexdigest())


def provenance_tags(inputs: Mapping[AssetKey, tuple[str, int | None]]) -> dict[str, str]:
    """The ``dagster/input_data_version/<key>`` and ``dagster/input_event_pointer/<key>`` tags of the
    inputs' (data version, storage id)."""
    tags: dict[str, str] = {}
    for key, (version, storage_id) in inputs.items():
        name = key.to_user_string()
        tags[_INPUT_VERSION + name] = version
        if storage_id is not None:
            tags[_INPUT_POINTER + name] = str(storage_id)
    return tags
