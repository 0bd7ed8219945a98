"""Decoding ``event_logs`` rows, and a bounded cache of decoded rows by storage id.

A row's JSON body does not repeat what its columns hold (run id, timestamp, step key, event type):
read an entry from the columns of :data:`ENTRY_COLUMNS` with :func:`decode_row`.

A stored event never changes and a storage id is never reused, so a decoded entry can be handed out
again (treat entries as read-only). The asset index reads -- the latest
materialization of thousands of assets, every daemon tick and UI refresh -- hit the same few rows
over and over; decoding them is most of the cost of such a read.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from headwater.events.event import EventLogEntry
from headwater.storage.serde import RowColumns, entry_or_none
from headwater.storage.sql.schema import event_logs

#: The ``event_logs`` columns an entry is read from, in the order :func:`decode_row` takes them.
ENTRY_COLUMNS = (
    event_logs.c.id,
    event_logs.c.event,
    event_logs.c.run_id,
    event_logs.c.timestamp,
    event_logs.c.step_key,
    event_logs.c.dagster_event_type,
)


def decode_row(row: Sequence[Any]) -> EventLogEntry | None:
    """The entry of a row of :data:`ENTRY_COLUMNS`; a corrupt row is skipped with a warning (None)."""
    storage_id, body, run_id, timestamp, step_key, event_type = row
    return entry_or_none(body, storage_id, RowColumns(run_id, timestamp, step_key, event_type))


#: Entries kept (least recently used dropped first): one per asset for 20,000 assets.
ENTRY_CACHE_SIZE = 20_000


class EntryCache:
    def __init__(self, size: int = ENTRY_CACHE_SIZE) -> None:
        self._size = size
        self._entries: OrderedDict[int, EventLogEntry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, storage_id: int) -> EventLogEntry | None:
        with self._lock:
            entry = self._entries.get(storage_id)
            if entry is not None:
                self._entries.move_to_end(storage_id)
            return entry

    def decode(self, row: Sequence[Any]) -> EventLogEntry | None:
        """The entry of ``row`` (of :data:`ENTRY_COLUMNS`); a corrupt row is skipped with a warning (None)."""
        storage_id: int = row[0]
        with self._lock:
            entry = self._entries.get(storage_id)
            if entry is not None:
                self._entries.move_to_end(storage_id)
                return entry
        entry = decode_row(row)
        if entry is not None and self._size > 0:
            with self._lock:
                self._entries[storage_id] = entry
                if len(self._entries) > self._size:
                    self._entries.popitem(last=False)
        return entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
