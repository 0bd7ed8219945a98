"""``ReconstructableJob``: where a job can be found again in a fresh interpreter.

A job at module scope (``reconstructable(job)``), a ``Definitions`` at module scope holding a job of
that name, or a function that builds the job (``build_reconstructable_job``). Executors that run
steps in other interpreters (spawned workers, Celery, Dask) ship this small record instead of the job.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from headwater.errors import InvariantViolationError


@dataclass(frozen=True)
class ReconstructableJob:
    module: str
    attr: str
    job_name: str | None = None  # set when ``attr`` is a Definitions
    python_file: str | None = None  # the file of a ``__main__`` module, to import it again by path
    is_factory: bool = False  # ``attr`` is a function returning the job
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    op_selection: tuple[str, ...] | None = None

    def _module(self) -> ModuleType:
        module = sys.modules.get(self.module)
        if module is not None and hasattr(module, self.attr):
            return module
        if self.python_file is not None:
            name = f"__headwater_reconstructed_{Path(self.python_file).stem}"
            if name in sys.modules:
                return sys.modules[name]
            spec = importlib.util.spec_from_file_location(name, self.python_file)
            if spec is None or spec.loader is None:
                raise InvariantViolationError(f"Cannot import {self.python_file} to reconstruct its job.")
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            return module
        return importlib.import_module(self.module)

    def get_definition(self) -> Any:
        """The job (built anew in a fresh interpreter; the very object in the one that made this)."""
        target = getattr(self._module(), self.attr, None)
        if target is None:
            raise InvariantViolationError(
                f"Cannot reconstruct the job: module {self.module} has no attribute {self.attr!r}."
            )
        if self.is_factory:
            target = target(*self.args, **dict(self.kwargs))
        if self.job_name is not None:
            target = target.get_job_def(self.job_name)
        if self.op_selection is not None:
            target = target.get_subset(op_selection=list(self.op_selection))
        return target

    def get_subset(self, op_selection: Sequence[str] | None = None) -> ReconstructableJob:
        """This job with only ``op_selection`` (Dagster's ``ReconstructableJob.get_subset``)."""
        return ReconstructableJob(
            self.module,
            self.attr,
            self.job_name,
            self.python_file,
            self.is_factory,
            self.args,
            self.kwargs,
            tuple(op_selection) if op_selection is not None else None,
        )

    @property
    def name(self) -> str:
        return str(self.get_definition().name)

    @staticmethod
    def find(job: Any) -> ReconstructableJob | None:
        """Where ``job`` is held at module scope: the modules of its ops' functions and ``__main__``."""
        from headwater.definitions.definitions import Definitions

        modules = {"__main__"} | {
            getattr(node.op_def.compute_fn, "__module__", None) or "__main__"
            for node in job.compiled.nodes.values()
        }
        for name in sorted(modules):
            module = sys.modules.get(name)
            for attr, value in vars(module).items() if module is not None else ():
                if value is job:
                    return ReconstructableJob(name, attr, python_file=_main_file(name, module))
                if isinstance(value, Definitions) and any(
                    j.name == job.name for j in value.get_all_job_defs()
                ):
                    return ReconstructableJob(name, attr, job.name, python_file=_main_file(name, module))
        return None


def _main_file(name: str, module: Any) -> str | None:
    return (
        str(Path(module.__file__).resolve())
        if name == "__main__" and getattr(module, "__file__", None)
        else None
    )


def reconstructable(target: Any) -> ReconstructableJob:
    """A ``ReconstructableJob`` for a job defined at module scope, so that other processes (the
    multiprocess executor's workers, ``execute_job``) can load it again."""
    from headwater.definitions.job import JobDefinition

    if _is_module_function(target):
        # A function at module scope that builds the job (Dagster: ``reconstructable(define_my_job)``).
        main = sys.modules.get(target.__module__)
        return ReconstructableJob(
            target.__module__,
            target.__name__,
            python_file=_main_file(target.__module__, main),
            is_factory=True,
        )
    if not isinstance(target, JobDefinition):
        raise InvariantViolationError(
            f"Reconstructable target should be a function or definition produced by a decorated function, "
            f"got {type(target).__name__}. Pass a @job defined at module scope, or use "
            "build_reconstructable_job for a job built by a function."
        )
    found = ReconstructableJob.find(target)
    if found is None:
        raise InvariantViolationError(
            f"Job {target.name!r} is not defined at module scope, so it cannot be loaded again in another "
            "process: define it at the top level of a module (or use build_reconstructable_job)."
        )
    return found


def _is_module_function(target: Any) -> bool:
    return (
        inspect.isfunction(target)
        and "<" not in target.__qualname__
        and getattr(sys.modules.get(target.__module__), target.__name__, None) is target
    )


def build_reconstructable_job(
    reconstructor_module_name: str,
    reconstructor_function_name: str,
    reconstructable_args: tuple[Any, ...] | None = None,
    reconstructable_kwargs: Mapping[str, Any] | None = None,
    reconstructor_working_directory: str | None = None,
) -> ReconstructableJob:
    """A ``ReconstructableJob`` built by ``module.function(*args, **kwargs)``, which returns the job."""
    if reconstructor_working_directory and reconstructor_working_directory not in sys.path:
        sys.path.insert(0, reconstructor_working_directory)
    recon = ReconstructableJob(
        reconstructor_module_name,
        reconstructor_function_name,
        is_factory=True,
        args=tuple(reconstructable_args or ()),
        kwargs=dict(reconstructable_kwargs or {}),
    )
    recon.get_definition()  # fail now, where the mistake is, not in a worker
    return recon
