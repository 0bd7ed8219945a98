"""Loading a step's inputs: from upstream outputs through IO managers, from assets, config or defaults."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater.errors import LoadInputError, StepExecutionError, TypeCheckDidNotPass
from headwater.events.event_type import EventType
from headwater.events.payloads import LoadedInputData, StepInputData, type_check_data
from headwater.execution.boundary import user_code_error_boundary
from headwater.execution.io_contexts import make_input_context
from headwater.execution.type_checks import run_type_check
from headwater.planning.plan import StepInput
from headwater.specs.job import InputKind, OutputRef

if TYPE_CHECKING:
    from headwater.execution.context import OpExecutionContext
    from headwater.execution.run_context import RunContext
    from headwater.execution.step_runner import StepAttempt

_MISSING: Any = object()


class InputLoadError(StepExecutionError):
    """An input could not be resolved (no upstream output, config value, asset or default)."""


def load_inputs(run: RunContext, attempt: StepAttempt, context: OpExecutionContext) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for step_input in attempt.step.inputs:
        if step_input.is_nothing:
            continue
        value = _load_one(run, attempt, step_input, context)
        if value is _MISSING:
            continue
        values[step_input.name] = value
    # As Dagster: every input is loaded (LOADED_INPUT...) before any is type-checked (STEP_INPUT...).
    for name, value in values.items():
        _type_check_input(run, attempt, context, name, value)
    return values


def _load_one(
    run: RunContext, attempt: StepAttempt, step_input: StepInput, context: OpExecutionContext
) -> Any:
    kind = step_input.kind
    if kind is InputKind.SINGLE:
        ref = step_input.sources[0]
        source_key, mapping_key = _upstream(run, attempt, ref)[0]
        return _load_from_step(run, attempt, step_input.name, source_key, ref, mapping_key)
    if kind is InputKind.FAN_IN:
        values = []
        for ref in step_input.sources:
            for source_key, mapping_key in _upstream(run, attempt, ref):
                if ref.output in run.active.produced.get(source_key, ()):
                    values.append(
                        _load_from_step(run, attempt, step_input.name, source_key, ref, mapping_key)
                    )
        return values
    if kind is InputKind.COLLECT:
        ref = step_input.sources[0]
        return [
            _load_from_step(run, attempt, step_input.name, source_key, ref, mapping_key)
            for source_key, mapping_key in _upstream(run, attempt, ref)
        ]
    return _load_unconnected(run, attempt, step_input, context)


def _upstream(run: RunContext, attempt: StepAttempt, ref: OutputRef) -> list[tuple[str, str | None]]:
    """The (step key, mapping key) pairs whose output ``ref.output`` feeds this step."""
    active = run.active
    out_spec = run.output_spec(ref)
    if out_spec.is_dynamic:
        # Read straight from a DynamicOut: one value (mapped step) or every value (collect).
        mk = attempt.instance.mapping_key
        if mk is not None and attempt.step.mapped_over == ref:
            return [(ref.node, mk)]
        return [(ref.node, k) for k in active.dynamic_keys.get((ref.node, ref.output), [])]
    return [(key, None) for key in active.source_keys(attempt.instance, ref)]


def _load_from_step(
    run: RunContext,
    attempt: StepAttempt,
    input_name: str,
    source_key: str,
    ref: OutputRef,
    mapping_key: str | None,
    upstream_run_id: str | None = None,
) -> Any:
    out_spec = run.output_spec(ref)
    io_key = out_spec.io_manager_key
    io = run.io_manager(io_key)
    ctx = make_input_context(
        run,
        attempt,
        input_name,
        asset_key=out_spec.asset_key,
        upstream_step_key=source_key,
        upstream_output_name=ref.output,
        upstream_mapping_key=mapping_key,
        upstream_io_manager_key=io_key,
        upstream_run_id=upstream_run_id,
    )
    with user_code_error_boundary(
        LoadInputError, f'Error occurred while loading input "{input_name}" of step "{attempt.key}":'
    ):
        value = io.load_input(ctx)
    of_run = f" of run {upstream_run_id}" if upstream_run_id else ""
    run.emit(
        EventType.LOADED_INPUT,
        attempt.key,
        f'Loaded input "{input_name}" using input manager "{io_key}", from output "{ref.output}" of step '
        f'"{source_key}"{of_run}',
        LoadedInputData(input_name, io_key, ref.output, source_key),
    )
    return value


def _config_inputs(run: RunContext, attempt: StepAttempt) -> Mapping[str, Any]:
    level: Any = run.run_config.get("ops") or {}
    path = attempt.compiled.config_path
    for i, part in enumerate(path):
        entry = level.get(part) if isinstance(level, Mapping) else None
        if entry is None:
            return {}
        if i == len(path) - 1:
            inputs = entry.get("inputs") if isinstance(entry, Mapping) else None
            return inputs if isinstance(inputs, Mapping) else {}
        level = entry.get("ops") or {}
    return {}


def _load_unconnected(
    run: RunContext, attempt: StepAttempt, step_input: StepInput, context: OpExecutionContext
) -> Any:
    name = step_input.name
    for graph_input, targets in run.job.compiled.graph_input_targets.items():
        if (attempt.step.key, name) in targets and graph_input in run.input_values:
            return run.input_values[graph_input]
    config_inputs = _config_inputs(run, attempt)
    if name in config_inputs:
        raw = config_inputs[name]
        loader = getattr(attempt.op_def.input_types.get(name), "loader", None)
        if loader is not None:
            with user_code_error_boundary(
                LoadInputError, f'Error occurred while loading input "{name}" of step "{attempt.key}":'
            ):
                return loader.load(context, raw, f'input "{name}" of step "{attempt.key}"')
        return raw["value"] if isinstance(raw, Mapping) and set(raw) == {"value"} else raw
    compiled_input = attempt.compiled.inputs.get(name)
    op_in = attempt.op_def.ins[name]
    asset_key = step_input.load_asset_key
    if asset_key is not None or op_in.input_manager_key is not None:
        io_key = op_in.input_manager_key or (
            run.layer.load_io_manager_key(asset_key)
            if run.layer is not None and asset_key is not None
            else "io_manager"
        )
        io = run.io_manager(io_key)
        ctx = make_input_context(
            run,
            attempt,
            name,
            asset_key=asset_key,
            upstream_step_key=None,
            upstream_output_name=None,
            upstream_mapping_key=None,
            upstream_io_manager_key=io_key,
        )
        with user_code_error_boundary(
            LoadInputError, f'Error occurred while loading input "{name}" of step "{attempt.key}":'
        ):
            value = io.load_input(ctx)
        source = f"asset {asset_key.to_user_string()!r}" if asset_key is not None else "its input manager"
        run.emit(
            EventType.LOADED_INPUT,
            attempt.key,
            f'Loaded input "{name}" using input manager "{io_key}" from {source}',
            LoadedInputData(name, io_key),
        )
        return value
    if step_input.unresolved_sources and getattr(run.run, "parent_run_id", None):
        loaded = _load_from_parent_runs(run, attempt, step_input)
        if loaded is not _MISSING:
            return loaded
    if compiled_input is not None and compiled_input.has_graph_default:
        return compiled_input.graph_default
    if op_in.has_default:
        return op_in.default_value
    if step_input.unresolved_sources:
        src = step_input.unresolved_sources[0]
        raise InputLoadError(
            f'Input "{name}" of step "{attempt.key}" comes from output "{src.output}" of step "{src.node}", '
            "which is "
            "not part of this run's selection. Include that step, or pass the value under "
            f"ops:{attempt.compiled.config_path[-1]}:inputs:{name} in the run config.",
            user_exception=LookupError(name),
            original_traceback="",
        )
    raise InputLoadError(
        f'Input "{name}" of op "{attempt.op_def.name}" has no upstream output, no default value and no '
        "value in "
        f"config. Connect it in the graph, give the parameter a default, or pass it as "
        f"ops:{attempt.compiled.config_path[-1]}:inputs:{name} in the run config.",
        user_exception=LookupError(name),
        original_traceback="",
    )


def _type_check_input(
    run: RunContext, attempt: StepAttempt, context: OpExecutionContext, name: str, value: Any
) -> None:
    dagster_type = attempt.op_def.input_types.get(name)
    check = None
    type_name = "Any"
    if dagster_type is not None:
        type_name = dagster_type.display_name
        if dagster_type.type_check_fn is not None:
            check = run_type_check(
                dagster_type,
                context,
                value,
                lambda: (
                    f'Error occurred while type-checking input "{name}" of op "{attempt.step.handle}", '
                    f"with Python type {type(value)} and Dagster type {type_name}"
                ),
            )
    passed = check is None or check.success
    run.emit(
        EventType.STEP_INPUT,
        attempt.key,
        f'Got input "{name}" of type "{type_name}". '
        + ("(Type check passed)." if passed else "Warning! Type check failed."),
        StepInputData(name, type_check_data(name, check)),
    )
    if check is not None and not check.success:
        raise TypeCheckDidNotPass(
            f'Type check failed for step input "{name}" - expected type "{type_name}". Description: '
            f"{check.description}",
            metadata=check.metadata,
            dagster_type=dagster_type,
        )


# -- re-execution: inputs from steps of an earlier run in the chain of parents -----------------------
def _producing_run(run: RunContext, step_key: str) -> str | None:
    """The nearest ancestor run (parent, its parent, ...) that stored an output of ``step_key``."""
    instance = run.instance
    run_id: str | None = run.run.parent_run_id
    seen: set[str] = set()
    while run_id is not None and run_id not in seen:
        seen.add(run_id)
        if any(e.step_key == step_key for e in instance.all_logs(run_id, of_type=EventType.HANDLED_OUTPUT)):
            return run_id
        parent = instance.get_run_by_id(run_id)
        run_id = parent.parent_run_id if parent is not None else None
    return None


def _load_from_parent_runs(run: RunContext, attempt: StepAttempt, step_input: StepInput) -> Any:
    """An input whose upstream step is not in this (re-execution) run: load the upstream's output
    through its IO manager, as written by the run that produced it. ``_MISSING`` when none did."""
    spec = next((i for i in run.nodes[attempt.step.handle].inputs if i.name == step_input.name), None)
    if spec is None or spec.kind not in (InputKind.SINGLE, InputKind.FAN_IN):
        return _MISSING  # a dynamic (collect) input cannot be rebuilt from a parent run
    values = []
    for ref in step_input.unresolved_sources:
        source_run = _producing_run(run, ref.node)
        if source_run is None:
            return _MISSING
        values.append(_load_from_step(run, attempt, step_input.name, ref.node, ref, None, source_run))
    return values[0] if spec.kind is InputKind.SINGLE else values
