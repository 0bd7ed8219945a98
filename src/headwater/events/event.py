"""Event records: ``Event`` (what happened) inside ``EventLogEntry`` (when, in which run).

Built directly, never through Python logging; a step's records are written to storage together.
"""

from __future__ import annotations

from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.events.event_type import EventType
from headwater.events.payloads import EventPayload


class Event:
    """One orchestration event (Dagster's ``DagsterEvent``)."""

    __slots__ = ("event_specific_data", "event_type", "job_name", "message", "node_name", "pid", "step_key")

    def __init__(
        self,
        event_type: EventType,
        job_name: str,
        step_key: str | None = None,
        message: str | None = None,
        event_specific_data: EventPayload | None = None,
        node_name: str | None = None,
        pid: int | None = None,
    ) -> None:
        self.event_type = event_type
        self.job_name = job_name
        self.step_key = step_key
        self.message = message
        # One of the payload classes (``events.payloads.EventPayload``) or None; typed Any for readers,
        # who check the event type first.
        self.event_specific_data: Any = event_specific_data
        self.node_name = node_name
        self.pid = pid

    @property
    def event_type_value(self) -> str:
        return self.event_type.value

    @property
    def is_step_event(self) -> bool:
        return self.step_key is not None

    @property
    def is_step_success(self) -> bool:
        return self.event_type is EventType.STEP_SUCCESS

    @property
    def is_step_failure(self) -> bool:
        return self.event_type is EventType.STEP_FAILURE

    @property
    def is_step_skipped(self) -> bool:
        return self.event_type is EventType.STEP_SKIPPED

    @property
    def is_step_start(self) -> bool:
        return self.event_type is EventType.STEP_START

    @property
    def is_successful_output(self) -> bool:
        return self.event_type is EventType.STEP_OUTPUT

    @property
    def is_step_materialization(self) -> bool:
        return self.event_type is EventType.ASSET_MATERIALIZATION

    @property
    def is_asset_materialization(self) -> bool:
        return self.event_type is EventType.ASSET_MATERIALIZATION

    @property
    def is_asset_observation(self) -> bool:
        return self.event_type is EventType.ASSET_OBSERVATION

    @property
    def is_run_failure(self) -> bool:
        return self.event_type is EventType.RUN_FAILURE

    @property
    def is_run_success(self) -> bool:
        return self.event_type is EventType.RUN_SUCCESS

    @property
    def is_failure(self) -> bool:
        return self.event_type in (EventType.STEP_FAILURE, EventType.RUN_FAILURE)

    @property
    def is_asset_check_evaluation(self) -> bool:
        return self.event_type is EventType.ASSET_CHECK_EVALUATION

    @property
    def is_engine_event(self) -> bool:
        return self.event_type is EventType.ENGINE_EVENT

    @property
    def is_expectation_result(self) -> bool:
        return self.event_type is EventType.STEP_EXPECTATION_RESULT

    @property
    def is_handled_output(self) -> bool:
        return self.event_type is EventType.HANDLED_OUTPUT

    @property
    def is_loaded_input(self) -> bool:
        return self.event_type is EventType.LOADED_INPUT

    @property
    def is_hook_event(self) -> bool:
        return self.event_type in (EventType.HOOK_COMPLETED, EventType.HOOK_ERRORED, EventType.HOOK_SKIPPED)

    @property
    def is_resource_init_failure(self) -> bool:
        return self.event_type is EventType.RESOURCE_INIT_FAILURE

    @property
    def is_step_restarted(self) -> bool:
        return self.event_type is EventType.STEP_RESTARTED

    @property
    def is_step_up_for_retry(self) -> bool:
        return self.event_type is EventType.STEP_UP_FOR_RETRY

    @property
    def is_asset_materialization_planned(self) -> bool:
        return self.event_type is EventType.ASSET_MATERIALIZATION_PLANNED

    @property
    def asset_key(self) -> AssetKey | None:
        data = self.event_specific_data
        key = getattr(data, "asset_key", None)
        return key if isinstance(key, AssetKey) else None

    @property
    def partition(self) -> str | None:
        value = getattr(self.event_specific_data, "partition", None)
        return value if isinstance(value, str) else None  # a str payload has a .partition method

    @property
    def asset_check_key(self) -> AssetCheckKey | None:
        value = getattr(self.event_specific_data, "asset_check_key", None)
        return value if isinstance(value, AssetCheckKey) else None

    @property
    def materialization(self) -> Any:
        if self.event_type is not EventType.ASSET_MATERIALIZATION:
            raise ValueError(f"{self.event_type.value} event has no materialization")
        return self.event_specific_data

    @property
    def asset_observation_data(self) -> Any:
        return self.event_specific_data

    @property
    def step_materialization_data(self) -> Any:
        return self.event_specific_data

    @property
    def step_output_data(self) -> Any:
        return self.event_specific_data

    @property
    def step_failure_data(self) -> Any:
        return self.event_specific_data

    @property
    def step_success_data(self) -> Any:
        return self.event_specific_data

    @property
    def asset_check_evaluation_data(self) -> Any:
        return self.event_specific_data

    def __repr__(self) -> str:
        return f"Event({self.event_type.value}, step_key={self.step_key!r}, message={self.message!r})"


