"""ExecuteInProcessResult: what a run in this process produced — events, outputs, asset values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from headwater.core.asset_key import AssetKey
from headwater.definitions.composition import NodeOutputRef
from headwater.definitions.graph import GraphDefinition
from headwater.errors import InvalidInvocationError, StepOutputNotFoundError
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

    def filter_events(self, event_type: EventType) -> list[Event]:
        return [e for e in self._events if e.event_type is event_type]

    def get_job_success_event(self) -> Event:
        return _one(self.filter_events(EventType.RUN_SUCCESS), "a RUN_SUCCESS event")

    def get_job_failure_event(self) -> Event:
        return _one(self.filter_events(EventType.RUN_FAILURE), "a RUN_FAILURE event")

    def get_run_success_event(self) -> Event:
        return self.get_job_success_event()

    def get_run_failure_event(self) -> Event:
        return self.get_job_failure_event()

    # --- steps ----------------------------------------------------------------------------
    def _matches(self, step_key: str | None, node_name: str) -> bool:
        if step_key is None:
            return False
        return step_key == node_name or step_key.startswith(node_name + "[") or step_key.startswith(node_name + ".")

    def events_for_node(self, node_name: str) -> list[Event]:
        self._check_node(node_name)
        return [e for e in self._events if self._matches(e.step_key, node_name)]

    def _check_node(self, node_name: str) -> None:
        handles = self._run.compiled
        if not any(h == node_name or h.startswith(node_name + ".") for h in handles):
            raise InvalidInvocationError(
                f"No node named '{node_name}' in job '{self.job_def.name}'. Nodes: {sorted(handles)}."
            )

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
            e.event_specific_data for e in self.events_for_node(node_name) if e.event_type is EventType.ASSET_OBSERVATION
        ]

    def get_asset_check_evaluations(self) -> list[Any]:
        return [e.event_specific_data for e in self.filter_events(EventType.ASSET_CHECK_EVALUATION)]

    # --- values ---------------------------------------------------------------------------
    def output_for_node(self, node_str: str, output_name: str = "result") -> Any:
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
        raise StepOutputNotFoundError(
            f"Did not find result {output_name!r} in node {node_str!r}: it was not produced by this run "
            "(the step failed, was skipped, or the output is optional and was not yielded)."
        )

    def output_value(self, output_name: str = "result") -> Any:
        graph = self.job_def.graph
        ref = graph.output_mappings.get(output_name)
        if ref is None:
            raise InvalidInvocationError(
                f"Job '{self.job_def.name}' has no output named {output_name!r}; outputs: {list(graph.output_mappings)}."
            )
        leaf = self._run.job.compiled.resolve_output(graph, ref)
        return self.output_for_node(leaf.node, leaf.output)

    def _resolve_node_output(self, node_str: str, output_name: str) -> tuple[str, str]:
        if node_str in self._run.compiled:
            return node_str, output_name
        graph: GraphDefinition = self.job_def.graph
        parts = node_str.split(".")
        prefix = ""
        for i, part in enumerate(parts):
            inv = graph.invocations.get(part)
            if inv is None:
                raise InvalidInvocationError(f"No node named '{node_str}' in job '{self.job_def.name}'.")
            if i < len(parts) - 1:
                if not isinstance(inv.node_def, GraphDefinition):
                    raise InvalidInvocationError(f"'{part}' in '{node_str}' is an op, not a graph.")
                graph = inv.node_def
                prefix += part + "."
        ref = self._run.job.compiled.resolve_output(graph, NodeOutputRef(parts[-1], output_name), prefix)
        return ref.node, ref.output

    def asset_value(self, asset_key: Any) -> Any:
        key = AssetKey.from_coercible(asset_key) if not isinstance(asset_key, AssetKey) else asset_key
        for node in self._run.job.spec.nodes:
            for out in node.outputs:
                if out.asset_key == key:
                    return self.output_for_node(node.handle, out.name)
        raise InvalidInvocationError(f"Asset {key.to_user_string()!r} is not computed by job '{self.job_def.name}'.")


def _one(events: Sequence[Event], what: str) -> Event:
    if not events:
        raise InvalidInvocationError(f"This run has no {what}.")
    return events[0]
