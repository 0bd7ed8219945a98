"""Running one step: inputs, the compute function inside the user-code boundary, outputs, retries, hooks."""

from __future__ import annotations

import inspect
import time
from typing import TYPE_CHECKING, Any

import msgspec

from headwater.core.error_info import ErrorInfo
from headwater.core.metadata import normalize_metadata
from headwater.definitions.results import Failure, RetryRequested
from headwater.errors import (
    HeadwaterError,
    MaxRetriesExceededError,
    StepExecutionError,
    UserCodeExecutionError,
)
from headwater.events.event_type import EventType
from headwater.events.payloads import (
    EngineEventData,
    HookData,
    StepFailureData,
    StepRetryData,
    StepSuccessData,
    UserFailureData,
)
from headwater.execution.boundary import user_code_error_boundary
from headwater.execution.check_context import AssetCheckExecutionContext
from headwater.execution.compute_logs import capture_step_output
from headwater.execution.context import (
    AssetExecutionContext,
    OpExecutionContext,
)
from headwater.execution.hook_context import HookContext
from headwater.execution.log_manager import RunLogger, current_step
from headwater.execution.step_inputs import load_inputs
from headwater.execution.step_outputs import OutputHandler
from headwater.execution.step_versions import SKIP_REASON_KEY, StepVersions, Unchanged, unchanged_step
from headwater.planning.active_execution import StepInstance

if TYPE_CHECKING:
    from headwater.definitions.job_compile import CompiledNode
    from headwater.definitions.op import OpDefinition
    from headwater.execution.run_context import RunContext
    from headwater.planning.plan import ExecutionStep
    from headwater.specs.job import NodeSpec


class StepAttempt(msgspec.Struct):
    instance: StepInstance
    key: str
    step: ExecutionStep
    node_spec: NodeSpec
    compiled: CompiledNode
    op_def: OpDefinition
    retry_number: int
    selected_outputs: set[str] | None
    versions: StepVersions | None = None


class StepResult(msgspec.Struct):
    success: bool
    outputs: set[str]
    dynamic: dict[str, list[str]]
    values: dict[str, Any]


def _selected_outputs(run: RunContext, node: NodeSpec) -> set[str] | None:
    layer = run.layer
    if layer is None:
        return None
    out: set[str] = set()
    subset = False
    for o in node.outputs:
        if (o.asset_key is not None and o.asset_key not in layer.selected_asset_keys) or (
            o.check_key is not None and o.check_key not in layer.selected_check_keys
        ):
            subset = True
        else:
            out.add(o.name)
    return out if subset else None


def run_step(run: RunContext, inst: StepInstance, retry_number: int = 0) -> StepResult:
    """Run one step instance, retrying it in place per its RetryPolicy; ``retry_number`` is the
    attempt to start at (a step worker that takes over a step whose worker was lost passes the next)."""
    step = inst.step
    compiled = run.compiled[step.key]
    op_def = compiled.op_def
    policy = compiled.retry_policy or op_def.retry_policy or run.job.op_retry_policy
    attempt = StepAttempt(
        instance=inst,
        key=inst.key,
        step=step,
        node_spec=step.node,
        compiled=compiled,
        op_def=op_def,
        retry_number=retry_number,
        selected_outputs=_selected_outputs(run, step.node),
    )
    token = current_step.set((run, inst.key))
    capture = capture_step_output(run.run_id, inst.key)
    capture.__enter__()
    try:
        attempt.versions = StepVersions(run)
        unchanged = unchanged_step(run, attempt, attempt.versions)
        if unchanged is not None:
            return _skip_unchanged(run, attempt, unchanged)
        while True:
            result, error, retry_wait = _attempt(run, attempt, policy)
            if retry_wait is None:
                break
            run.emit(
                EventType.STEP_UP_FOR_RETRY,
                inst.key,
                f'Execution of step "{inst.key}" failed and has requested a retry'
                + (f" in {retry_wait:g} seconds." if retry_wait else "."),
                StepRetryData(ErrorInfo.from_exception(error) if error else None, retry_wait),
            )
            run.flush()
            if retry_wait:
                time.sleep(retry_wait)
            attempt.retry_number += 1
        _run_hooks(run, attempt, result, error)
    finally:
        capture.__exit__(None, None, None)
        current_step.reset(token)
        run.flush()
    return result


