"""Driving one run in this process: config, plan, run record, resources, executor, run events."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.core.error_info import ErrorInfo
from headwater.definitions.tags import normalize_tags
from headwater.errors import ResourceInitError
from headwater.events.event import EventLogEntry
from headwater.events.event_type import EventType
from headwater.events.payloads import EngineEventData, RunFailureData
from headwater.execution.pool_slots import free_run_slots
from headwater.execution.resource_builder import initialize_resources
from headwater.execution.run_config import process_run_config
from headwater.execution.run_context import RunContext
from headwater.execution.run_loggers import build_loggers, process_logger_config
from headwater.execution.run_partitions import (
    InputPartitions,
    partition_tags,
    partitioned_config_tags,
    partitioned_run_config,
    resolve_run_partitions,
)
from headwater.planning.plan import ExecutionPlan, build_plan

if TYPE_CHECKING:
    from headwater.definitions.job import JobDefinition
    from headwater.execution.executor import Executor
    from headwater.execution.result import ExecuteInProcessResult

PARTITION_TAG = "dagster/partition"


def resource_keys_for(job: JobDefinition, step_keys: set[str] | None) -> set[str]:
    """The resource keys the selected steps need: their own, their outputs' and inputs' IO managers, hooks."""
    keys: set[str] = set()
    layer = job.asset_layer
    by_handle = {n.handle: n for n in job.spec.nodes}
    for node in job.spec.nodes:
        if step_keys is not None and node.handle not in step_keys:
            continue
        keys |= node.required_resource_keys
        for out in node.outputs:
            if not out.is_nothing:
                keys.add(out.io_manager_key)
        compiled = job.compiled.nodes[node.handle]
        for inp in node.inputs:
            if inp.is_nothing:
                continue
            manager = compiled.op_def.ins[inp.name].input_manager_key
            if manager:
                keys.add(manager)
            elif inp.asset_key is not None and layer is not None:
                keys.add(layer.load_io_manager_key(inp.asset_key))
            for src in inp.sources:
                upstream = by_handle[src.node]
                for o in upstream.outputs:
                    if o.name == src.output and not o.is_nothing:
                        keys.add(o.io_manager_key)
        for hook in compiled.hooks:
            keys |= hook.required_resource_keys
    for hook in job.hook_defs:
        keys |= hook.required_resource_keys
    return keys


def execute_run(
    job: JobDefinition,
    *,
    executor: Executor,
    instance: Any,
    run_config: Any,
    resource_defs: Mapping[str, Any],
    step_keys: Iterable[str] | None,
    raise_on_error: bool,
    partition_key: str | None,
    run_id: str | None,
    tags: Mapping[str, str] | None,
    input_values: Mapping[str, Any] | None,
    asset_selection: Iterable[Any] | None = None,
    on_events: Callable[[Sequence[EventLogEntry]], None] | None = None,
    existing_run: Any = None,
    plan: ExecutionPlan | None = None,
    parent_run_id: str | None = None,
    root_run_id: str | None = None,
) -> ExecuteInProcessResult:
    """Run ``job``: create the run record, then drive the executor. A run worker passes the run it
    executes (``existing_run``, already stored) and the plan stored with it (``plan``) instead."""
    from headwater.execution.result import ExecuteInProcessResult

    selected = set(step_keys) if step_keys is not None else None
    job.validate_resources(resource_defs)
    if plan is None:
        plan = build_plan(job.spec, selected)
    all_input_values = {**job.input_values, **(input_values or {})}
    all_tags = {**job.tags, **job.run_tags, **normalize_tags(tags)}
    # Partitions first: an unknown key, a bad range or a missing upstream partition stops the run here.
    partitions = resolve_run_partitions(
        job, partition_key, existing_run.tags if existing_run is not None else all_tags, instance
    )
    input_partitions = InputPartitions(job, partitions, instance)
    input_partitions.check()
    run_config = partitioned_run_config(job, partitions, run_config)
    all_tags.update(partitioned_config_tags(job, partitions))
    all_tags.update(partition_tags(job, partitions))
    shape, node_configs = process_run_config(
        job,
        run_config,
        set(resource_defs),
        plan=plan,
        input_values=all_input_values,
        parent_run_outputs=(parent_run_id or getattr(existing_run, "parent_run_id", None)) is not None,
    )
    logger_configs = process_logger_config(job, shape)
    run = existing_run or instance.create_run(
        job_name=job.name,
        run_id=run_id,
        run_config=run_config_as_passed(run_config),
        tags=all_tags,
        asset_selection=frozenset(asset_selection) if asset_selection is not None else None,
        step_keys_to_execute=sorted(selected) if selected is not None else None,
        parent_run_id=parent_run_id,
        root_run_id=root_run_id,
    )
    needed = {k for k in resource_keys_for(job, selected) if k in resource_defs}
    ctx = RunContext(
        job=job,
        plan=plan,
        run=run,
        instance=instance,
        node_configs=node_configs,
        run_config=shape,
        resources=None,
        partition_key=partitions.key if partitions is not None else None,
        input_values=all_input_values,
        raise_on_error=raise_on_error,
        on_events=on_events,
        resource_defs=resource_defs,
        clock=instance.clock,
    )
    if logger_configs:
        ctx.loggers = build_loggers(job, logger_configs, ctx.run_id)
    ctx.partitions = partitions
    ctx._input_partitions = input_partitions
    ctx.emit(EventType.RUN_START, None, f'Started execution of run for "{job.name}".')
    ctx.emit(EventType.ENGINE_EVENT, None, f"Executing steps in process (pid: {ctx.pid})", EngineEventData())
    ctx.flush()
    resource_error: BaseException | None = None
    try:
        names = ", ".join(sorted(needed))
        ctx.emit(EventType.RESOURCE_INIT_STARTED, None, f"Starting initialization of resources [{names}].")
        with initialize_resources(
            resource_defs,
            shape.get("resources") or {},
            keys=needed,
            instance=instance,
            run_id=ctx.run_id,
        ) as resources:
            ctx.resources = resources
            ctx.emit(
                EventType.RESOURCE_INIT_SUCCESS, None, f"Finished initialization of resources [{names}]."
            )
            try:
                executor.execute(ctx)
            finally:
                free_run_slots(ctx)  # instance pool slots a step still holds, however the executor stopped
    except ResourceInitError as exc:
        resource_error = exc
        ctx.emit(
            EventType.RESOURCE_INIT_FAILURE,
            None,
            str(exc),
            EngineEventData(error=ErrorInfo.from_exception(exc)),
            level=40,
        )
    if ctx.failed_steps or resource_error is not None:
        # As Dagster: the run's failure carries the error of the resource that failed to build, else
        # that of its first failed step.
        if resource_error is not None:
            message = (
                f'Execution of run for "{job.name}" failed. An exception was thrown during resource init.'
            )
            error: ErrorInfo | None = ErrorInfo.from_exception(resource_error)
        else:
            message = f'Execution of run for "{job.name}" failed. Steps failed: {ctx.failed_steps!r}.'
            error = _step_failure_error(ctx.events, ctx.failed_steps[0])
        ctx.emit(
            EventType.RUN_FAILURE,
            None,
            message,
            RunFailureData(
                error,
                "STEP_FAILURE" if ctx.failed_steps else "RESOURCE_INIT_FAILURE",
                ctx.failed_steps[0] if ctx.failed_steps else None,
            ),
            level=40,
        )
    else:
        ctx.emit(EventType.RUN_SUCCESS, None, f'Finished execution of run for "{job.name}".')
    ctx.flush()
    result = ExecuteInProcessResult(ctx)
    if raise_on_error:
        if resource_error is not None:
            raise resource_error
        if ctx.first_user_error is not None:
            raise ctx.first_user_error
    return result


def _step_failure_error(events: Sequence[EventLogEntry], step_key: str) -> ErrorInfo | None:
    """The error stored with the STEP_FAILURE event of ``step_key``."""
    for entry in events:
        event = entry.dagster_event
        if event is not None and event.step_key == step_key and event.event_type == EventType.STEP_FAILURE:
            return getattr(event.event_specific_data, "error", None)
    return None


def run_config_as_passed(run_config: Any) -> dict[str, Any]:
    """The run config a run stores: what the user passed (a ``RunConfig`` as its dict), without the job's
    defaults or empty sections, as Dagster stores it. The run worker processes it again with the job."""
    if run_config is None:
        return {}
    if hasattr(run_config, "to_config_dict"):
        return dict(run_config.to_config_dict())
    return dict(run_config)
