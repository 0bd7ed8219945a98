"""Compute logs. A run's: what its run worker wrote to stdout and stderr, captured by the run launcher in
``<home>/run_logs/<run_id>.log`` (``Run.computeLogs``). A step's: what the step wrote, captured per step
by the run worker (``execution.compute_logs``; ``capturedLogs``, Dagster's name). Read bounded."""

from __future__ import annotations

import os

import strawberry

from headwater.runs.launcher import worker_log_path
from headwater.storage.compute_logs import captured_steps, compute_log_root, step_log_path

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


@strawberry.type(
    description="What a step wrote to stdout and stderr (Dagster's CapturedLogs); cursor: go on from."
)
class CapturedLogs:
    log_key: list[str]
    stdout: str | None
    stderr: str | None
    cursor: str | None
    stdout_truncated: bool = strawberry.field(description="stdout starts after the file's beginning.")
    stderr_truncated: bool = strawberry.field(description="stderr starts after the file's beginning.")


def _read_from(path: str, offset: int | None, limit: int) -> tuple[str | None, int, bool]:
    """The text of ``path`` from ``offset`` (None: its last ``limit`` bytes), its size, truncated."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            start = max(0, size - limit) if offset is None else min(offset, size)
            f.seek(start)
            data = f.read(limit)
    except FileNotFoundError:
        return None, 0, False
    return data.decode("utf-8", errors="replace"), start + len(data), offset is None and start > 0


def read_captured_logs(
    storage_directory: str, log_key: list[str], cursor: str | None, limit: int | None
) -> CapturedLogs:
    """A step's captured output; ``log_key`` is ``[run_id, "compute_logs", step_key]`` (Dagster's)."""
    empty = CapturedLogs(
        log_key=log_key, stdout=None, stderr=None, cursor=None, stdout_truncated=False, stderr_truncated=False
    )
    if len(log_key) != 3 or log_key[1] != "compute_logs":
        return empty
    run_id, _, step_key = log_key
    root = compute_log_root(storage_directory)
    offsets: list[int | None] = [None, None]
    if cursor:
        try:
            offsets = [int(part) for part in cursor.split(":", 1)]  # type: ignore[misc]
        except ValueError:
            offsets = [None, None]
    size = max(1, min(limit or DEFAULT_BYTES, MAX_BYTES))
    out, out_end, out_cut = _read_from(step_log_path(root, run_id, step_key, "stdout"), offsets[0], size)
    err, err_end, err_cut = _read_from(step_log_path(root, run_id, step_key, "stderr"), offsets[-1], size)
    if out is None and err is None:
        return empty
    return CapturedLogs(
        log_key=log_key,
        stdout=out,
        stderr=err,
        cursor=f"{out_end}:{err_end}",
        stdout_truncated=out_cut,
        stderr_truncated=err_cut,
    )


def captured_step_keys(storage_directory: str, run_id: str) -> list[str]:
    return captured_steps(compute_log_root(storage_directory), run_id)
