"""The step task: one step to run, as a small typed record that crosses processes and machines.

Every out-of-process executor sends the same record -- the multiprocess executor's warm pool over a
pipe, Celery through its broker, Dask through its scheduler -- and every step worker runs it through
one entry point (``executors.step_worker.StepWorker``). It says which run and step (``run_id``,
``key``), where the plan is (``plan_snapshot_id``, stored with the run), where the code is
(``code``), which attempt this is (``retry_number``), and what the sender knows of the outputs feeding
the step (``upstream``, ``produced``, ``dynamic``): a worker never saw the steps before it.

The answer is a ``StepDone``: outcome, outputs, dynamic mapping keys, and -- for the warm pool only --
small output values and the step's error, pickled (``values``, ``error``); a remote worker leaves those
empty (values are read through the IO managers; the error is in the stored events).

Both are msgspec Structs: ``encode_task``/``decode_task`` (and ``encode_done``/``decode_done``) give
the JSON that Celery and Dask carry.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import msgspec

from headwater.definitions.reconstructable import ReconstructableJob
from headwater.errors import UnmetExecutorRequirementsError
from headwater.planning.active_execution import ActiveExecution, StepInstance
from headwater.specs.job import OutputRef

TASK_VERSION = 1


class JobPointer(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Where a worker finds the run's job: ``module`` (or ``python_file``) and its attribute ``attr`` --
    the job itself, a ``Definitions`` holding ``job_name``, or (``is_factory``) a function building it."""

    module: str
    attr: str
    job_name: str | None = None
    python_file: str | None = None
    working_directory: str | None = None
    is_factory: bool = False
    op_selection: tuple[str, ...] | None = None

    @staticmethod
    def of(job: Any, executor_name: str) -> JobPointer:
        """The pointer to ``job`` (a ``ReconstructableJob``, or a job held at module scope)."""
        ref = job if isinstance(job, ReconstructableJob) else ReconstructableJob.find(job)
        if ref is None or ref.args or ref.kwargs:
            raise UnmetExecutorRequirementsError(
                f"The {executor_name} executor cannot send the steps of job '{job.name}' to its workers: "
                "the job is not a module-level attribute (nor in a module-level Definitions) that a "
                "worker process can import. Define it at the top level of a module that the workers "
                "can import (the one given to `headwater celery worker -m/-f`, or on the Dask workers' "
                "path)."
            )
        module = sys.modules.get(ref.module)
        python_file = ref.python_file or getattr(module, "__file__", None)
        return JobPointer(
            module=ref.module,
            attr=ref.attr,
            job_name=ref.job_name,
            python_file=str(Path(python_file).resolve()) if python_file else None,
            working_directory=os.getcwd(),
            is_factory=ref.is_factory,
            op_selection=ref.op_selection,
        )

    def load(self) -> Any:
        """The job, imported in this process (its module by name, else by file)."""
        if self.working_directory and self.working_directory not in sys.path:
            sys.path.insert(0, self.working_directory)
        module = sys.modules.get(self.module)
        if module is None or not hasattr(module, self.attr):
            module = self._import()
        ref = ReconstructableJob(
            module.__name__,
            self.attr,
            self.job_name,
            None,
            self.is_factory,
            op_selection=self.op_selection,
        )
        return ref.get_definition()

    def _import(self) -> Any:
        if self.module != "__main__":
            try:
                return importlib.import_module(self.module)
            except ImportError:
                if self.python_file is None:
                    raise
        if self.python_file is None:
            raise UnmetExecutorRequirementsError(
                f"A step worker cannot import the module {self.module!r} of the run's job."
            )
        name = f"__headwater_reconstructed_{Path(self.python_file).stem}"
        if name in sys.modules:
            return sys.modules[name]
        spec = importlib.util.spec_from_file_location(name, self.python_file)
        if spec is None or spec.loader is None:
            raise UnmetExecutorRequirementsError(f"A step worker cannot import {self.python_file}.")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module


class Upstream(msgspec.Struct, frozen=True, array_like=True):
    """The instance keys of the steps whose output ``node.output`` feeds the step."""

    node: str
    output: str
    keys: list[str]


class DynamicKeys(msgspec.Struct, frozen=True, array_like=True):
    """The mapping keys a dynamic output ``step.output`` produced."""

    step: str
    output: str
    keys: list[str]


