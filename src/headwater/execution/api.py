"""Entry points for running in this process: execute_job (behind execute_in_process), materialize,
materialize_to_memory."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.core.codec import paused_gc
from headwater.definitions.asset_job import EPHEMERAL_ASSET_JOB_NAME, UnresolvedAssetJobDefinition
from headwater.definitions.asset_layer import AssetCollection, build_asset_job, collect_assets
from headwater.errors import InvalidInvocationError, InvariantViolationError
from headwater.events.event import EventLogEntry
from headwater.execution.in_process_executor import in_process_executor
from headwater.execution.run_driver import execute_run
from headwater.execution.step_versions import SKIP_UNCHANGED_TAG
from headwater.planning.op_selection import resolve_op_selection
from headwater.selection.asset_selection import AssetSelection

if TYPE_CHECKING:
    from headwater.definitions.job import JobDefinition
    from headwater.execution.result import ExecuteInProcessResult


def _instance(instance: Any) -> Any:
    if instance is not None:
        return instance
    from headwater.instance import Instance

    return Instance.ephemeral()


def default_resources(
    resource_defs: Mapping[str, Any], instance: Any, *, in_memory: bool = False
) -> dict[str, Any]:
    """The job's resources plus a default ``io_manager`` when none is given."""
    out = dict(resource_defs)
    if "io_manager" not in out:
        if in_memory:
            from headwater.definitions.mem_io_manager import InMemoryIOManager

            out["io_manager"] = InMemoryIOManager()
        else:
            from headwater.definitions.fs_io_manager import FilesystemIOManager

            out["io_manager"] = FilesystemIOManager(base_dir=instance.storage_directory())
    return out


def _executor_for(job: JobDefinition) -> Any:
    """The job's executor when it has one that can run here, else the in-process executor."""
    executor = job.executor_def
    if executor is not None and hasattr(executor, "execute"):
        return executor
    return in_process_executor


def execute_job(
    job: JobDefinition,
    *,
    run_config: Any = None,
    instance: Any = None,
    partition_key: str | None = None,
    raise_on_error: bool = True,
    op_selection: Sequence[str] | None = None,
    asset_selection: Sequence[Any] | None = None,
    run_id: str | None = None,
    input_values: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    resources: Mapping[str, Any] | None = None,
    in_memory: bool = False,
    in_process: bool = False,
    on_events: Callable[[Sequence[EventLogEntry]], None] | None = None,
    step_keys: Sequence[str] | None = None,
    parent_run_id: str | None = None,
    root_run_id: str | None = None,
) -> ExecuteInProcessResult:
    """Run ``job`` with its executor (``in_process=True``: in this process) and return its result.

    ``step_keys`` runs only those steps of the plan (re-execution; combined with ``op_selection``).

    ``in_memory=True`` makes the default ``io_manager`` an in-memory one (``execute_in_process``);
    otherwise it is a FilesystemIOManager under the instance's storage directory. ``on_events`` is
    called with each batch of events as it is stored (one batch per step).
    """
    inst = _instance(instance)
    if resources:
        job = job.with_resources(resources) if not job.resource_defs else job._copy()
        job.resource_defs = {**job.resource_defs, **resources}
    selected_steps: set[str] | None = set(step_keys) if step_keys is not None else None
    selected_assets = None
    if asset_selection is not None:
        if job.asset_layer is None:
            raise InvalidInvocationError(f"asset_selection was passed, but job '{job.name}' has no assets.")
        selection = AssetSelection.from_coercible(
            list(asset_selection) if not isinstance(asset_selection, AssetSelection) else asset_selection
        )
        collection = job.asset_layer.collection
        keys, checks = selection.resolve_assets_and_checks(collection.graph)
        keys = {k for k in keys if k in job.asset_layer.selected_asset_keys}
        job = build_asset_job(
            job.name,
            collection,
            keys,
            checks & set(job.asset_layer.selected_check_keys),
            resource_defs=job.resource_defs,
            tags=job.tags,
            config=job.config,
            hooks=job.hook_defs,
            op_retry_policy=job.op_retry_policy,
            partitions_def=job.partitions_def,
        )
        selected_assets = keys
    if op_selection is not None:
        by_ops = resolve_op_selection(job.spec, op_selection)
        selected_steps = by_ops if selected_steps is None else selected_steps & set(by_ops)
    resource_defs = default_resources(job.resource_defs, inst, in_memory=in_memory)
    if job.asset_layer is not None:
        job.asset_layer.validate_load_io_managers(job.spec, resource_defs)
    return execute_run(
        job,
        executor=in_process_executor if in_process else _executor_for(job),
        instance=inst,
        run_config=run_config,
        resource_defs=resource_defs,
        step_keys=selected_steps,
        parent_run_id=parent_run_id,
        root_run_id=root_run_id,
        raise_on_error=raise_on_error,
        partition_key=partition_key,
        run_id=run_id,
        tags=tags,
        input_values=input_values,
        on_events=on_events,
        asset_selection=selected_assets
        if selected_assets is not None
        else (job.asset_layer.selected_asset_keys if job.asset_layer is not None else None),
    )


