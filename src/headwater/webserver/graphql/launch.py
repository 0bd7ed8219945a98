"""Launching runs from the webserver: a job, an asset selection, or a re-execution.

The code location's server checks the request against the code (config, resources, partition) and
returns the job spec and code pointer (``LocationClient.run_request``); the webserver then creates the
run from specs alone (``runs.create_run_for_launch``) and hands it to the instance's run coordinator.
No user code runs in this process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from headwater.core.asset_key import AssetKey
from headwater.errors import HeadwaterError, RunNotFoundError
from headwater.errors import InvalidSubsetError as CoreInvalidSubsetError
from headwater.locations.client.errors import LocationConfigError, LocationError, LocationRequestError
from headwater.runs.code_pointer import CodePointer
from headwater.runs.create import create_run_for_launch
from headwater.runs.reexecute import (
    ReexecutionError,
    create_reexecution_run,
)
from headwater.runs.reexecute import (
    ReexecutionStrategy as CoreStrategy,
)
from headwater.selection.asset_selection import AssetSelection
from headwater.specs.asset_graph import AssetGraph
from headwater.storage.runs import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG
from headwater.webserver.context import REPOSITORY_NAME, RequestContext
from headwater.webserver.graphql.errors import (
    ConfigValidationError,
    ConflictingExecutionParamsError,
    InvalidStepError,
    InvalidSubsetError,
    PipelineNotFoundError,
    PresetNotFoundError,
    PythonError,
    RunConfigValidationInvalid,
    RunConflict,
    UnauthorizedError,
    reason_for,
    run_not_found,
)
from headwater.webserver.graphql.launch_inputs import (
    ExecutionParams,
    LaunchRunReexecutionResult,
    LaunchRunResult,
    LaunchRunSuccess,
    MaterializeParams,
    ReexecutionNotPossibleError,
    ReexecutionParams,
    ReexecutionStrategy,
    parse_run_config,
)
from headwater.webserver.graphql.runs import LOCATION_TAG, Run
from headwater.webserver.graphql.tags import tag_dict

READ_ONLY = "This webserver is read-only (started with --read-only): it launches and changes nothing."


def _submit(ctx: RequestContext, run_id: str) -> LaunchRunSuccess:
    instance = ctx.server.instance
    instance.submit_run(run_id)
    ctx.server.launched_run_ids.add(run_id)
    record = ctx.storage.run_store.get_run_record(run_id)
    assert record is not None
    return LaunchRunSuccess(run=Run.of(record))


def _request(
    ctx: RequestContext,
    location: str,
    job_name: str | None,
    *,
    asset_keys: Sequence[AssetKey] | None = None,
    op_selection: Sequence[str] | None = None,
    run_config: dict[str, Any],
    tags: dict[str, str],
    partition_key: str | None = None,
    step_keys: Sequence[str] | None = None,
    run_id: str | None = None,
) -> LaunchRunResult:
    """Check the request with the location's code, create the run and submit it; a typed error when
    anything refuses it."""
    if run_id is not None and ctx.storage.run_store.has_run(run_id):
        return RunConflict(message=f"A run with id {run_id} already exists; leave runId out for a new one.")
    try:
        client = ctx.server.workspace.client(location)
        reply = client.run_request(
            job=job_name,
            asset_selection=asset_keys,
            op_selection=op_selection,
            run_config=run_config,
            partition_key=partition_key,
            tags=tags,
        )
    except LocationConfigError as exc:
        errors = [
            ConfigValidationError(
                message=str(e.get("message", "")),
                path=[str(p) for p in e.get("path", []) or []],  # type: ignore[attr-defined]
                reason=reason_for(str(e.get("message", ""))),
            )
            for e in exc.errors
        ]
        return RunConfigValidationInvalid(
            pipeline_name=job_name or "__ASSET_JOB", errors=errors, message=str(exc)
        )
    except LocationRequestError as exc:
        if exc.kind == "not_found":
            return PipelineNotFoundError(
                message=str(exc),
                pipeline_name=job_name or "",
                repository_name=REPOSITORY_NAME,
                repository_location_name=location,
            )
        return InvalidSubsetError(message=str(exc))
    except LocationError as exc:
        return PythonError.from_traceback(str(exc), getattr(exc, "user_traceback", None), type(exc).__name__)
    if step_keys is not None:
        handles = [n.handle for n in reply.job.nodes]
        unknown = [k for k in step_keys if k not in handles]
        if unknown:
            return InvalidStepError(
                invalid_step_key=unknown[0],
                message=f"No step {unknown[0]!r} in job '{reply.job.name}'. Its steps: {', '.join(handles)}.",
            )
    try:
        run = create_run_for_launch(
            ctx.storage.run_store,
            reply.job,
            CodePointer(**reply.code_pointer),
            run_config=reply.run_config,
            tags={**reply.tags, LOCATION_TAG: location},
            step_keys=step_keys if step_keys is not None else reply.step_keys,
            asset_selection=reply.asset_selection,
            run_id=run_id,
        )
        return _submit(ctx, run.run_id)
    except CoreInvalidSubsetError as exc:
        return InvalidSubsetError(message=str(exc))
    except HeadwaterError as exc:
        return PythonError.from_exception(exc)


def launch_run(ctx: RequestContext, params: ExecutionParams) -> LaunchRunResult:
    """``launchRun`` / ``launchPipelineExecution``."""
    if ctx.server.read_only:
        return UnauthorizedError(message=READ_ONLY)
    selector = params.selector
    location = selector.repository_location_name
    if params.preset:
        return PresetNotFoundError(
            preset=params.preset, message="Headwater has no presets: pass runConfigData."
        )
    if location not in ctx.location_names() or selector.repository_name != REPOSITORY_NAME:
        return PipelineNotFoundError(
            message=f"No code location {location!r} with repository {selector.repository_name!r} in this "
            f"workspace. Locations: {', '.join(ctx.location_names())} (each has one repository, "
            f"{REPOSITORY_NAME!r}).",
            pipeline_name=selector.name or "",
            repository_name=selector.repository_name,
            repository_location_name=location,
        )
    state = ctx.location(location)
    if state.spec is None:
        error = state.error
        return PythonError.from_traceback(
            str(error) if error is not None else f"Location {location!r} is not loaded.",
            getattr(error, "user_traceback", None),
            type(error).__name__ if error is not None else None,
        )
    name = selector.name
    keys = [k.to_key() for k in selector.asset_selection] if selector.asset_selection is not None else None
    if name is not None and name not in state.spec.job_names and not (keys and name == "__ASSET_JOB"):
        return PipelineNotFoundError(
            message=f"No job {name!r} in location {location!r}. "
            f"Jobs: {', '.join(state.spec.job_names) or 'none'}.",
            pipeline_name=name,
            repository_name=REPOSITORY_NAME,
            repository_location_name=location,
        )
    config = parse_run_config(params.run_config_data)
    if isinstance(config, str):
        return RunConfigValidationInvalid(
            pipeline_name=name or "",
            errors=[ConfigValidationError(message=config, path=[], reason=reason_for(""))],
            message=config,
        )
    meta = params.execution_metadata
    if meta is not None and meta.parent_run_id is not None:
        return ConflictingExecutionParamsError(
            message="executionMetadata.parentRunId names a re-execution: use launchRunReexecution."
        )
    if name is not None and keys is not None and name != "__ASSET_JOB":
        job = state.spec.job(name)
        keys_in_job = {o.asset_key for n in job.nodes for o in n.outputs if o.asset_key is not None}
        if set(keys) == keys_in_job:
            keys = None  # the whole job
    return _request(
        ctx,
        location,
        name,
        asset_keys=keys,
        op_selection=selector.solid_selection,
        run_config=config,
        tags=tag_dict(meta.tags if meta is not None else None),
        step_keys=params.step_keys,
        run_id=meta.run_id if meta is not None else None,
    )


def materialize(ctx: RequestContext, params: MaterializeParams) -> LaunchRunResult:
    """``materializeAssets``: an ad-hoc asset run over a selection of one location's assets."""
    if ctx.server.read_only:
        return UnauthorizedError(message=READ_ONLY)
    nodes = ctx.asset_nodes()
    if params.asset_keys is None and not params.selection:
        return InvalidSubsetError(message="Say which assets to materialize: assetKeys or selection.")
    keys: set[AssetKey] = set()
    if params.asset_keys is not None:
        keys = {k.to_key() for k in params.asset_keys}
        missing = [k.to_user_string() for k in keys if k not in nodes]
        if missing:
            return InvalidSubsetError(
                message=f"No asset {', '.join(sorted(missing))} in the loaded locations."
            )
    if params.selection:
        graph = AssetGraph([node for _, node in nodes.values()])
        try:
            keys |= AssetSelection.from_string(params.selection).resolve(graph, allow_missing=True)
        except HeadwaterError as exc:
            return InvalidSubsetError(message=str(exc))
    keys = {k for k in keys if nodes[k][1].is_materializable}
    if not keys:
        return InvalidSubsetError(message="The selection matches no materializable assets.")
    locations = {nodes[k][0] for k in keys}
    if params.repository_location_name is not None:
        locations.add(params.repository_location_name)
    if len(locations) > 1:
        return ConflictingExecutionParamsError(
            message=f"The selected assets are in several code locations ({', '.join(sorted(locations))}); "
            "one run materializes assets of one location."
        )
    tags = tag_dict(params.tags)
    if params.partition_range is not None:
        if params.partition_key is not None:
            return ConflictingExecutionParamsError(message="Pass partitionKey or partitionRange, not both.")
        tags[ASSET_PARTITION_RANGE_START_TAG] = params.partition_range.start
        tags[ASSET_PARTITION_RANGE_END_TAG] = params.partition_range.end
    config = parse_run_config(params.run_config_data)
    if isinstance(config, str):
        return RunConfigValidationInvalid(
            pipeline_name="__ASSET_JOB",
            errors=[ConfigValidationError(message=config, path=[], reason=reason_for(""))],
            message=config,
        )
    return _request(
        ctx,
        locations.pop(),
        None,
        asset_keys=sorted(keys, key=lambda k: k.path),
        run_config=config,
        tags=tags,
        partition_key=params.partition_key,
    )


