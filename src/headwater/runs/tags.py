"""Tags the run lifecycle writes on runs."""

from __future__ import annotations

#: Where the worker finds the code: JSON of a ``CodePointer``.
CODE_POINTER_TAG = "headwater/code_pointer"
#: The run worker's process id and host, written by the launcher.
WORKER_PID_TAG = "headwater/run_worker_pid"
WORKER_HOST_TAG = "headwater/run_worker_host"
#: Dagster's priority tag: higher runs leave the queue first (default 0).
PRIORITY_TAG = "dagster/priority"
#: Tags a re-execution does not copy from its parent (they describe the parent's own worker).
NOT_INHERITED_TAGS = frozenset({WORKER_PID_TAG, WORKER_HOST_TAG})
