"""Launching a backfill from code: ``headwater backfill launch`` and ``headwater.launch_backfill``.

This side loads the code (it needs the job of each group of assets, checked against the code's
config and resources), computes the plan from specs (``selection.backfill_targets``,
``selection.backfill_plan``) and stores it (``runs.backfills.create_backfill``). Every mistake -- an
unknown key, a malformed range, a start after the end, nothing to do -- is reported here, before a
backfill or a run is stored. The backfill tick then needs no user code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater.core.asset_key import AssetKey
from headwater.definitions.asset_job import IMPLICIT_ASSET_JOB_NAME, selection_job
from headwater.definitions.definitions import Definitions
from headwater.errors import InvalidInvocationError
from headwater.execution.api import default_resources
from headwater.execution.run_config import process_run_config
from headwater.instance import Instance
from headwater.locations.server.loader import load_definitions
from headwater.planning.plan import build_plan
from headwater.runs.backfills import create_backfill
from headwater.runs.code_pointer import CodePointer
from headwater.selection.asset_selection import AssetSelection
from headwater.selection.backfill_plan import build_backfill_plan
from headwater.selection.backfill_targets import PartitionChoice, target_partitions
from headwater.specs.job import JobSpec
from headwater.storage.backfills import PartitionBackfill


def partition_choice(
    partitions: str | None = None,
    *,
    partition_range: tuple[str, str] | None = None,
    partition_keys: Sequence[str] | None = None,
    all_partitions: bool = False,
    missing: bool = False,
    failed: bool = False,
) -> PartitionChoice:
    """Exactly one way of choosing partitions, as a ``PartitionChoice``."""
    given = [
        name
        for name, value in (
            ("partitions", partitions is not None),
            ("partition_range", partition_range is not None),
            ("partition_keys", partition_keys is not None),
            ("all_partitions", all_partitions),
            ("missing", missing),
            ("failed", failed),
        )
        if value
    ]
    if len(given) != 1:
        raise InvalidInvocationError(
            "Say which partitions to backfill, one way: a range START...END or keys (--partitions / "
            "partitions=, partition_range=, partition_keys=), or every one (--all), the missing ones "
            f"(--missing) or the failed ones (--failed); got {', '.join(given) or 'none'}."
        )
    if partitions is not None:
        return PartitionChoice.parse(partitions)
    if partition_range is not None:
        start, end = partition_range
        return PartitionChoice("range", start=start, end=end)
    if partition_keys is not None:
        if isinstance(partition_keys, str):
            raise InvalidInvocationError("partition_keys must be a list of keys, not one string.")
        return PartitionChoice("keys", keys=tuple(partition_keys))
    return PartitionChoice("all" if all_partitions else "missing" if missing else "failed")


def launch_backfill(
    select: str | AssetSelection | Sequence[Any] = "*",
    partitions: str | None = None,
    *,
    partition_range: tuple[str, str] | None = None,
    partition_keys: Sequence[str] | None = None,
    all_partitions: bool = False,
    missing: bool = False,
    failed: bool = False,
    module_name: str | None = None,
    python_file: str | None = None,
    attribute: str | None = None,
    working_directory: str | None = None,
    definitions: Definitions | None = None,
    instance: Instance | None = None,
    tags: Mapping[str, str] | None = None,
    title: str | None = None,
    description: str | None = None,
) -> PartitionBackfill:
    """Store a backfill of the selected assets over a choice of partitions; the backfill tick
    (``headwater backfill tick``, the daemon) turns it into runs. The code is named by ``module_name``
    or ``python_file`` (run workers load it from there); ``definitions`` may be given when already
    loaded. Returns the stored ``PartitionBackfill`` (its ``backfill_id``)."""
    choice = partition_choice(
        partitions,
        partition_range=partition_range,
        partition_keys=partition_keys,
        all_partitions=all_partitions,
        missing=missing,
        failed=failed,
    )
    if module_name is None and python_file is None:
        raise InvalidInvocationError(
            "Name the code the backfill's runs load: module_name= (or python_file=), as with -m/-f."
        )
    pointer = CodePointer.from_options(module_name, python_file, attribute, working_directory)
    defs = definitions or load_definitions(
        module_name=module_name,
        python_file=python_file,
        attribute=attribute,
        working_directory=working_directory,
    )
    instance = instance or Instance.get()
    graph = defs.resolve_asset_graph()
    selection = _selection(select)
    keys = sorted(
        (k for k in selection.resolve(graph) if graph.get(k).is_materializable), key=lambda k: k.path
    )
    if not keys:
        raise InvalidInvocationError(f"The selection {select!r} matches no materializable assets.")
    events = instance.event_log_storage
    targets = target_partitions(graph, keys, choice, statuses=events.get_status_by_partition, dynamic=events)
    targets = {k: v for k, v in targets.items() if v is None or v}
    if not any(v for v in targets.values()) and choice.kind in ("missing", "failed"):
        raise InvalidInvocationError(
            f"Nothing to backfill: no partition of the selected assets is {choice.kind}."
        )

    def job_spec_for(group: tuple[AssetKey, ...]) -> JobSpec:
        job = selection_job(
            IMPLICIT_ASSET_JOB_NAME, defs.collection, AssetSelection.assets(*group), defs.resources
        )
        resources = default_resources(job.resource_defs, instance)
        job.asset_layer.validate_load_io_managers(job.spec, resources)
        process_run_config(
            job, None, set(resources), plan=build_plan(job.spec), input_values=job.input_values
        )
        spec: JobSpec = job.spec
        return spec

    plan = build_backfill_plan(graph, targets, job_spec_for, _pointer_dict(pointer), dynamic=events)
    return create_backfill(
        instance.storage, plan, partitions=choice.describe(), tags=tags, title=title, description=description
    )


def _selection(select: str | AssetSelection | Sequence[Any]) -> AssetSelection:
    if isinstance(select, AssetSelection):
        return select
    if isinstance(select, str):
        from headwater.cli.code_options import selection_from_option

        result: AssetSelection = selection_from_option(select)
        return result
    return AssetSelection.assets(*select)


def _pointer_dict(pointer: CodePointer) -> dict[str, str]:
    fields = ("module_name", "python_file", "attribute", "working_directory", "executable")
    return {f: v for f in fields if (v := getattr(pointer, f)) is not None}


__all__ = ["launch_backfill", "partition_choice"]
