"""The daemon's records: loop heartbeats and leader leases.

* ``DaemonHeartbeat`` -- what a daemon loop last said about itself: which daemon runs it, when it
  last beat, and the last error of its tick (message and traceback) with how many ticks in a row
  failed. One per loop name (``Storage.daemon_heartbeats``).
* ``Lease`` -- who leads a loop: the holder (a daemon id), until when, and a fencing token that grows
  by one with every new holder, so a holder that lost its lease can tell (``Storage.leases``).

Both are msgspec Structs: the heartbeat is stored as JSON and read by other processes (``headwater
daemon status``, the webserver).
"""

from __future__ import annotations

import msgspec


class DaemonError(msgspec.Struct, frozen=True, kw_only=True):
    """A failed tick: the exception's one-line message, its traceback and when it happened."""

    message: str
    traceback: str
    timestamp: float


class DaemonHeartbeat(msgspec.Struct, frozen=True, kw_only=True):
    """The latest heartbeat of one daemon loop."""

    loop_name: str
    daemon_id: str
    timestamp: float
    interval_seconds: float = 0.0
    #: The lease's fencing token the loop ran under (0 without a lease).
    fencing_token: int = 0
    #: Ticks in a row that raised (0 after a good tick).
    consecutive_failures: int = 0
    last_error: DaemonError | None = None
    #: When the loop last finished a tick without error (None: never).
    last_success: float | None = None


class Lease(msgspec.Struct, frozen=True, kw_only=True):
    """Leadership of one loop: ``holder`` leads it until ``expires_at`` (epoch seconds)."""

    name: str
    holder: str
    token: int
    expires_at: float
    acquired_at: float

    def is_held_by(self, holder: str, now: float) -> bool:
        return self.holder == holder and now < self.expires_at


_heartbeat_encoder = msgspec.json.Encoder()
_heartbeat_decoder = msgspec.json.Decoder(DaemonHeartbeat)


def heartbeat_to_json(beat: DaemonHeartbeat) -> str:
    return _heartbeat_encoder.encode(beat).decode()


def heartbeat_from_json(body: str | bytes) -> DaemonHeartbeat:
    return _heartbeat_decoder.decode(body)


#: A heartbeat older than this (or than three of its loop's intervals, if longer) means the loop is
#: not running (its daemon stopped, hangs, or lost its database).
HEARTBEAT_TOLERANCE_SECONDS = 60.0


def heartbeat_tolerance(beat: DaemonHeartbeat) -> float:
    return max(HEARTBEAT_TOLERANCE_SECONDS, 3 * beat.interval_seconds)


def unhealthy_reason(beat: DaemonHeartbeat | None, now: float) -> str | None:
    """Why a loop with latest heartbeat ``beat`` is unhealthy at ``now``; None when it is healthy
    (it beat recently and its last tick did not fail)."""
    if beat is None:
        return "no heartbeat yet: is `headwater daemon run` running against this instance?"
    age = now - beat.timestamp
    if age > heartbeat_tolerance(beat):
        return (
            f"last heartbeat {age:.0f} s ago (daemon {beat.daemon_id} stopped or cannot reach the database)"
        )
    if beat.consecutive_failures:
        message = beat.last_error.message if beat.last_error is not None else "unknown error"
        return f"its last {beat.consecutive_failures} tick(s) failed: {message}"
    return None