def reexecute(
    ctx: RequestContext, params: ReexecutionParams | None, execution: ExecutionParams | None
) -> LaunchRunReexecutionResult:
    """``launchRunReexecution``: by strategy, or exactly some steps of the parent run."""
    if ctx.server.read_only:
        return UnauthorizedError(message=READ_ONLY)
    steps: list[str] | None = None
    extra: dict[str, str] = {}
    if params is not None:
        parent_id = params.parent_run_id
        strategy = CoreStrategy(params.strategy.value)
        steps = params.step_keys
        extra = tag_dict(params.extra_tags)
    elif execution is not None and execution.execution_metadata is not None:
        meta = execution.execution_metadata
        if meta.parent_run_id is None:
            return ConflictingExecutionParamsError(
                message="Re-execution needs executionMetadata.parentRunId."
            )
        parent_id, strategy, steps = meta.parent_run_id, CoreStrategy.ALL_STEPS, execution.step_keys
        extra = tag_dict(meta.tags)
    else:
        return ConflictingExecutionParamsError(message="Pass reexecutionParams (or executionParams).")
    try:
        run = create_reexecution_run(
            ctx.storage, parent_id, None if steps is not None else strategy, extra, steps=steps
        )
        return _submit(ctx, run.run_id)
    except RunNotFoundError:
        return run_not_found(parent_id)
    except ReexecutionError as exc:
        if steps is not None:
            return InvalidStepError(invalid_step_key=",".join(steps), message=str(exc))
        return ReexecutionNotPossibleError(message=str(exc))
    except HeadwaterError as exc:
        return PythonError.from_exception(exc)


__all__ = ["ReexecutionStrategy", "launch_run", "materialize", "reexecute"]
