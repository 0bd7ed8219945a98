"""Entry points for running in this process: execute_job (behind execute_in_process), materialize,
materialize_to_memory."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.definitions.asset_job import EPHEMERAL_ASSET_JOB_NAME
from headwater.definitions.asset_layer import build_asset_job, collect_assets
from headwater.definitions.selection import AssetSelection
from headwater.errors import InvalidInvocationError
from headwater.events.event import EventLogEntry
from headwater.execution.in_process_executor import in_process_executor
from headwater.execution.run_driver import execute_run
from headwater.planning.op_selection import resolve_op_selection

if TYPE_CHECKING:
    from headwater.definitions.job import JobDefinition
    from headwater.execution.result import ExecuteInProcessResult


def _instance(instance: Any) -> Any:
    if instance is not None:
        return instance
    from headwater.instance import Instance

    return Instance.ephemeral()


def default_resources(resource_defs: Mapping[str, Any], instance: Any, *, in_memory: bool = False) -> dict[str, Any]:
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
    on_events: Callable[[Sequence[EventLogEntry]], None] | None = None,
) -> ExecuteInProcessResult:
    """Run ``job`` in this process, in order, and return its result.

    ``on_events`` is called with each batch of events as it is stored (one batch per step).
    """
    inst = _instance(instance)
    if resources:
        job = job.with_resources(resources) if not job.resource_defs else job._copy()
        job.resource_defs = {**job.resource_defs, **resources}
    step_keys: set[str] | None = None
    selected_assets = None
    if asset_selection is not None:
        if job.asset_layer is None:
            raise InvalidInvocationError(f"asset_selection was passed, but job '{job.name}' has no assets.")
        selection = AssetSelection.from_coercible(list(asset_selection) if not isinstance(asset_selection, AssetSelection) else asset_selection)
        collection = job.asset_layer.collection
        keys, checks = selection.resolve_assets_and_checks(collection.graph)
        keys = {k for k in keys if k in job.asset_layer.selected_asset_keys}
        job = build_asset_job(job.name, collection, keys, checks & set(job.asset_layer.selected_check_keys),
                              resource_defs=job.resource_defs, tags=job.tags, config=job.config,
                              hooks=job.hook_defs, op_retry_policy=job.op_retry_policy,
                              partitions_def=job.partitions_def)
        selected_assets = keys
    if op_selection is not None:
        step_keys = resolve_op_selection(job.spec, op_selection)
    return execute_run(
        job,
        executor=_executor_for(job),
        instance=inst,
        run_config=run_config,
        resource_defs=default_resources(job.resource_defs, inst, in_memory=in_memory),
        step_keys=step_keys,
        raise_on_error=raise_on_error,
        partition_key=partition_key,
        run_id=run_id,
        tags=tags,
        input_values=input_values,
        on_events=on_events,
        asset_selection=selected_assets if selected_assets is not None else (
            job.asset_layer.selected_asset_keys if job.asset_layer is not None else None
        ),
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
) -> ExecuteInProcessResult:
    """Materialize ``assets`` (or the ``selection`` of them) in this process."""
    return _materialize(assets, run_config, instance, resources, partition_key, raise_on_error, tags, selection,
                        in_memory=False)


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
    """Like ``materialize``, but every IO manager keeps values in memory."""
    for key, value in (resources or {}).items():
        if _is_io_manager(value):
            raise InvalidInvocationError(
                f"materialize_to_memory was given an IO manager for resource key '{key}'; it replaces every IO "
                "manager with an in-memory one. Remove it, or use materialize()."
            )
    return _materialize(assets, run_config, instance, resources, partition_key, raise_on_error, tags, selection,
                        in_memory=True)


def _is_io_manager(value: Any) -> bool:
    names = {c.__name__ for c in type(value).__mro__}
    return bool(names & {"IOManager", "IOManagerDefinition", "ConfigurableIOManager", "ConfigurableIOManagerFactory"})


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
) -> ExecuteInProcessResult:
    collection = collect_assets(assets)
    graph = collection.graph
    if selection is None:
        keys = set(graph.materializable_asset_keys)
        checks = set(graph.checks)
    else:
        sel = AssetSelection.from_coercible(selection)
        keys, checks = sel.resolve_assets_and_checks(graph)
        keys = {k for k in keys if graph.nodes[k].is_materializable}
    all_resources = dict(resources or {})
    job = build_asset_job(EPHEMERAL_ASSET_JOB_NAME, collection, keys, checks, resource_defs=all_resources)
    if in_memory:
        from headwater.definitions.mem_io_manager import InMemoryIOManager

        shared = InMemoryIOManager()
        for key in job.required_resource_keys() | {"io_manager"}:
            if key == "io_manager" or key.endswith("io_manager"):
                if not job.resource_defs.get(key) or _is_io_manager(job.resource_defs[key]):
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
