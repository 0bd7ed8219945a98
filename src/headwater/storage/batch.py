"""Checks every backend runs on a batch of entries before writing any of it."""

from __future__ import annotations

from collections.abc import Sequence

from headwater.errors import StorageError
from headwater.events.event import EventLogEntry
from headwater.events.event_type import EventType

CHECK_EVENT_TYPES = frozenset({EventType.ASSET_CHECK_EVALUATION, EventType.ASSET_CHECK_EVALUATION_PLANNED})


def validate_entries(entries: Sequence[EventLogEntry]) -> None:
    """Raise before anything is written if an entry cannot be stored."""
    for entry in entries:
        if not isinstance(entry, EventLogEntry):
            raise StorageError(
                f"store_events takes EventLogEntry objects; got {entry!r} ({type(entry).__name__})."
            )
        event = entry.dagster_event
        if event is not None and event.event_type in CHECK_EVENT_TYPES and event.asset_check_key is None:
            raise StorageError(
                f"{event.event_type.value} event in run {entry.run_id} has no asset_check_key; its "
                f"event_specific_data ({type(event.event_specific_data).__name__}) must carry one."
            )
