"""Where compute logs live on disk, and reading them: each step's stdout and stderr in
``<instance storage>/compute_logs/<run_id>/<step_key>.out`` and ``.err``. Written by the run worker's
steps (``execution.compute_logs``), read by the webserver (GraphQL ``capturedLogs``)."""

from __future__ import annotations

import os
import re

STREAMS = ("stdout", "stderr")
_SUFFIX = {"stdout": ".out", "stderr": ".err"}


def compute_log_root(storage_directory: str) -> str:
    """The compute logs of every run of an instance: ``<storage>/compute_logs``."""
    return os.path.join(storage_directory, "compute_logs")


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\[\]-]", "_", name)


def step_log_path(root: str, run_id: str, step_key: str, stream: str) -> str:
    """The file of one step's ``stream`` ("stdout" or "stderr")."""
    return os.path.join(root, _safe(run_id), _safe(step_key) + _SUFFIX[stream])


def captured_steps(root: str, run_id: str) -> list[str]:
    """The step keys with captured output for ``run_id``, in the order they started."""
    directory = os.path.join(root, _safe(run_id))
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    found: dict[str, float] = {}
    for name in names:
        stem, ext = os.path.splitext(name)
        if ext in (".out", ".err"):
            mtime = os.stat(os.path.join(directory, name)).st_ctime
            found[stem] = min(found.get(stem, mtime), mtime)
    return sorted(found, key=lambda s: (found[s], s))


def read_step_log(
    root: str, run_id: str, step_key: str, stream: str, max_bytes: int
) -> tuple[str, int, bool] | None:
    """The last ``max_bytes`` of a step's ``stream`` as text, the file's size, and whether the text
    starts after the file's beginning; None when nothing was captured."""
    path = step_log_path(root, run_id, step_key, stream)
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            start = max(0, size - max_bytes)
            f.seek(start)
            data = f.read(max_bytes)
    except FileNotFoundError:
        return None
    return data.decode("utf-8", errors="replace"), size, start > 0
