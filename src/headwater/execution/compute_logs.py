"""Compute logs: what each step wrote to stdout and stderr, captured per step in files (as Dagster's
``LocalComputeLogManager`` does): ``<instance storage>/compute_logs/<run_id>/<step_key>.out`` and
``.err`` (a stream the step wrote nothing to leaves no file). The capture is at the file-descriptor
level, so a subprocess's output or a C library's is kept too; a retried step appends to the same files.

A run worker turns it on for its process and the step workers it starts (``HEADWATER_COMPUTE_LOG_DIR``
names the directory); a run executed in the launching process (``execute_in_process``, tests) is not
captured. Steps that run side by side in threads of one process (a custom executor) cannot be told
apart at the file-descriptor level: only the first is captured, the others' output stays in the run
worker's own log. Each file is bounded: past ``HEADWATER_COMPUTE_LOG_MAX_BYTES`` (default 4 MiB) only
its end is kept, after a line saying how much was dropped.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator

from headwater.storage.compute_logs import STREAMS, compute_log_root, step_log_path

__all__ = ["DIR_ENV", "MAX_BYTES_ENV", "capture_step_output", "compute_log_root", "step_log_path"]

DIR_ENV = "HEADWATER_COMPUTE_LOG_DIR"
MAX_BYTES_ENV = "HEADWATER_COMPUTE_LOG_MAX_BYTES"
DEFAULT_MAX_BYTES = 4 * 1024 * 1024
_LOCK = threading.Lock()
_MADE: set[str] = set()  # the run directories this process made already


def _max_bytes() -> int:
    try:
        return max(1024, int(os.environ.get(MAX_BYTES_ENV, DEFAULT_MAX_BYTES)))
    except ValueError:
        return DEFAULT_MAX_BYTES


def _bound(path: str, limit: int) -> None:
    """Keep only the last ``limit`` bytes of ``path``, after a line saying how many were dropped."""
    size = os.path.getsize(path)
    if size <= limit:
        return
    with open(path, "rb") as f:
        f.seek(size - limit)
        tail = f.read()
    note = f"[headwater: the first {size - limit} bytes of this output were dropped]\n".encode()
    with open(path, "wb") as f:
        f.write(note + tail)


@contextlib.contextmanager
def capture_step_output(run_id: str, step_key: str) -> Iterator[None]:
    """Send this process's stdout and stderr to the step's files while the step runs (when the run
    worker turned compute logs on, and no other step of this process is being captured)."""
    root = os.environ.get(DIR_ENV)
    if not root or not _LOCK.acquire(blocking=False):
        yield
        return
    paths = [step_log_path(root, run_id, step_key, s) for s in STREAMS]
    saved: list[int] = []
    try:
        directory = os.path.dirname(paths[0])
        if directory not in _MADE:
            os.makedirs(directory, exist_ok=True)
            _MADE.add(directory)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        for fd, path in zip((1, 2), paths, strict=True):
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            saved.append(os.dup(fd))
            os.dup2(target, fd)
            os.close(target)
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        for fd, original in zip((1, 2), saved, strict=False):
            os.dup2(original, fd)
            os.close(original)
        _LOCK.release()
        limit = _max_bytes()
        for path in paths:
            with contextlib.suppress(OSError):
                if os.path.getsize(path) == 0:
                    os.remove(path)  # a step that wrote nothing leaves no file
                else:
                    _bound(path, limit)
