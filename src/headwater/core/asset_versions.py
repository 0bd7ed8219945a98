"""What the asset index keeps of an asset's (or a partition's) versions, to compute staleness without
reading events: for its latest materialization and for its latest observation carrying a data version,
the event's storage id and time, its data version, code version and input data versions.

Written with each event, in the transaction that stores it (``storage.sql.events``); read for a whole
graph in one query (``storage.sql.asset_versions``).
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from headwater.core.data_version import (
    CODE_VERSION_TAG,
    DATA_VERSION_IS_USER_PROVIDED_TAG,
    DATA_VERSION_TAG,
    INPUT_DATA_VERSION_TAG_PREFIX,
    INPUT_EVENT_POINTER_TAG_PREFIX,
)

_INPUT_VERSION = INPUT_DATA_VERSION_TAG_PREFIX + "/"
_INPUT_POINTER = INPUT_EVENT_POINTER_TAG_PREFIX + "/"


class VersionRecord(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """One event's versions. ``inputs``/``input_ids`` are keyed by the upstream asset's user string."""

    storage_id: int
    timestamp: float
    data_version: str | None = None
    code_version: str | None = None
    user_provided: bool = False
    inputs: dict[str, str] = {}
    input_ids: dict[str, int] = {}

    @staticmethod
    def of_event(storage_id: int, timestamp: float, tags: Mapping[str, str] | None) -> VersionRecord:
        tags = tags or {}
        inputs: dict[str, str] = {}
        input_ids: dict[str, int] = {}
        for tag, value in tags.items():
            if tag.startswith("dagster/input_"):
                if tag.startswith(_INPUT_VERSION):
                    inputs[tag[len(_INPUT_VERSION) :]] = value
                elif tag.startswith(_INPUT_POINTER) and value.isdigit():
                    input_ids[tag[len(_INPUT_POINTER) :]] = int(value)
        return VersionRecord(
            storage_id,
            timestamp,
            tags.get(DATA_VERSION_TAG),
            tags.get(CODE_VERSION_TAG),
            tags.get(DATA_VERSION_IS_USER_PROVIDED_TAG) == "true",
            inputs,
            input_ids,
        )

    @property
    def has_provenance(self) -> bool:
        """Whether the event recorded what it was computed from (events written before versioning
        did not: staleness then compares event order instead)."""
        return self.code_version is not None


class AssetVersions(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """An asset's (or a partition's) latest materialization and latest versioned observation."""

    materialized: VersionRecord | None = None
    observed: VersionRecord | None = None


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(VersionRecord)


def encode_version_record(record: VersionRecord) -> str:
    return _encoder.encode(record).decode()


def decode_version_record(text: str | bytes | None) -> VersionRecord | None:
    """The record stored in an index column (None for NULL or a value this version cannot read)."""
    if not text:
        return None
    try:
        return _decoder.decode(text)
    except msgspec.DecodeError:
        return None
