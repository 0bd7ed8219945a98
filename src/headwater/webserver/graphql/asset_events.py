"""An asset's materializations and observations: ``MaterializationEvent`` / ``ObservationEvent`` over
stored event records (Dagster's names and fields)."""

from __future__ import annotations

import strawberry

from headwater.core.data_version import CODE_VERSION_TAG
from headwater.events.event import EventLogRecord
from headwater.webserver.graphql.asset_keys import AssetKey
from headwater.webserver.graphql.metadata import MetadataEntry, metadata_entries
from headwater.webserver.graphql.tags import EventTag, event_tags


@strawberry.interface(description="What materializations and observations have in common.")
class AssetEventFields:
    record: strawberry.Private[EventLogRecord]
    run_id: str
    timestamp: str = strawberry.field(description="Milliseconds since the epoch, as a string (Dagster).")
    storage_id: str = strawberry.field(description="The event's storage id (a cursor).")

    @strawberry.field
    def step_key(self) -> str | None:
        return self.record.event_log_entry.step_key

    @strawberry.field
    def asset_key(self) -> AssetKey | None:
        key = self.record.asset_key
        return AssetKey.of(key) if key is not None else None

    @strawberry.field
    def partition(self) -> str | None:
        return self.record.partition_key

    @strawberry.field
    def description(self) -> str | None:
        event = self.record.event_log_entry.dagster_event
        return getattr(event.event_specific_data, "description", None) if event is not None else None

    @strawberry.field
    def metadata_entries(self) -> list[MetadataEntry]:
        event = self.record.event_log_entry.dagster_event
        data = event.event_specific_data if event is not None else None
        return metadata_entries(getattr(data, "metadata", None))

    @strawberry.field
    def tags(self) -> list[EventTag]:
        event = self.record.event_log_entry.dagster_event
        data = event.event_specific_data if event is not None else None
        return event_tags(getattr(data, "tags", None))

    @strawberry.field(
        description="The code version the asset was computed with (its dagster/code_version tag)."
    )
    def code_version(self) -> str | None:
        event = self.record.event_log_entry.dagster_event
        data = event.event_specific_data if event is not None else None
        return (getattr(data, "tags", None) or {}).get(CODE_VERSION_TAG)


def _fields(record: EventLogRecord) -> dict[str, object]:
    entry = record.event_log_entry
    return {
        "record": record,
        "run_id": entry.run_id,
        "timestamp": str(int(entry.timestamp * 1000)),
        "storage_id": str(record.storage_id),
    }


@strawberry.type(description="An asset (or one partition) was materialized.")
class MaterializationEvent(AssetEventFields):
    @staticmethod
    def of(record: EventLogRecord) -> MaterializationEvent:
        return MaterializationEvent(**_fields(record))  # type: ignore[arg-type]


@strawberry.type(description="An asset (or one partition) was observed.")
class ObservationEvent(AssetEventFields):
    @staticmethod
    def of(record: EventLogRecord) -> ObservationEvent:
        return ObservationEvent(**_fields(record))  # type: ignore[arg-type]
