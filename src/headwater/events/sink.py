"""EventSink: where a run's events go (an instance's storage, a test's list, a pipe)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from headwater.events.event import EventLogEntry


class EventSink(Protocol):
    def handle_events(self, entries: Sequence[EventLogEntry]) -> None:
        """Store ``entries`` together (one transaction where the sink is a database)."""