def materialize(
    assets: Sequence[Any],
    run_config: Any = None,
    instance: Any = None,
    resources: Mapping[str, Any] | None = None,
    partition_key: str | None = None,
    raise_on_error: bool = True,
    tags: Mapping[str, str] | None = None,
    selection: Any = None,
    *,
    skip_unchanged: bool = False,
) -> ExecuteInProcessResult:
    """Materialize ``assets`` (or the ``selection`` of them) in this process.

    ``skip_unchanged`` (Headwater): skip each step whose assets declare a ``code_version`` equal to
    the one their last materialization recorded and whose input data versions are unchanged; the
    stored outputs are reused (the run tag ``headwater/skip_unchanged``, honoured by every executor).
    """
    if skip_unchanged:
        tags = {**(tags or {}), SKIP_UNCHANGED_TAG: "true"}
    return _materialize(
        assets,
        run_config,
        instance,
        resources,
        partition_key,
        raise_on_error,
        tags,
        selection,
        in_memory=False,
    )


def materialize_to_memory(
    assets: Sequence[Any],
    run_config: Any = None,
    instance: Any = None,
    resources: Mapping[str, Any] | None = None,
    partition_key: str | None = None,
    raise_on_error: bool = True,
    tags: Mapping[str, str] | None = None,
    selection: Any = None,
) -> ExecuteInProcessResult:
    """Like ``materialize``, but every IO manager the assets use keeps values in memory."""
    return _materialize(
        assets,
        run_config,
        instance,
        resources,
        partition_key,
        raise_on_error,
        tags,
        selection,
        in_memory=True,
    )


def observe(
    assets: Sequence[Any],
    run_config: Any = None,
    instance: Any = None,
    resources: Mapping[str, Any] | None = None,
    partition_key: str | None = None,
    raise_on_error: bool = True,
    tags: Mapping[str, str] | None = None,
) -> ExecuteInProcessResult:
    """Observe the observable source assets among ``assets`` in this process (and materialize the
    others, as Dagster's ``observe`` does): one ``ASSET_OBSERVATION`` per observed asset."""
    return _materialize(
        assets,
        run_config,
        instance,
        resources,
        partition_key,
        raise_on_error,
        tags,
        AssetSelection.all(include_sources=True),
        in_memory=False,
        job_name=OBSERVATION_JOB_NAME,
    )


#: The name of the job ``observe`` runs (Dagster's).
OBSERVATION_JOB_NAME = "in_process_observation_job"


def _materialize(
    assets: Sequence[Any],
    run_config: Any,
    instance: Any,
    resources: Mapping[str, Any] | None,
    partition_key: str | None,
    raise_on_error: bool,
    tags: Mapping[str, str] | None,
    selection: Any,
    *,
    in_memory: bool,
    job_name: str = EPHEMERAL_ASSET_JOB_NAME,
) -> ExecuteInProcessResult:
    collection = collect_assets(assets)
    if in_memory:
        _reject_io_manager_resources(collection, resources or {})
    unresolved = UnresolvedAssetJobDefinition(job_name, selection)
    job = unresolved.resolve(collection, dict(resources or {}))
    with paused_gc():
        layer = job.asset_layer
        assert layer is not None
        io_keys = layer.used_io_manager_keys(job.spec)
    if in_memory:
        from headwater.definitions.mem_io_manager import InMemoryIOManager

        shared = InMemoryIOManager()
        for key in io_keys:
            job.resource_defs[key] = shared
    return execute_job(
        job,
        run_config=run_config,
        instance=instance,
        partition_key=partition_key,
        raise_on_error=raise_on_error,
        tags=tags,
        in_memory=in_memory,
    )


def _reject_io_manager_resources(collection: AssetCollection, resources: Mapping[str, Any]) -> None:
    """materialize_to_memory replaces the assets' IO managers; a resource given for one is an error."""
    given = set(resources)
    for ad in collection.assets_defs:
        given |= set(ad.resource_defs)
    for sa in collection.source_assets:
        given |= set(sa.resource_defs)
    for key in sorted(collection.io_manager_keys() & given):
        raise InvariantViolationError(
            "Attempted to call `materialize_to_memory` with a resource "
            f"provided for io manager key '{key}'. Do not "
            "provide resources for io manager keys when calling "
            "`materialize_to_memory`, as it will override io management "
            "behavior for all keys."
        )
