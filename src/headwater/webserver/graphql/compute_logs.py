"""A run's compute logs: what its run worker (and the user code in it) wrote to stdout and stderr,
captured by the run launcher in ``<home>/run_logs/<run_id>.log``. Read from the end, bounded."""

from __future__ import annotations

import os

import strawberry

from headwater.runs.launcher import worker_log_path

DEFAULT_BYTES = 256 * 1024
MAX_BYTES = 4 * 1024 * 1024


@strawberry.type(description="The run worker's stdout and stderr, as captured by the run launcher.")
class ComputeLogs:
    path: str
    text: str = strawberry.field(description="Its last maxBytes bytes (decoded as UTF-8).")
    size: int = strawberry.field(description="The whole file's size in bytes.")
    truncated: bool = strawberry.field(description="True when text starts after the file's beginning.")


def read_compute_logs(root_directory: str, run_id: str, max_bytes: int | None) -> ComputeLogs | None:
    """The captured output of ``run_id``'s worker; None when it was not launched by a run launcher."""
    path = worker_log_path(root_directory, run_id)
    limit = max(1, min(max_bytes or DEFAULT_BYTES, MAX_BYTES))
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            start = max(0, size - limit)
            f.seek(start)
            data = f.read(limit)
    except FileNotFoundError:
        return None
    return ComputeLogs(path=path, text=data.decode("utf-8", errors="replace"), size=size, truncated=start > 0)
