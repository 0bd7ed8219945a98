"""Run records: ``Run`` (Dagster's ``DagsterRun``), ``RunRecord`` and ``RunsFilter``."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.core.ids import make_new_run_id
from headwater.events.event_type import EventType
from headwater.events.run_status import FINISHED_STATUSES, IN_PROGRESS_STATUSES, RunStatus, check_transition

PARTITION_NAME_TAG = "dagster/partition"
PARTITION_SET_TAG = "dagster/partition_set"
ASSET_PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
ASSET_PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"
BACKFILL_ID_TAG = "dagster/backfill"
PARENT_RUN_ID_TAG = "dagster/parent_run_id"
ROOT_RUN_ID_TAG = "dagster/root_run_id"
RESUME_RETRY_TAG = "dagster/is_resume_retry"
SCHEDULE_NAME_TAG = "dagster/schedule_name"
SENSOR_NAME_TAG = "dagster/sensor_name"

CANCELABLE_STATUSES = frozenset({RunStatus.STARTED, RunStatus.QUEUED, RunStatus.STARTING})

#: The run status each run event moves a run to (Dagster's ``EVENT_TYPE_TO_PIPELINE_RUN_STATUS``).
RUN_EVENT_TO_STATUS: Mapping[EventType, RunStatus] = {
    EventType.RUN_ENQUEUED: RunStatus.QUEUED,
    EventType.RUN_DEQUEUED: RunStatus.NOT_STARTED,
    EventType.RUN_STARTING: RunStatus.STARTING,
    EventType.RUN_START: RunStatus.STARTED,
    EventType.RUN_SUCCESS: RunStatus.SUCCESS,
    EventType.RUN_FAILURE: RunStatus.FAILURE,
    EventType.RUN_CANCELING: RunStatus.CANCELING,
    EventType.RUN_CANCELED: RunStatus.CANCELED,
    EventType.RUN_SUSPENDED: RunStatus.SUSPENDED,
    EventType.RUN_RESUMED: RunStatus.STARTED,
}

#: Order-by columns ``get_run_records`` accepts (besides ``None``, the storage id).
RUN_ORDER_BY = ("storage_id", "create_timestamp", "update_timestamp", "start_time", "end_time")


def _opt_frozenset(value: Iterable[Any] | None) -> frozenset[Any] | None:
    return None if value is None else frozenset(value)


def _opt_tuple(value: Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        raise TypeError(f"Expected a sequence of strings, got the string {value!r}; wrap it in a list.")
    return tuple(value)


def validate_tags(tags: Mapping[str, Any] | None, *, what: str = "run") -> dict[str, str]:
    """Copy ``tags`` into a plain dict, raising on a non-string key or value."""
    if not tags:
        return {}
    out: dict[str, str] = {}
    for key, value in tags.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(
                f"Tags of a {what} must map strings to strings; got {key!r}: {value!r} "
                f"({type(value).__name__}). Convert the value with str() or json.dumps()."
            )
        out[key] = value
    return out


@dataclass(frozen=True, slots=True)
class Run:
    """One run of a job: what to execute and its current status (Dagster's ``DagsterRun``).

    Immutable; ``with_status``/``with_tags`` return changed copies.
    """

    job_name: str
    run_id: str = field(default_factory=make_new_run_id)
    run_config: Mapping[str, Any] = field(default_factory=dict)
    asset_selection: frozenset[AssetKey] | None = None
    asset_check_selection: frozenset[AssetCheckKey] | None = None
    op_selection: tuple[str, ...] | None = None
    resolved_op_selection: frozenset[str] | None = None
    step_keys_to_execute: tuple[str, ...] | None = None
    status: RunStatus = RunStatus.NOT_STARTED
    tags: Mapping[str, str] = field(default_factory=dict)
    root_run_id: str | None = None
    parent_run_id: str | None = None
    job_snapshot_id: str | None = None
    execution_plan_snapshot_id: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.job_name, str) or not self.job_name:
            raise TypeError(f"Run.job_name must be a non-empty string, got {self.job_name!r}.")
        setattr_ = object.__setattr__
        setattr_(self, "run_config", dict(self.run_config or {}))
        setattr_(self, "tags", validate_tags(self.tags))
        setattr_(self, "status", RunStatus(self.status))
        setattr_(self, "asset_selection", _opt_frozenset(self.asset_selection))
        setattr_(self, "asset_check_selection", _opt_frozenset(self.asset_check_selection))
        setattr_(self, "resolved_op_selection", _opt_frozenset(self.resolved_op_selection))
        setattr_(self, "op_selection", _opt_tuple(self.op_selection))
        setattr_(self, "step_keys_to_execute", _opt_tuple(self.step_keys_to_execute))

    def __hash__(self) -> int:
        return hash(self.run_id)

    def with_status(self, status: RunStatus) -> Run:
        return dataclasses.replace(self, status=status)

    def with_tags(self, tags: Mapping[str, str]) -> Run:
        """A copy whose tags are exactly ``tags`` (use ``{**run.tags, **new}`` to merge)."""
        return dataclasses.replace(self, tags=tags)

    def get_root_run_id(self) -> str | None:
        return self.tags.get(ROOT_RUN_ID_TAG)

    def get_parent_run_id(self) -> str | None:
        return self.tags.get(PARENT_RUN_ID_TAG)

    @property
    def partition(self) -> str | None:
        """The partition key this run targets (the ``dagster/partition`` tag), if any."""
        return self.tags.get(PARTITION_NAME_TAG)

    @property
    def is_partitioned(self) -> bool:
        return PARTITION_NAME_TAG in self.tags or ASSET_PARTITION_RANGE_START_TAG in self.tags

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def is_in_progress(self) -> bool:
        return self.status in IN_PROGRESS_STATUSES

    @property
    def is_cancelable(self) -> bool:
        return self.status in CANCELABLE_STATUSES

    @property
    def is_success(self) -> bool:
        return self.status is RunStatus.SUCCESS

    @property
    def is_failure(self) -> bool:
        return self.status is RunStatus.FAILURE

    @property
    def is_failure_or_canceled(self) -> bool:
        return self.status in (RunStatus.FAILURE, RunStatus.CANCELED)

    @property
    def is_resume_retry(self) -> bool:
        return self.tags.get(RESUME_RETRY_TAG) == "true"

    @property
    def previous_run_id(self) -> str | None:
        return self.parent_run_id

    @property
    def entity_selection(self) -> frozenset[AssetKey | AssetCheckKey] | None:
        if self.asset_selection is None and self.asset_check_selection is None:
            return None
        return frozenset(self.asset_selection or ()) | frozenset(self.asset_check_selection or ())


#: Dagster's name for ``Run``.
DagsterRun = Run


@dataclass(frozen=True, slots=True)
class RunRecord:
    """A stored run with its storage id and timestamps (UTC datetimes; start/end as epoch floats)."""

    storage_id: int
    dagster_run: Run
    create_timestamp: datetime
    update_timestamp: datetime
    start_time: float | None = None
    end_time: float | None = None


@dataclass(frozen=True, slots=True)
class RunsFilter:
    """Which runs to read; every field given must match (Dagster's ``RunsFilter``).

    ``tags`` maps a key to a value or to a list of accepted values.
    """

    run_ids: Sequence[str] | None = None
    job_name: str | None = None
    statuses: Sequence[RunStatus] = ()
    tags: Mapping[str, str | Sequence[str]] = field(default_factory=dict)
    snapshot_id: str | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    exclude_subruns: bool | None = None

    def __post_init__(self) -> None:
        if self.run_ids is not None:
            if isinstance(self.run_ids, str):
                raise TypeError("RunsFilter.run_ids must be a list of run ids, not one string.")
            if not self.run_ids:
                raise ValueError("RunsFilter.run_ids is empty; pass None to match every run.")
            object.__setattr__(self, "run_ids", tuple(self.run_ids))
        object.__setattr__(self, "statuses", tuple(RunStatus(s) for s in self.statuses or ()))
        tags: dict[str, str | tuple[str, ...]] = {}
        for key, value in (self.tags or {}).items():
            tags[key] = value if isinstance(value, str) else tuple(value)
        object.__setattr__(self, "tags", tags)
        for name in ("updated_after", "updated_before", "created_after", "created_before"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                object.__setattr__(self, name, value.replace(tzinfo=UTC))


def status_after_event(run: Run, event_type: EventType) -> RunStatus:
    """The status ``run`` moves to on a run event of ``event_type``, checked by the transition table."""
    new = RUN_EVENT_TO_STATUS.get(event_type)
    if new is None:
        raise ValueError(
            f"{event_type.value} does not change a run's status; only "
            f"{', '.join(t.value for t in RUN_EVENT_TO_STATUS)} do."
        )
    check_transition(run.run_id, run.status, new)
    return new


def times_after_status(
    status: RunStatus, timestamp: float, start_time: float | None, end_time: float | None
) -> tuple[float | None, float | None]:
    """``(start_time, end_time)`` of a run once it reaches ``status`` at ``timestamp``."""
    if status is RunStatus.STARTED and start_time is None:
        start_time = timestamp
    if status in FINISHED_STATUSES:
        end_time = timestamp
    return start_time, end_time


def make_snapshot_id(body: str) -> str:
    """The id of a stored snapshot: the sha256 of its JSON body."""
    import hashlib

    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def to_datetime(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)
