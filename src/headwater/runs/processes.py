"""Run-worker processes seen from outside: is a pid alive here, signalling it."""

from __future__ import annotations

import os
import signal
import socket
from collections.abc import Mapping

from headwater.runs.tags import WORKER_HOST_TAG, WORKER_PID_TAG


def worker_pid(tags: Mapping[str, str]) -> int | None:
    """The run worker's pid, if it was launched on this host (a pid elsewhere means nothing here)."""
    raw = tags.get(WORKER_PID_TAG)
    host = tags.get(WORKER_HOST_TAG)
    if raw is None or (host is not None and host != socket.gethostname()):
        return None
    try:
        return int(raw)
    except ValueError:
        return None


def pid_alive(pid: int) -> bool:
    """True while process ``pid`` exists and is not a zombie (an exited child not yet reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        if state in ("Z", "X"):
            _reap(pid)
            return False
    except (OSError, IndexError):
        pass
    return True


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def send_signal(pid: int, sig: signal.Signals) -> bool:
    """Signal ``pid``; False if it no longer exists."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return False
    return True
