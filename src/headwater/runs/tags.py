"""Tags the run lifecycle writes on runs."""

from __future__ import annotations

#: Where the worker finds the code: JSON of a ``CodePointer``.
CODE_POINTER_TAG = "headwater/code_pointer"
#: The run worker's process id and host, written by the launcher.
WORKER_PID_TAG = "headwater/run_worker_pid"
WORKER_HOST_TAG = "headwater/run_worker_host"
#: Dagster's priority tag: higher runs leave the queue first (default 0).
PRIORITY_TAG = "dagster/priority"
#: Dagster's automatic run retries: how many times a failed run is re-executed, how (FROM_FAILURE,
#: the default, or ALL_STEPS), which retry a run is (1, 2, ...), and what was decided on a failed run.
MAX_RETRIES_TAG = "dagster/max_retries"
RETRY_STRATEGY_TAG = "dagster/retry_strategy"
RETRY_NUMBER_TAG = "dagster/retry_number"
WILL_RETRY_TAG = "dagster/will_retry"
AUTO_RETRY_RUN_ID_TAG = "dagster/auto_retry_run_id"
#: Tags a re-execution does not copy from its parent (they describe the parent's own worker and retry).
NOT_INHERITED_TAGS = frozenset(
    {WORKER_PID_TAG, WORKER_HOST_TAG, RETRY_NUMBER_TAG, WILL_RETRY_TAG, AUTO_RETRY_RUN_ID_TAG}
)
