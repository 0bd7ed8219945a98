"""A bounded cache of decoded event log rows, by storage id.

A stored event never changes and a storage id is never reused, so a decoded entry can be handed out
again (as the memory store does: treat entries as read-only). The asset index reads -- the latest
materialization of thousands of assets, every daemon tick and UI refresh -- hit the same few rows
over and over; decoding them is most of the cost of such a read.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from headwater.events.event import EventLogEntry
from headwater.storage.serde import entry_or_none

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

    def decode(self, storage_id: int, body: str) -> EventLogEntry | None:
        """The entry stored as ``body``; a corrupt row is skipped with a warning (None)."""
        with self._lock:
            entry = self._entries.get(storage_id)
            if entry is not None:
                self._entries.move_to_end(storage_id)
                return entry
        entry = entry_or_none(body, storage_id)
        if entry is not None and self._size > 0:
            with self._lock:
                self._entries[storage_id] = entry
                if len(self._entries) > self._size:
                    self._entries.popitem(last=False)
        return entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
