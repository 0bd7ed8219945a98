"""The versions the asset index keeps (for staleness), on every backend: written with the events,
per asset and per partition, kept by observations with a data version only, cleared by a wipe,
derived again from the remaining events after a run's events are deleted."""

from __future__ import annotations

import itertools

from headwater.core.asset_events import AssetMaterialization, AssetObservation
from headwater.core.asset_key import AssetKey
from headwater.core.data_version import CODE_VERSION_TAG, DATA_VERSION_TAG, provenance_tags
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.storage.protocols import Storage

from .conftest import Events

A, B = AssetKey("a"), AssetKey(["b", "c"])


def _mat(
    events: Events, run_id: str, key: AssetKey, version: str, partition: str | None = None, **inputs: str
) -> EventLogEntry:
    tags = {
        CODE_VERSION_TAG: "1",
        DATA_VERSION_TAG: version,
        **provenance_tags({AssetKey.from_user_string(k): (v, 7) for k, v in inputs.items()}),
    }
    data = AssetMaterialization(key, partition=partition, tags=tags)
    return events.entry(run_id, Event(EventType.ASSET_MATERIALIZATION, "job", "s", event_specific_data=data))


def _obs(events: Events, run_id: str, key: AssetKey, version: str | None) -> EventLogEntry:
    data = AssetObservation(key, tags={DATA_VERSION_TAG: version} if version else None)
    return events.entry(run_id, Event(EventType.ASSET_OBSERVATION, "job", "s", event_specific_data=data))


def test_versions_are_written_with_the_events(storage: Storage, events: Events) -> None:
    store = storage.event_store
    ids = store.store_events([_mat(events, "r1", A, "va"), _mat(events, "r1", B, "vb", a="va")])
    versions = store.get_asset_versions()
    assert set(versions) == {A, B}
    b = versions[B].materialized
    assert b is not None and b.storage_id == ids[1] and b.data_version == "vb" and b.code_version == "1"
    assert b.inputs == {"a": "va"} and b.input_ids == {"a": 7} and b.has_provenance
    assert store.get_asset_versions([A]).keys() == {A}
    # observations: only those with a data version count
    store.store_events([_obs(events, "r2", A, "o1"), _obs(events, "r2", A, None)])
    observed = store.get_asset_versions([A])[A].observed
    assert observed is not None and observed.data_version == "o1"


def test_partitions_have_their_own_versions(storage: Storage, events: Events) -> None:
    store = storage.event_store
    store.store_events([_mat(events, "r1", A, "p1", "2024-01-01"), _mat(events, "r1", A, "p2", "2024-01-02")])
    by_partition = store.get_asset_partition_versions(A)
    assert {p: v.materialized.data_version for p, v in by_partition.items() if v.materialized} == {
        "2024-01-01": "p1",
        "2024-01-02": "p2",
    }
    assert set(store.get_asset_partition_versions(A, ["2024-01-02"])) == {"2024-01-02"}
    latest = store.get_asset_versions([A])[A].materialized
    assert latest is not None and latest.data_version == "p2"  # the asset's latest, any partition


def test_wipe_and_deleted_runs(storage: Storage, events: Events) -> None:
    store = storage.event_store
    stamps = [store.get_asset_versions_stamp()]
    store.store_events([_mat(events, "r1", A, "v1")])
    stamps.append(store.get_asset_versions_stamp())
    store.store_events([_mat(events, "r2", A, "v2")])
    stamps.append(store.get_asset_versions_stamp())
    store.delete_events("r2")  # the index points at r1's event again, and its versions come back
    found = store.get_asset_versions([A])[A].materialized
    assert found is not None and found.data_version == "v1"
    stamps.append(store.get_asset_versions_stamp())
    store.store_events([_obs(events, "r3", A, "o1")])
    stamps.append(store.get_asset_versions_stamp())
    store.wipe_assets([A])
    assert store.get_asset_versions([A]) == {}
    stamps.append(store.get_asset_versions_stamp())
    # every change of the index changed the stamp (what the webserver's staleness cache relies on)
    assert all(a != b for a, b in itertools.pairwise(stamps)), stamps
    store.store_events([_mat(events, "r4", B, "vb")])  # a new event raises a maximum, whatever else
    assert store.get_asset_versions_stamp() not in stamps
