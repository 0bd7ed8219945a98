"""A run request checked by the code: what a server process (the webserver, the daemon) needs to create
a launchable run without importing user code.

``POST /run-request`` on the code server takes ``{"job": name | null, "asset_selection": [[path...]...]
| null, "op_selection": [names] | null, "run_config": {...}, "partition_key": str | null, "tags":
{...}}``. The code checks the config, resources and partition (the mistakes are reported here, where
the user can fix them, not in the run worker) and answers with the job spec to store with the run, its
tags (partition tags added), the step keys of an op selection, the asset selection and the code
pointer a run worker loads the code from (``{"v": 1, ...}``). A config mistake is an
``InvalidConfigError`` whose entries travel as ``{"message", "path"}`` (``http_server``).

An asset selection without a job (or with the implicit job's name) is a run of the ad-hoc asset job
``__ASSET_JOB`` over those keys, which is how the run worker rebuilds it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.definitions.asset_job import IMPLICIT_ASSET_JOB_NAME, run_selection, selection_job
from headwater.definitions.definitions import Definitions
from headwater.errors import InvalidInvocationError, InvalidSubsetError
from headwater.locations.server.code_location import CodeTarget

RUN_REQUEST_VERSION = 1

_instance: Any = None


def _get_instance() -> Any:
    """The instance of HEADWATER_HOME (opened once per code server, on the first run request): the
    default IO manager's directory and dynamic partitions come from it."""
    global _instance
    if _instance is None:
        from headwater.instance import Instance

        _instance = Instance.get()
    return _instance


def code_pointer(target: CodeTarget) -> dict[str, str]:
    """Where a run worker finds this location's code: absolute paths and this server's interpreter."""
    cwd = os.path.abspath(target.working_directory or os.getcwd())
    pointer = {"working_directory": cwd, "executable": sys.executable}
    if target.module_name is not None:
        pointer["module_name"] = target.module_name
    if target.python_file is not None:
        pointer["python_file"] = os.path.abspath(os.path.join(cwd, target.python_file))
    if target.attribute is not None:
        pointer["attribute"] = target.attribute
    return pointer


def _strings(value: Any, what: str) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInvocationError(f"{what} must be a list of strings.")
    return list(value)


def _asset_keys(value: Any) -> list[AssetKey] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(p, list) and p and all(isinstance(s, str) for s in p) for p in value
    ):
        raise InvalidInvocationError('"asset_selection" must be a list of asset key paths ([["a", "b"]]).')
    return [AssetKey(p) for p in value]


def _check_keys(value: Any) -> list[AssetCheckKey] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(item, list)
        and len(item) == 2
        and isinstance(item[0], list)
        and item[0]
        and all(isinstance(s, str) for s in item[0])
        and isinstance(item[1], str)
        for item in value
    ):
        raise InvalidInvocationError(
            '"asset_check_selection" must be a list of [asset key path, check name] pairs ([[["a"], "c"]]).'
        )
    return [AssetCheckKey(AssetKey(path), name) for path, name in value]


def _op_step_keys(job: Any, op_selection: Sequence[str]) -> list[str]:
    """The step keys of the selected ops: a node handle, or an op name (every node running it)."""
    selected: list[str] = []
    unknown: list[str] = []
    for name in op_selection:
        matches = [n.handle for n in job.spec.nodes if name in (n.handle, n.op_name)]
        if not matches:
            unknown.append(name)
        selected.extend(m for m in matches if m not in selected)
    if unknown:
        raise InvalidSubsetError(
            f"No op named {', '.join(repr(u) for u in unknown)} in job '{job.name}'. "
            f"Its ops: {', '.join(n.handle for n in job.spec.nodes)}."
        )
    return selected


def run_request(defs: Definitions, target: CodeTarget, body: Mapping[str, Any]) -> dict[str, Any]:
    """Check a run request against the code; the launchable run's parts (see the module docstring)."""
    from headwater.execution.api import default_resources
    from headwater.execution.run_config import process_run_config
    from headwater.execution.run_partitions import (
        InputPartitions,
        partition_tags,
        partitioned_config_tags,
        partitioned_run_config,
        resolve_run_partitions,
    )
    from headwater.planning.plan import build_plan

    job_name = body.get("job")
    if job_name is not None and not isinstance(job_name, str):
        raise InvalidInvocationError('"job" must be a job name or null.')
    keys = _asset_keys(body.get("asset_selection"))
    check_keys = _check_keys(body.get("asset_check_selection"))
    if check_keys is not None and keys is None:
        keys = []  # checks only
    op_selection = _strings(body.get("op_selection"), '"op_selection"')
    run_config = body.get("run_config") or None
    if run_config is not None and not isinstance(run_config, dict):
        raise InvalidInvocationError('"run_config" must be a JSON object.')
    tags = dict(body.get("tags") or {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items()):
        raise InvalidInvocationError('"tags" must map strings to strings.')
    partition_key = body.get("partition_key")
    if partition_key is not None and not isinstance(partition_key, str):
        raise InvalidInvocationError('"partition_key" must be a string or null.')

    instance = _get_instance()
    if keys is not None and (job_name is None or job_name == IMPLICIT_ASSET_JOB_NAME):
        graph = defs.resolve_asset_graph()
        missing = [k.to_user_string() for k in keys if k not in graph.nodes]
        missing += [k.to_user_string() for k in check_keys or () if k not in graph.checks]
        if missing:
            raise InvalidSubsetError(
                f"No asset or check {', '.join(repr(m) for m in missing)} in this code location."
            )
        job = selection_job(
            IMPLICIT_ASSET_JOB_NAME, defs.collection, run_selection(keys, check_keys), defs.resources
        )
        if not job.spec.nodes:
            raise InvalidSubsetError("The selection matches no materializable or observable assets.")
    elif job_name is None:
        raise InvalidInvocationError("A run request names a job, or selects assets to materialize.")
    else:
        job = defs.resolve_job_def(job_name)
        if keys is not None:
            raise InvalidSubsetError(
                f"Selecting assets inside job '{job_name}' is not supported: materialize the assets "
                "themselves (no job name), or launch the whole job."
            )
    step_keys = _op_step_keys(job, op_selection) if op_selection else None
    partitions = resolve_run_partitions(job, partition_key, tags, instance)
    run_config = partitioned_run_config(job, partitions, run_config)
    resources = default_resources(job.resource_defs, instance)
    if job.asset_layer is not None:
        job.asset_layer.validate_load_io_managers(job.spec, resources)
    plan = build_plan(job.spec, step_keys)
    process_run_config(job, run_config, set(resources), plan=plan, input_values=job.input_values)
    InputPartitions(job, partitions, instance).check()
    all_tags = {**tags, **partitioned_config_tags(job, partitions), **partition_tags(job, partitions)}
    selected = job.asset_layer.selected_asset_keys if job.asset_layer is not None else None
    checks = job.asset_layer.selected_check_keys if job.asset_layer is not None and check_keys else None
    return {
        "v": RUN_REQUEST_VERSION,
        "job": job.spec,
        "run_config": run_config or {},
        "tags": all_tags,
        "step_keys": step_keys,
        "asset_selection": sorted((k.path for k in selected), key=tuple) if selected is not None else None,
        "code_pointer": code_pointer(target),
        "asset_check_selection": sorted(checks, key=AssetCheckKey.to_user_string) if checks else None,
    }