class KnownVersion(msgspec.Struct, frozen=True, array_like=True):
    """The data version and storage id of an upstream asset (``key``: its stored JSON form) the run
    materialized and stored: a warm-pool worker records it as the step's input version."""

    key: str
    partition: str | None
    version: str
    storage_id: int


class StepTask(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One step instance to run (see the module docstring)."""

    run_id: str
    key: str  # the instance key: "handle" or "handle[mapping_key]"
    step_key: str
    mapping_key: str | None = None
    plan_snapshot_id: str | None = None  # None: the worker already holds the plan (a forked pool)
    code: JobPointer | None = None  # None: the worker already holds the job (a forked pool)
    retry_number: int = 0
    upstream: list[Upstream] = []
    produced: dict[str, list[str]] = {}  # for the upstream instance keys: the outputs they produced
    dynamic: list[DynamicKeys] = []
    versions: list[KnownVersion] = []  # of the step's upstream assets stored by the run (warm pool)
    v: int = TASK_VERSION


class OutputValue(msgspec.Struct, frozen=True, array_like=True):
    """A step's output value, pickled (``None``: not shipped; load it through the IO manager)."""

    step: str
    output: str
    data: bytes | None


class StepDone(msgspec.Struct, forbid_unknown_fields=True):
    """What became of a step task."""

    key: str
    success: bool
    outputs: list[str] = []
    dynamic: dict[str, list[str]] = {}
    values: list[OutputValue] = []  # warm pool only
    error: bytes | None = None  # the step's first user error, pickled (warm pool only)
    error_text: str | None = None  # its text, when it cannot be pickled or unpickled
    retry_number: int = 0  # the attempt that finished (a remote worker may retry a lost one)


def build_task(
    active: ActiveExecution,
    inst: StepInstance,
    run_id: str = "",
    *,
    plan_snapshot_id: str | None = None,
    code: JobPointer | None = None,
    retry_number: int = 0,
    versions: list[KnownVersion] | None = None,
) -> StepTask:
    """The sender's view of ``inst``'s inputs, for a worker whose ActiveExecution never saw them."""
    upstream: list[Upstream] = []
    produced: dict[str, list[str]] = {}
    dynamic: list[DynamicKeys] = []
    for inp in inst.step.inputs:
        for ref in inp.sources:
            keys = active.source_keys(inst, ref)
            upstream.append(Upstream(ref.node, ref.output, keys))
            for k in keys:
                produced[k] = sorted(active.produced.get(k, ()))
            mapping_keys = active.dynamic_keys.get((ref.node, ref.output))
            if mapping_keys is not None:
                dynamic.append(DynamicKeys(ref.node, ref.output, mapping_keys))
    return StepTask(
        run_id,
        inst.key,
        inst.step.key,
        inst.mapping_key,
        plan_snapshot_id,
        code,
        retry_number,
        upstream,
        produced,
        dynamic,
        versions or [],
    )


def known_versions(run: Any, step_outputs: Any) -> list[KnownVersion]:
    """What the sender knows (``RunContext.known_versions``) of the upstream assets of a step whose
    outputs are ``step_outputs`` (NodeOutputSpecs)."""
    layer = run.layer
    known = run.known_versions
    if layer is None or not known:
        return []
    nodes = layer.asset_graph.nodes
    deps = {
        d
        for o in step_outputs
        if o.asset_key is not None and o.asset_key in nodes
        for d in nodes[o.asset_key].deps
    }
    return [
        KnownVersion(key.to_string(), partition, version, storage_id)
        for (key, partition), (version, storage_id) in known.items()
        if key in deps
    ]


def upstream_sources(task: StepTask) -> dict[OutputRef, list[str]]:
    return {OutputRef(u.node, u.output): u.keys for u in task.upstream}


_task_encoder = msgspec.json.Encoder()
_task_decoder = msgspec.json.Decoder(StepTask)
_done_decoder = msgspec.json.Decoder(StepDone)


def encode_task(task: StepTask) -> str:
    return _task_encoder.encode(task).decode()


def decode_task(text: str | bytes) -> StepTask:
    task = _task_decoder.decode(text)
    if task.v != TASK_VERSION:
        raise UnmetExecutorRequirementsError(
            f"A step task of format {task.v} reached a worker that reads format {TASK_VERSION}: run the "
            "same Headwater version on the run worker and the step workers."
        )
    return task


def encode_done(done: StepDone) -> str:
    return _task_encoder.encode(done).decode()


def decode_done(text: str | bytes) -> StepDone:
    return _done_decoder.decode(text)
