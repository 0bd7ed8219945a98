"""The Dask executor: each step a task on a Dask ``distributed`` cluster.

``dask_executor`` (Dagster's ``dagster_dask.dask_executor``) takes Dagster's config::

    execution:
      config:
        cluster:
          existing: {address: "tcp://scheduler:8786"}     # a running scheduler
          # or local: {n_workers: 4, threads_per_worker: 1}  (a LocalCluster of worker processes,
          #                                                  started for the run and closed after it)

Op tags ``dagster-dask/resource_requirements`` (``{"GPU": 1}``, Dagster's) become the task's Dask
worker resources. Workers run ``executors.remote_worker``: they open the instance of their
``$HEADWATER_HOME`` (a LocalCluster started here gets this instance's home) and import the job by its
module, so the code must be importable on the workers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

from headwater.definitions.executor_definition import ExecutorDefinition
from headwater.errors import ConfigErrorEntry, InvalidConfigError, UnmetExecutorRequirementsError
from headwater.execution.run_context import RunContext
from headwater.executors.limits import ConcurrencyLimiter
from headwater.executors.remote_driver import RemoteDriver, check_shared_store, started_event
from headwater.executors.run_checks import check_io_managers, fail_run
from headwater.executors.step_task import StepDone, StepTask, decode_done, encode_task
from headwater.planning.active_execution import StepInstance

RESOURCES_TAG = "dagster-dask/resource_requirements"
_PREAMBLE = "Error in dask executor config"


def _config_error(message: str, *path: str) -> InvalidConfigError:
    return InvalidConfigError(_PREAMBLE, [ConfigErrorEntry(message, ("execution", "config", *path))])


def run_dask_task(task_json: str) -> str:
    """What a Dask worker runs: one step task, through the remote step worker."""
    from headwater.executors.remote_worker import run_task_json

    return run_task_json(task_json)


class DaskExecutor(ExecutorDefinition):
    """Runs each step as a Dask task (see the module docstring)."""

    def __init__(self, cluster: Mapping[str, Any] | None = None, *, name: str = "dask") -> None:
        super().__init__(name, description="Execute each step as a Dask task.")
        self.cluster: dict[str, Any] = dict(cluster or {"local": {}})

    def __repr__(self) -> str:
        return f"DaskExecutor(cluster={self.cluster!r})"

    def configured(
        self,
        config_or_config_fn: Any,
        name: str | None = None,
        config_schema: Any = None,
        description: str | None = None,
    ) -> DaskExecutor:
        out = DaskExecutor(self.cluster, name=name or self.name)
        out._apply(config_or_config_fn)
        return out

    def _apply(self, config: Any) -> None:
        if not isinstance(config, Mapping):
            raise _config_error(f"Executor config must be a dict; got {config!r}.")
        unknown = sorted(set(config) - {"cluster", "retries"})
        if unknown:
            raise _config_error(
                f"Unexpected entries {unknown} in the dask executor config; expected cluster."
            )
        cluster = config.get("cluster")
        if cluster is None:
            return
        if (
            not isinstance(cluster, Mapping)
            or len(cluster) != 1
            or next(iter(cluster)) not in ("existing", "local")
        ):
            raise _config_error(
                f"cluster must be {{existing: {{address: ...}}}} or {{local: {{...}}}}; got {cluster!r}.",
                "cluster",
            )
        if "existing" in cluster and not (cluster["existing"] or {}).get("address"):
            raise _config_error("cluster.existing needs the scheduler's address.", "cluster", "existing")
        self.cluster = dict(cluster)

    def _for_run(self, run: RunContext) -> DaskExecutor:
        execution = run.run_config.get("execution") or {}
        config = execution.get("config") if isinstance(execution, Mapping) else None
        return self.configured(config) if config else self

    def execute(self, run: RunContext) -> None:
        settings = self._for_run(run)
        try:
            check_shared_store(run, "dask")
            check_io_managers(run, "dask")
            distributed = _distributed()
        except UnmetExecutorRequirementsError as exc:
            fail_run(run, exc)
            raise
        cluster = None
        if "existing" in settings.cluster:
            address = settings.cluster["existing"]["address"]
        else:
            options = {"processes": True, "threads_per_worker": 1, **(settings.cluster["local"] or {})}
            env = {"HEADWATER_HOME": run.instance.root_directory}
            cluster = distributed.LocalCluster(env=env, dashboard_address=None, **options)
            address = cluster.scheduler_address
        client = distributed.Client(address)
        try:
            started_event(run, "dask", f"scheduler {address}", {"scheduler": address})
            RemoteDriver(run, DaskTransport(client, distributed), ConcurrencyLimiter({}, ()), "dask").drive()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - the extra is installed for tests
        raise UnmetExecutorRequirementsError(
            "The Dask executor needs dask.distributed: pip install 'headwater[dask]'."
        ) from exc
    return distributed


def _resources(inst: StepInstance) -> dict[str, float] | None:
    raw = inst.step.node.tags.get(RESOURCES_TAG)
    if not raw:
        return None
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError as exc:
        raise UnmetExecutorRequirementsError(
            f'The {RESOURCES_TAG} tag of step "{inst.key}" is not JSON: {raw!r} (e.g. {{"GPU": 1}}).'
        ) from exc
    return {str(k): float(v) for k, v in dict(value).items()}


class DaskTransport:
    """Step tasks as Dask futures: one per attempt (``pure=False``), waited for first-completed,
    cancelled on revoke."""

    def __init__(self, client: Any, distributed: Any) -> None:
        self.client = client
        self.distributed = distributed

    def submit(self, task: StepTask, inst: StepInstance) -> Any:
        key = f"headwater-{task.run_id[:8]}-{task.key}-{os.urandom(4).hex()}"
        return self.client.submit(
            run_dask_task, encode_task(task), key=key, pure=False, resources=_resources(inst), retries=0
        )

    def wait(self, handles: dict[str, Any], timeout: float) -> list[tuple[str, StepDone | BaseException]]:
        by_future = {future: key for key, future in handles.items()}
        try:
            done, _ = self.distributed.wait(list(by_future), timeout=timeout, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return []
        out: list[tuple[str, StepDone | BaseException]] = []
        for future in done:
            key = by_future[future]
            if future.status == "finished":
                out.append((key, decode_done(future.result())))
            else:
                error = future.exception() if future.status == "error" else None
                out.append((key, error or RuntimeError(f"the Dask task was {future.status}")))
        return out

    def cancel(self, handles: Iterable[Any]) -> None:
        try:
            self.client.cancel(list(handles), force=True)
        except Exception:
            pass


#: Dagster's ``dagster_dask.dask_executor``.
dask_executor = DaskExecutor()
