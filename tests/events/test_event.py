from __future__ import annotations

from headwater.core.asset_events import AssetMaterialization
from headwater.core.asset_key import AssetKey
from headwater.events.event import Event
from headwater.events.event_type import EventType
from headwater.events.run_status import RunStatus


def test_partition_and_asset_key_come_from_asset_payloads_only() -> None:
    mat = Event(
        EventType.ASSET_MATERIALIZATION, "job", "a", "m", AssetMaterialization("a", partition="2026-11-01")
    )
    assert mat.partition == "2026-11-01" and mat.asset_key == AssetKey("a")
    # A string payload (str has a .partition method) is not a partition.
    text = Event(EventType.ENGINE_EVENT, "job", None, "m", RunStatus.SUCCESS)
    assert text.partition is None and text.asset_key is None and text.asset_check_key is None