def _skip_unchanged(run: RunContext, attempt: StepAttempt, unchanged: Unchanged) -> StepResult:
    """Skip a step whose assets are unchanged: one STEP_SKIPPED event saying why; its outputs count
    as produced (downstream steps load the stored ones through the IO manager)."""
    kept = ", ".join(f"{k} @ {v[:12]}" for k, v in sorted(unchanged.data_versions.items()))
    run.emit(
        EventType.STEP_SKIPPED,
        attempt.key,
        f'Skipped execution of step "{attempt.key}": {unchanged.reason} (kept {kept}).',
        EngineEventData(
            {
                SKIP_REASON_KEY: unchanged.reason,
                "data_versions": unchanged.data_versions,
            }
        ),
    )
    outputs = {o.name for o in attempt.node_spec.outputs}
    if attempt.selected_outputs is not None:
        outputs &= attempt.selected_outputs
    return StepResult(True, outputs, {}, {})


def _attempt(
    run: RunContext, attempt: StepAttempt, policy: Any
) -> tuple[StepResult, BaseException | None, float | None]:
    key = attempt.key
    if attempt.retry_number == 0:
        run.emit(EventType.STEP_START, key, f'Started execution of step "{key}".')
    else:
        run.emit(
            EventType.STEP_RESTARTED,
            key,
            f'Started re-execution (attempt # {attempt.retry_number + 1}) of step "{key}".',
        )
    started = time.perf_counter()
    op_def = attempt.op_def
    context = _make_context(run, attempt)
    handler = OutputHandler(run, attempt, context)
    try:
        inputs = load_inputs(run, attempt, context)
        sig = op_def.signature
        if sig.config_param is not None:
            inputs["config"] = run.node_configs.get(attempt.step.key)
        for res_name in sig.resource_params:
            inputs[res_name] = getattr(run.resources, res_name)
        with user_code_error_boundary(
            StepExecutionError, f'Error occurred while executing op "{op_def.name}":'
        ):
            fn = op_def.compute_fn
            value = fn(context, **inputs) if sig.context_param is not None else fn(**inputs)
            if sig.is_async:
                value = _run_async(value)
            if sig.is_generator or inspect.isgenerator(value):
                for item in value:
                    handler.process_item(item)
            else:
                handler.process_return(value)
        handler.finish()
    except RetryRequested as exc:
        if attempt.retry_number < exc.max_retries:
            return StepResult(False, set(), {}, {}), exc, exc.seconds_to_wait or 0.0
        return _retries_exceeded(run, attempt, exc), exc, None
    except Failure as exc:
        if policy is not None and exc.allow_retries:
            return _retry_from_policy(run, attempt, policy, exc)
        return _fail(run, attempt, exc, exc, source=FRAMEWORK_ERROR), exc, None
    except UserCodeExecutionError as exc:
        if policy is not None:
            return _retry_from_policy(run, attempt, policy, exc.user_exception)
        return _fail(run, attempt, exc, exc.user_exception, source=USER_CODE_ERROR), exc.user_exception, None
    except HeadwaterError as exc:
        return _fail(run, attempt, exc, exc, source=FRAMEWORK_ERROR), exc, None
    duration_ms = (time.perf_counter() - started) * 1000
    run.emit(
        EventType.STEP_SUCCESS,
        attempt.key,
        f'Finished execution of step "{attempt.key}" in {format_duration(duration_ms)}.',
        StepSuccessData(duration_ms),
    )
    return StepResult(True, handler.produced, handler.dynamic, handler.output_values), None, None


def format_duration(ms: float) -> str:
    if ms < 1000:
        return f"{ms:.3g}ms"
    return f"{ms / 1000:.3g}s"


def _run_async(value: Any) -> Any:
    import asyncio  # only async compute functions need it (~60 ms to import)

    if inspect.isasyncgen(value):

        async def collect() -> list[Any]:
            return [item async for item in value]

        return iter(asyncio.run(collect()))
    if inspect.iscoroutine(value):
        return asyncio.run(value)
    return value


#: Where a step failure came from (``StepFailureData.error_source``), as Dagster classifies it.
USER_CODE_ERROR = "USER_CODE_ERROR"
FRAMEWORK_ERROR = "FRAMEWORK_ERROR"


class RetryRequestedFromPolicy(RetryRequested):
    """The engine's retry request for a step with a ``RetryPolicy`` whose user code raised; the user's
    exception is its ``__cause__``. Stored (STEP_UP_FOR_RETRY, then the final STEP_FAILURE) as Dagster
    stores it."""

    stored_name = "dagster._core.execution.plan.utils.RetryRequestedFromPolicy"


def _retry_from_policy(
    run: RunContext, attempt: StepAttempt, policy: Any, user_exc: BaseException
) -> tuple[StepResult, BaseException | None, float | None]:
    request = RetryRequestedFromPolicy(
        max_retries=policy.max_retries, seconds_to_wait=policy.calculate_delay(attempt.retry_number + 1)
    )
    request.__cause__ = user_exc
    if attempt.retry_number < policy.max_retries:
        return StepResult(False, set(), {}, {}), request, request.seconds_to_wait
    return _retries_exceeded(run, attempt, request), user_exc, None


