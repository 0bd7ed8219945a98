"""ExecuteInProcessResult: what a run in this process produced — events, outputs, asset values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from headwater.core.asset_key import AssetKey
from headwater.definitions.composition import NodeOutputRef
from headwater.definitions.graph import GraphDefinition
from headwater.errors import HeadwaterError, InvalidInvocationError, InvariantViolationError
from headwater.events.event import Event
from headwater.events.event_type import EventType

if TYPE_CHECKING:
    from headwater.execution.run_context import RunContext


class ExecuteInProcessResult:
    """The result of ``execute_in_process``, ``materialize`` and ``materialize_to_memory``."""

    def __init__(self, run: RunContext) -> None:
        self._run = run
        self.job_def = run.job
        self.run_id = run.run_id
        self._events = [e.dagster_event for e in run.events if e.dagster_event is not None]
        self._entries = run.events

    # --- run ------------------------------------------------------------------------------
    @property
    def success(self) -> bool:
        return any(e.event_type is EventType.RUN_SUCCESS for e in self._events)

    @property
    def dagster_run(self) -> Any:
        return self._run.instance.get_run_by_id(self.run_id) or self._run.run

    @property
    def run(self) -> Any:
        return self.dagster_run

    @property
    def all_events(self) -> list[Event]:
        return list(self._events)

    @property
    def all_node_events(self) -> list[Event]:
        return [e for e in self._events if e.step_key is not None]

    @property
    def event_log_entries(self) -> list[Any]:
        return list(self._entries)

    def filter_events(self, event_filter: EventType | Callable[[Event], bool]) -> list[Event]:
        """Events of one type, or those for which ``event_filter(event)`` is true (Dagster's form)."""
        if isinstance(event_filter, EventType):
            return [e for e in self._events if e.event_type is event_filter]
        return [e for e in self._events if event_filter(e)]

    def get_job_success_event(self) -> Event:
        return _one(self.filter_events(EventType.RUN_SUCCESS), EventType.RUN_SUCCESS)

    def get_job_failure_event(self) -> Event:
        return _one(self.filter_events(EventType.RUN_FAILURE), EventType.RUN_FAILURE)

    def get_run_success_event(self) -> Event:
        return self.get_job_success_event()

    def get_run_failure_event(self) -> Event:
        return self.get_job_failure_event()

    # --- steps ----------------------------------------------------------------------------
    def _matches(self, step_key: str | None, node_name: str) -> bool:
        if step_key is None:
            return False
        return (
            step_key == node_name
            or step_key.startswith(node_name + "[")
            or step_key.startswith(node_name + ".")
        )

    def events_for_node(self, node_name: str) -> list[Event]:
        """The step events of ``node_name`` (an op, a graph, or ``graph.op``; mapped steps included)."""
        return [e for e in self._events if self._matches(e.step_key, node_name)]

    def compute_events_for_handle(self, handle: str) -> list[Event]:
        return self.events_for_node(handle)

    def _node_step_types(self, node_name: str) -> set[EventType]:
        return {e.event_type for e in self.events_for_node(node_name)}

    def is_node_success(self, node_name: str) -> bool:
        types = self._node_step_types(node_name)
        return EventType.STEP_SUCCESS in types and EventType.STEP_FAILURE not in types

    def is_node_failed(self, node_name: str) -> bool:
        return EventType.STEP_FAILURE in self._node_step_types(node_name)

    def is_node_skipped(self, node_name: str) -> bool:
        types = self._node_step_types(node_name)
        return EventType.STEP_SKIPPED in types and EventType.STEP_START not in types

    def is_node_untouched(self, node_name: str) -> bool:
        return not self.events_for_node(node_name)

    def failure_data_for_node(self, node_name: str) -> Any:
        for e in self.events_for_node(node_name):
            if e.event_type is EventType.STEP_FAILURE:
                return e.event_specific_data
        return None

    def get_step_success_events(self) -> list[Event]:
        return self.filter_events(EventType.STEP_SUCCESS)

    def get_step_failure_events(self) -> list[Event]:
        return self.filter_events(EventType.STEP_FAILURE)

    def get_step_skipped_events(self) -> list[Event]:
        return self.filter_events(EventType.STEP_SKIPPED)

    def expectation_results_for_node(self, node_name: str) -> list[Any]:
        return [
            e.event_specific_data
            for e in self.events_for_node(node_name)
            if e.event_type is EventType.STEP_EXPECTATION_RESULT
        ]

    def retry_attempts_for_node(self, node_name: str) -> int:
        return sum(1 for e in self.events_for_node(node_name) if e.event_type is EventType.STEP_RESTARTED)

    def get_failed_step_keys(self) -> set[str]:
        return {e.step_key for e in self.get_step_failure_events() if e.step_key}

    # --- assets and checks ----------------------------------------------------------------
    def get_asset_materialization_events(self) -> list[Event]:
        return self.filter_events(EventType.ASSET_MATERIALIZATION)

    def get_asset_observation_events(self) -> list[Event]:
        return self.filter_events(EventType.ASSET_OBSERVATION)

    def asset_materializations_for_node(self, node_name: str) -> list[Any]:
        return [
            e.event_specific_data
            for e in self.events_for_node(node_name)
            if e.event_type is EventType.ASSET_MATERIALIZATION
        ]

    def asset_observations_for_node(self, node_name: str) -> list[Any]:
        return [
            e.event_specific_data
            for e in self.events_for_node(node_name)
            if e.event_type is EventType.ASSET_OBSERVATION
        ]

    def get_asset_check_evaluations(self) -> list[Any]:
        return [e.event_specific_data for e in self.filter_events(EventType.ASSET_CHECK_EVALUATION)]

    # --- values ---------------------------------------------------------------------------
    def output_for_node(self, node_str: str, output_name: str = "result") -> Any:
        """The value of output ``output_name`` of node ``node_str`` (``"op"``, ``"graph"``, ``"graph.op"``).

        For a mapped node or a dynamic output: ``{mapping_key: value}``.
        """
        leaf, out = self._resolve_node_output(node_str, output_name)
        capture = self._run.output_capture
        if (leaf, out) in capture:
            return capture[(leaf, out)]
        mapped = {
            step[len(leaf) + 1 : -1]: value
            for (step, name), value in capture.items()
            if name == out and step.startswith(leaf + "[")
        }
        if mapped:
            return mapped
        dynamic = {
            name[len(out) + 1 : -1]: value
            for (step, name), value in capture.items()
            if step == leaf and name.startswith(out + "[")
        }
        if dynamic:
            return dynamic
        raise InvariantViolationError(f"No outputs found for output '{output_name}' from node '{node_str}'.")

    def output_value(self, output_name: str = "result") -> Any:
        """The value of the job's (top-level graph's) output ``output_name``."""
        graph = self.job_def.graph
        if not graph.output_mappings:
            raise InvariantViolationError(
                f"Attempted to retrieve top-level outputs for '{self.job_def.name}', which has no outputs."
            )
        ref = graph.output_mappings.get(output_name)
        if ref is None:
            raise InvariantViolationError(f"{self.job_def.name} has no output named {output_name}.")
        leaf = self._run.job.compiled.resolve_output(graph, ref)
        return self.output_for_node(leaf.node, leaf.output)

    def _resolve_node_output(self, node_str: str, output_name: str) -> tuple[str, str]:
        compiled = self._run.compiled.get(node_str)
        if compiled is not None:
            if output_name not in compiled.op_def.outs:
                raise InvariantViolationError(f"{node_str} has no output named {output_name}.")
            return node_str, output_name
        graph: GraphDefinition = self.job_def.graph
        parts = node_str.split(".")
        prefix = ""
        for i, part in enumerate(parts):
            inv = graph.invocations.get(part)
            if inv is None:
                raise InvariantViolationError(f"{graph.name} has no op named {part}.")
            if i < len(parts) - 1:
                if not isinstance(inv.node_def, GraphDefinition):
                    raise InvariantViolationError(f"{part} in {node_str} is an op, not a graph.")
                graph = inv.node_def
                prefix += part + "."
            elif output_name not in inv.node_def.outs:
                raise InvariantViolationError(f"{node_str} has no output named {output_name}.")
        ref = self._run.job.compiled.resolve_output(graph, NodeOutputRef(parts[-1], output_name), prefix)
        return ref.node, ref.output

    def asset_value(self, asset_key: Any) -> Any:
        key = AssetKey.from_coercible(asset_key) if not isinstance(asset_key, AssetKey) else asset_key
        for node in self._run.job.spec.nodes:
            for out in node.outputs:
                if out.asset_key == key:
                    return self.output_for_node(node.handle, out.name)
        raise InvalidInvocationError(
            f"Asset {key.to_user_string()!r} is not computed by job '{self.job_def.name}'."
        )


def _one(events: Sequence[Event], event_type: EventType) -> Event:
    if not events:
        raise HeadwaterError(f"No event of type {event_type} found.")
    return events[0]