class EventLogEntry:
    """An event as stored: run, time, level and the event (or a plain user log message)."""

    __slots__ = ("dagster_event", "job_name", "level", "run_id", "step_key", "timestamp", "user_message")

    def __init__(
        self,
        run_id: str,
        timestamp: float,
        dagster_event: Event | None,
        *,
        job_name: str | None = None,
        step_key: str | None = None,
        level: int = 10,
        user_message: str = "",
    ) -> None:
        self.run_id = run_id
        self.timestamp = timestamp
        self.dagster_event = dagster_event
        self.job_name = job_name
        self.step_key = step_key
        self.level = level
        self.user_message = user_message

    @property
    def is_dagster_event(self) -> bool:
        return self.dagster_event is not None

    @property
    def dagster_event_type(self) -> EventType | None:
        return self.dagster_event.event_type if self.dagster_event is not None else None

    @property
    def message(self) -> str:
        if self.dagster_event is not None and self.dagster_event.message:
            return self.dagster_event.message
        return self.user_message

    @property
    def asset_materialization(self) -> Any:
        ev = self.dagster_event
        if ev is not None and ev.event_type is EventType.ASSET_MATERIALIZATION:
            return ev.event_specific_data
        return None

    @property
    def asset_observation(self) -> Any:
        ev = self.dagster_event
        if ev is not None and ev.event_type is EventType.ASSET_OBSERVATION:
            return ev.event_specific_data
        return None

    def __repr__(self) -> str:
        kind = self.dagster_event.event_type.value if self.dagster_event else "LOG"
        return f"EventLogEntry(run_id={self.run_id!r}, {kind}, step_key={self.step_key!r})"


class EventLogRecord:
    """A stored entry with its storage id, the cursor for reads."""

    __slots__ = ("event_log_entry", "storage_id")

    def __init__(self, storage_id: int, event_log_entry: EventLogEntry) -> None:
        self.storage_id = storage_id
        self.event_log_entry = event_log_entry

    @property
    def asset_key(self) -> AssetKey | None:
        ev = self.event_log_entry.dagster_event
        return ev.asset_key if ev else None

    @property
    def partition_key(self) -> str | None:
        ev = self.event_log_entry.dagster_event
        return ev.partition if ev else None

    @property
    def run_id(self) -> str:
        return self.event_log_entry.run_id

    @property
    def timestamp(self) -> float:
        return self.event_log_entry.timestamp

    @property
    def asset_materialization(self) -> Any:
        return self.event_log_entry.asset_materialization

    @property
    def asset_observation(self) -> Any:
        return self.event_log_entry.asset_observation

    def __repr__(self) -> str:
        return f"EventLogRecord({self.storage_id}, {self.event_log_entry!r})"