def _retries_exceeded(run: RunContext, attempt: StepAttempt, request: RetryRequested) -> StepResult:
    """Fail a step whose retries are used up, the way Dagster reports it: the retry request's class, the
    message "Exceeded max_retries of N", the user's exception as the cause."""
    message = f"Exceeded max_retries of {request.max_retries}\n"
    cause = request.__cause__
    requested = ErrorInfo.from_exception(request)
    info = ErrorInfo(message, requested.stack, requested.cls_name, cause=requested.cause)
    raised = MaxRetriesExceededError(message.strip())
    raised.__cause__ = cause
    return _fail(
        run,
        attempt,
        request,
        raised,
        source=USER_CODE_ERROR if cause is not None else FRAMEWORK_ERROR,
        error_info=info,
        failure=cause if isinstance(cause, Failure) else None,
    )


def _fail(
    run: RunContext,
    attempt: StepAttempt,
    exc: BaseException,
    user_exc: BaseException,
    *,
    source: str,
    error_info: ErrorInfo | None = None,
    failure: Failure | None = None,
) -> StepResult:
    user_data = None
    failure = failure if failure is not None else exc if isinstance(exc, Failure) else None
    if failure is not None:
        user_data = UserFailureData(
            "intentional-failure", failure.description, normalize_metadata(failure.metadata)
        )
    run.emit(
        EventType.STEP_FAILURE,
        attempt.key,
        f'Execution of step "{attempt.key}" failed.',
        StepFailureData(
            error_info or ErrorInfo.from_exception(exc),
            user_data,
            source,
        ),
        level=40,
    )
    run.failed_steps.append(attempt.key)
    if run.first_user_error is None:
        run.first_user_error = user_exc
    return StepResult(False, set(), {}, {})


def _make_context(run: RunContext, attempt: StepAttempt) -> OpExecutionContext:
    node = attempt.node_spec
    out_keys = {o.name: o.asset_key for o in node.outputs if o.asset_key is not None}
    check_keys = {o.name: o.check_key for o in node.outputs if o.check_key is not None}
    cls: type[OpExecutionContext] = OpExecutionContext
    selected = None
    in_keys: dict[str, Any] = {}
    if run.layer is not None:
        in_keys = {i.name: i.asset_key for i in node.inputs if i.asset_key is not None}
        if out_keys:
            cls = AssetExecutionContext
            selected = {k for k in out_keys.values() if k in run.layer.selected_asset_keys}
            # only the checks the run selected (Dagster's context.selected_asset_check_keys)
            check_keys = {n: k for n, k in check_keys.items() if k in run.layer.selected_check_keys}
        elif check_keys:
            cls = AssetCheckExecutionContext
    return cls(
        run=run,
        step_key=attempt.key,
        op_def=attempt.op_def,
        op_config=run.node_configs.get(attempt.step.key),
        resources=run.resources,
        output_asset_keys=out_keys,
        input_asset_keys=in_keys,
        selected_asset_keys=selected,
        asset_check_keys=check_keys,
        partition_key=run.partition_key,
        retry_number=attempt.retry_number,
        mapping_key=attempt.instance.mapping_key,
    )


def _run_hooks(
    run: RunContext, attempt: StepAttempt, result: StepResult, error: BaseException | None
) -> None:
    hooks = run.hook_defs | attempt.compiled.hooks
    if not hooks:
        return
    for hook in sorted(hooks, key=lambda h: h.name):
        if not hook.should_fire(result.success):
            run.emit(
                EventType.HOOK_SKIPPED,
                attempt.key,
                f'Skipped the execution of hook "{hook.name}". It did not meet its triggering condition '
                "during "
                f'the execution of "{attempt.op_def.name}".',
                HookData(hook.name),
            )
            continue
        ctx = HookContext(
            hook_def=hook,
            job_name=run.job_name,
            run_id=run.run_id,
            step_key=attempt.key,
            op=attempt.op_def,
            resources=run.resources,
            log=RunLogger(run, attempt.key),
            op_exception=error if not result.success else None,
            op_output_values=result.values,
            instance=run.instance,
        )
        try:
            with user_code_error_boundary(
                UserCodeExecutionError, f'Error occurred during the execution of hook "{hook.name}"'
            ):
                hook.decorated_fn(ctx)
        except UserCodeExecutionError as exc:
            run.emit(
                EventType.HOOK_ERRORED,
                attempt.key,
                f'Error in hook "{hook.name}": {exc.user_exception!r}',
                HookData(hook.name, ErrorInfo.from_exception(exc.user_exception)),
                level=40,
            )
            continue
        run.emit(
            EventType.HOOK_COMPLETED,
            attempt.key,
            f'Finished the execution of hook "{hook.name}" triggered for "{attempt.op_def.name}".',
            HookData(hook.name),
        )
