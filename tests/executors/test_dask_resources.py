"""Op tags ``dagster-dask/resource_requirements`` become Dask worker resources: on a LocalCluster of
separate worker processes plus one more worker process that alone has ``GPU=1``, every step tagged
``{"GPU": 1}`` runs on that worker; untagged steps run wherever the scheduler puts them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.contracts.executors.distributed import HEARTBEAT, ROOT, wait_for, write_home
from tests.contracts.storage.databases import postgres_url

from headwater.definitions.reconstructable import ReconstructableJob
from headwater.executors.job_execution import execute_job
from headwater.instance import Instance

distributed = pytest.importorskip("distributed")


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    with postgres_url() as url:
        home = tmp_path / "home"
        write_home(home, url)
        saved = os.environ.get("HEADWATER_HOME")
        os.environ["HEADWATER_HOME"] = str(home)
        try:
            yield home
        finally:
            if saved is None:
                os.environ.pop("HEADWATER_HOME", None)
            else:
                os.environ["HEADWATER_HOME"] = saved


def _gpu_worker(address: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "1",
         "--nthreads", "1", "--resources", "GPU=1", "--no-dashboard", "--name", "gpu"],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip


def test_steps_tagged_with_a_resource_run_on_the_worker_that_has_it(home: Path) -> None:
    env = {"HEADWATER_HOME": str(home), "HEADWATER_STEP_HEARTBEAT_SECONDS": HEARTBEAT}
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", env=env
    )
    gpu: subprocess.Popen[bytes] | None = None
    client: Any = None
    instance = Instance.get()
    try:
        address = cluster.scheduler_address
        gpu = _gpu_worker(address, {**os.environ, **env, "PYTHONPATH": str(ROOT)})
        client = distributed.Client(address)
        wait_for(lambda: len(client.scheduler_info()["workers"]) == 3, 60, "the GPU worker to join")
        workers = client.scheduler_info()["workers"]
        with_gpu = [a for a, w in workers.items() if w.get("resources", {}).get("GPU")]
        assert len(with_gpu) == 1
        pids: dict[str, int] = client.run(os.getpid)
        gpu_pid = pids[with_gpu[0]]
        assert gpu_pid != os.getpid() and len(set(pids.values())) == 3  # three worker processes

        target = ReconstructableJob("tests.executors._dask_jobs", "defs", "gpu_job")
        config = {"execution": {"config": {"cluster": {"existing": {"address": address}}}}}
        result = execute_job(target, instance=instance, run_config=config)
        assert result.success
        for step in ("gpu_0", "gpu_1", "gpu_2", "on_gpu_json"):
            assert result.output_for_node(step) == gpu_pid, step
        others = {result.output_for_node(f"cpu_{i}") for i in range(3)}
        assert others <= set(pids.values())  # untagged steps ran on the cluster's workers too
    finally:
        if client is not None:
            client.close()
        cluster.close()
        if gpu is not None:
            try:
                os.killpg(gpu.pid, signal.SIGTERM)
                gpu.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(gpu.pid, signal.SIGKILL)
                gpu.wait(10)
            except ProcessLookupError:
                pass
        instance.dispose()
