"""Retention and housekeeping records shared by every store: ``PruneResult``, ``StorageInfo``.

``prune(before)`` deletes finished runs that ended before ``before`` (epoch seconds) with their
events, tags, check executions, run-worker heartbeat and remote workers' step claims, except what the
asset indexes point at: each asset's latest materialization, observation, failure and planned event,
and each partition's, stay (their event rows too), so the asset and per-partition status read the
same after a prune as before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}

#: Runs are deleted this many at a time, one transaction each.
PRUNE_CHUNK = 500


def parse_duration(text: str) -> float:
    """``"12h"``, ``"30d"``, ``"2w"`` (also ``s``, ``m``) -> seconds."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(
            f"Invalid duration {text!r}: write a number and a unit, s, m, h, d or w (e.g. 12h, 30d, 2w)."
        )
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


@dataclass
class PruneResult:
    """What a prune deleted (or, with ``dry_run``, would delete)."""

    before: float
    dry_run: bool
    run_ids: list[str] = field(default_factory=list)
    events_deleted: int = 0
    events_kept: int = 0  # events of deleted runs kept because an asset or partition index points at them


@dataclass(frozen=True)
class StorageInfo:
    backend: str  # "sqlite", "postgresql", "mysql"
    location: str  # a file path, ":memory:", or a URL without its password
    schema_revision: str | None
    runs: int
    events: int
    in_memory: bool = False  # in this process's memory (an ephemeral instance): gone when disposed
