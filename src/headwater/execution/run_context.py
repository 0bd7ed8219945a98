"""RunContext: the state of one run while it executes in this process."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.core.asset_events import (
    DATA_VERSION_TAG,
    AssetCheckEvaluation,
    AssetMaterialization,
    AssetObservation,
)
from headwater.core.asset_key import AssetKey
from headwater.core.asset_versions import AssetVersions
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType
from headwater.execution.run_partitions import InputPartitions, RunPartitions, resolve_run_partitions
from headwater.planning.active_execution import ActiveExecution
from headwater.planning.plan import ExecutionPlan
from headwater.specs.job import NodeOutputSpec, NodeSpec, OutputRef

if TYPE_CHECKING:
    from headwater.definitions.assets import AssetsDefinition
    from headwater.definitions.job import JobDefinition
    from headwater.definitions.job_compile import CompiledNode

_PID = os.getpid()
_UNSET: Any = object()


class RunContext:
    """Everything a step needs from its run: definitions, config, resources, event output."""

    def __init__(
        self,
        *,
        job: JobDefinition,
        plan: ExecutionPlan,
        run: Any,
        instance: Any,
        node_configs: Mapping[str, Any],
        run_config: Mapping[str, Any],
        resources: Any,
        partition_key: str | None,
        input_values: Mapping[str, Any],
        raise_on_error: bool,
        on_events: Callable[[Sequence[EventLogEntry]], None] | None = None,
        resource_defs: Mapping[str, Any] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.on_events = on_events
        #: Where event timestamps come from: the instance's clock (a fake one in tests).
        self.clock = clock
        # The definitions ``resources`` were built from: executors that run steps in other processes
        # (the multiprocess executor's workers) build their own resources from them.
        self.resource_defs: Mapping[str, Any] = resource_defs if resource_defs is not None else {}
        self.job = job
        self.job_name = job.name
        self.plan = plan
        self.run = run
        self.run_id: str = run.run_id
        self.instance = instance
        self.node_configs = node_configs
        self.run_config = run_config
        self.resources = resources
        self.partition_key = partition_key
        self.input_values = input_values
        self.raise_on_error = raise_on_error
        self.active = ActiveExecution(plan)
        self.compiled: dict[str, CompiledNode] = job.compiled.nodes
        self.nodes: dict[str, NodeSpec] = {n.handle: n for n in job.spec.nodes}
        self.layer = job.asset_layer
        self.events: list[EventLogEntry] = []
        self._pending: list[EventLogEntry] = []
        self.output_capture: dict[tuple[str, str], Any] = {}
        self.first_user_error: BaseException | None = None
        self.failed_steps: list[str] = []
        self.hook_defs = job.hook_defs
        self._io_managers: dict[str, Any] = {}
        self._output_specs: dict[str, dict[str, NodeOutputSpec]] = {}
        self.pid = _PID
        #: The run's loggers (``loggers:`` in run config); each gets every entry of the run.
        self.loggers: list[Any] = []
        self._partitions: Any = _UNSET
        self._input_partitions: InputPartitions | None = None
        #: (data version, storage id) of each (asset, partition) this process materialized in this run
        #: and stored: later steps read their inputs' versions here instead of querying the store.
        self.known_versions: dict[tuple[AssetKey, str | None], tuple[str, int]] = {}
        #: Whether every step of the run executes in this process (the in-process executor): then
        #: an asset of the run not in ``known_versions`` was not materialized by the run.
        self.single_process = False
        #: The versions of the job's assets as the run found them (read once by a run that skips
        #: unchanged steps; see execution.step_versions).
        self.version_snapshot: Mapping[AssetKey, AssetVersions] | None = None

    # --- partitions -------------------------------------------------------------------------
    @property
    def partitions(self) -> RunPartitions | None:
        """The partitions this run covers (from its tags when the driver did not set them)."""
        if self._partitions is _UNSET:
            tags = getattr(self.run, "tags", None) or {}
            self._partitions = resolve_run_partitions(self.job, None, tags, self.instance, check=False)
        return self._partitions  # type: ignore[no-any-return]

    @partitions.setter
    def partitions(self, value: RunPartitions | None) -> None:
        self._partitions = value
        self._input_partitions = None

    @property
    def input_partitions(self) -> InputPartitions:
        if self._input_partitions is None:
            self._input_partitions = InputPartitions(self.job, self.partitions, self.instance)
        return self._input_partitions

    # --- events ---------------------------------------------------------------------------
    def emit(
        self,
        event_type: EventType,
        step_key: str | None,
        message: str,
        data: Any = None,
        *,
        level: int = 10,
    ) -> EventLogEntry:
        event = Event(event_type, self.job_name, step_key, message, data, None, self.pid)
        entry = EventLogEntry(
            self.run_id, self.clock(), event, job_name=self.job_name, step_key=step_key, level=level
        )
        self.events.append(entry)
        self._pending.append(entry)
        if self.loggers:
            self._to_loggers(entry)
        return entry

    def add_entry(self, entry: EventLogEntry) -> None:
        self.events.append(entry)
        self._pending.append(entry)
        if self.loggers:
            self._to_loggers(entry)

    def _to_loggers(self, entry: EventLogEntry) -> None:
        from headwater.execution.run_loggers import send

        send(self.loggers, entry, self.pid, getattr(self.run, "tags", None) or {})

    def flush(self) -> None:
        """Write pending events to the instance in one batch (one transaction on SQL stores)."""
        if self._pending:
            pending, self._pending = self._pending, []
            ids = self.instance.handle_new_events(pending)
            if ids and len(ids) == len(pending):  # (a warm-pool worker's parent stores them: no ids)
                self._note_versions(pending, ids)
            if self.on_events is not None:
                self.on_events(pending)

    def has_pending_materializations(self) -> bool:
        """Whether an asset materialization waits to be stored (``flush``)."""
        materialization = EventType.ASSET_MATERIALIZATION
        return any(
            e.dagster_event is not None and e.dagster_event.event_type is materialization
            for e in self._pending
        )

    def _note_versions(self, entries: Sequence[EventLogEntry], ids: Sequence[int]) -> None:
        for entry, storage_id in zip(entries, ids, strict=True):
            event = entry.dagster_event
            if event is None or event.event_type is not EventType.ASSET_MATERIALIZATION:
                continue
            data = event.event_specific_data
            version = (data.tags or {}).get(DATA_VERSION_TAG)
            if version is not None:
                self.known_versions[(data.asset_key, data.partition)] = (version, storage_id)

    def log_user_event(self, step_key: str, event: Any) -> None:
        from headwater.definitions.results import AssetCheckResult, ExpectationResult

        if isinstance(event, AssetMaterialization):
            self.emit(
                EventType.ASSET_MATERIALIZATION,
                step_key,
                f"Materialized value {event.asset_key.to_user_string()}.",
                event,
            )
        elif isinstance(event, AssetObservation):
            self.emit(
                EventType.ASSET_OBSERVATION,
                step_key,
                f"Observed value {event.asset_key.to_user_string()}.",
                event,
            )
        elif isinstance(event, AssetCheckEvaluation):
            self.emit(EventType.ASSET_CHECK_EVALUATION, step_key, _check_message(event), event)
        elif isinstance(event, AssetCheckResult):
            from headwater.execution.step_outputs import check_evaluation

            evaluation = check_evaluation(self, step_key, event)
            self.emit(EventType.ASSET_CHECK_EVALUATION, step_key, _check_message(evaluation), evaluation)
        elif isinstance(event, ExpectationResult):
            self.emit(
                EventType.STEP_EXPECTATION_RESULT,
                step_key,
                f"Expectation {event.label} {'passed' if event.success else 'failed'}",
                event,
            )
        else:
            from headwater.errors import InvalidInvocationError

            raise InvalidInvocationError(
                f"context.log_event got {event!r}; it takes AssetMaterialization, AssetObservation, "
                "AssetCheckResult or ExpectationResult."
            )

    # --- executors ------------------------------------------------------------------------
    def execute_with_definition(self, definition: Any) -> None:
        """Let the executor an ``ExecutorDefinition`` (``@executor``) creates drive this run."""
        from headwater.execution.orchestration import execute_with_definition

        execute_with_definition(self, definition)

    # --- resources --------------------------------------------------------------------------
    def io_manager(self, key: str) -> Any:
        manager = self._io_managers.get(key)
        if manager is None:
            manager = getattr(self.resources, key)
            self._io_managers[key] = manager
        return manager

    def output_spec(self, ref: OutputRef) -> NodeOutputSpec:
        outputs = self._output_specs.get(ref.node)
        if outputs is None:
            outputs = {o.name: o for o in self.nodes[ref.node].outputs}
            self._output_specs[ref.node] = outputs
        return outputs[ref.output]

    def assets_def_for(self, step_key: str) -> AssetsDefinition | None:
        if self.layer is None:
            return None
        return self.layer.assets_defs_by_node.get(step_key.split(".", 1)[0].split("[", 1)[0])

    def step_events(self, step_key: str) -> Sequence[EventLogEntry]:
        return [e for e in self.events if e.step_key == step_key]


def _check_message(evaluation: AssetCheckEvaluation) -> str:
    outcome = "passed" if evaluation.passed else "failed"
    return f"Asset check '{evaluation.check_name}' on '{evaluation.asset_key.to_user_string()}' {outcome}."
