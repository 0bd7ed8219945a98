"""CodeLocation: the loaded user code of one code server, its spec, and the requests that need the code.

A load (or reload) either succeeds — Definitions, its LocationSpec and the spec's wire form, built
once — or fails, and then the location holds the error with the user's traceback and keeps serving
it; a later reload may fix it. Requests read one immutable snapshot, so a reload in one thread never
shows another thread half a location.
"""

from __future__ import annotations

import base64
import importlib
import os
import pickle
import sys
import sysconfig
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from headwater.core.asset_key import AssetKey
from headwater.definitions.definitions import Definitions
from headwater.errors import HeadwaterError, UserCodeExecutionError
from headwater.execution.boundary import user_code_error_boundary
from headwater.locations.server.loader import CodeLoadError, UserCodeLoadError, load_definitions
from headwater.locations.server.spec_builder import build_location_spec
from headwater.planning.plan import PLAN_FORMAT_VERSION, build_plan
from headwater.specs import location as location_spec
from headwater.specs.instigation import TickEvaluation, TickEvaluationRequest
from headwater.specs.location import LocationSpec


@dataclass(frozen=True, slots=True)
class LoadError:
    message: str
    user_traceback: str | None

    def to_json(self) -> dict[str, Any]:
        return {"kind": "load_error", "message": self.message, "traceback": self.user_traceback}


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One load of the code: either (defs, spec, spec_json) or an error."""

    defs: Definitions | None
    spec: LocationSpec | None
    spec_json: bytes
    error: LoadError | None
    loaded_at: float
    generation: int

    @property
    def content_hash(self) -> str | None:
        return self.spec.content_hash if self.spec is not None else None


@dataclass(frozen=True, slots=True)
class CodeTarget:
    """Where the code is: a module or a file, the Definitions attribute, the directory to import from."""

    module_name: str | None = None
    python_file: str | None = None
    attribute: str | None = None
    working_directory: str | None = None

    @property
    def description(self) -> str:
        return self.module_name or self.python_file or "?"


class CodeLocation:
    def __init__(
        self, target: CodeTarget, name: str | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.target = target
        self._clock = clock
        self.name = name or target.module_name or Path(target.python_file or "location").stem
        self._baseline_modules = set(sys.modules)
        self._reload_lock = threading.Lock()
        self._generation = 0
        #: The instance schedules and sensors see as ``context.instance`` (None: HEADWATER_HOME's,
        #: opened when a sensor that reads the event log first needs it).
        self.instance: Any = None
        self.snapshot = self._load()

    # -- loading ----------------------------------------------------------------------------------------
    def reload(self) -> Snapshot:
        """Re-import the user code (dropping the modules it imported last time) and rebuild the spec."""
        with self._reload_lock:
            self._purge_user_modules()
            importlib.invalidate_caches()
            self.snapshot = self._load()
            return self.snapshot

    def _load(self) -> Snapshot:
        self._generation += 1
        t = self.target
        try:
            defs = load_definitions(
                module_name=t.module_name,
                python_file=t.python_file,
                attribute=t.attribute,
                working_directory=t.working_directory,
            )
            # Resolving jobs and the asset graph runs user code too (e.g. config schemas).
            where = t.description
            with user_code_error_boundary(
                UserCodeLoadError,
                lambda exc: f"Error while loading definitions from {where}: {type(exc).__name__}: {exc}",
            ):
                spec = build_location_spec(defs)
            body = location_spec.to_json(spec).encode()
        except UserCodeExecutionError as exc:
            return self._failed(LoadError(str(exc), exc.user_traceback))
        except CodeLoadError as exc:
            return self._failed(LoadError(str(exc), None))
        except HeadwaterError as exc:  # a definition error surfaced while resolving jobs and the graph
            return self._failed(
                LoadError(
                    f"Error while loading definitions from {t.description}: {type(exc).__name__}: {exc}",
                    "".join(traceback.format_exception(exc)),
                )
            )
        return Snapshot(defs, spec, body, None, self._clock(), self._generation)

    def _failed(self, error: LoadError) -> Snapshot:
        return Snapshot(None, None, b"", error, self._clock(), self._generation)

    def _purge_user_modules(self) -> None:
        roots = code_roots(self.target)
        for name in list(sys.modules):
            if name in self._baseline_modules or name == "headwater" or name.startswith("headwater."):
                continue
            module = sys.modules.get(name)
            path = getattr(module, "__file__", None)
            if path is None or _under(path, roots):
                sys.modules.pop(name, None)

    # -- requests that need the code ----------------------------------------------------------------------
    def plan(self, job_name: str, step_keys: Iterable[str] | None) -> dict[str, Any]:
        spec = self._loaded().spec
        assert spec is not None
        plan = build_plan(spec.job(job_name), step_keys)
        return {"v": PLAN_FORMAT_VERSION, "plan": plan}

    def asset_value(self, asset_key: AssetKey, partition_key: str | None) -> dict[str, Any]:
        """The stored value of ``asset_key``, pickled and base64-encoded.

        Trust: the value is a pickle, and only the client unpickles it. Code servers listen on loopback
        (or a Unix socket) only, and the process that reads this already trusts the user code that
        produced the value; never expose a code server beyond the machine.
        """
        defs = self._loaded().defs
        assert defs is not None
        if asset_key not in defs.resolve_asset_graph().nodes:
            raise KeyError(asset_key)
        with user_code_error_boundary(
            UserCodeExecutionError,
            lambda exc: (
                f"Loading the value of asset {asset_key.to_user_string()!r} raised "
                f"{type(exc).__name__}: {exc}"
            ),
        ):
            value = defs.load_asset_value(asset_key, partition_key=partition_key)
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return {"asset_key": asset_key.path, "pickle_b64": base64.b64encode(data).decode("ascii")}

    def run_request(self, body: dict[str, Any]) -> dict[str, Any]:
        """A run request checked by the code (``run_request.run_request``); user code runs in it (config
        schemas, partition keys), inside the user-code boundary."""
        from headwater.locations.server.run_request import run_request

        defs = self._loaded().defs
        assert defs is not None
        with user_code_error_boundary(
            UserCodeExecutionError,
            lambda exc: f"Checking the run request raised {type(exc).__name__}: {exc}",
        ):
            return run_request(defs, self.target, body)

    def run_config_scaffold(self, job_name: str) -> dict[str, Any]:
        """``job_name``'s run config scaffold (``execution.run_config_scaffold``), as YAML: with the
        required placeholders (``scaffold``), and the defaults alone (``defaults``)."""
        from headwater.execution.run_config_scaffold import (
            defaults_only,
            has_required,
            run_config_scaffold,
            scaffold_yaml,
        )

        defs = self._loaded().defs
        assert defs is not None
        with user_code_error_boundary(
            UserCodeExecutionError,
            lambda exc: (
                f"Building the run config scaffold of job {job_name!r} raised {type(exc).__name__}: {exc}"
            ),
        ):
            scaffold = run_config_scaffold(defs.resolve_job_def(job_name))
        return {
            "scaffold": scaffold_yaml(scaffold),
            "defaults": scaffold_yaml(defaults_only(scaffold)),
            "has_required": has_required(scaffold),
        }

    def instigator_tick(self, request: TickEvaluationRequest) -> TickEvaluation:
        """Evaluate a schedule or sensor (``instigator_tick.evaluate_instigator``); sensors reading the
        event log use the instance of HEADWATER_HOME, opened on first use."""
        from headwater.locations.server.instigator_tick import evaluate_instigator
        from headwater.locations.server.run_request import _get_instance

        defs = self._loaded().defs
        assert defs is not None
        spec = self._loaded().spec
        needs_instance = spec is not None and any(
            s.name == request.name and s.sensor_type != "standard" for s in spec.sensors
        )
        instance = self.instance if self.instance is not None else _get_instance() if needs_instance else None
        return evaluate_instigator(defs, request, instance)

    def _loaded(self) -> Snapshot:
        snap = self.snapshot
        if snap.error is not None:
            raise LocationNotLoadedError(snap.error)
        return snap


class LocationNotLoadedError(HeadwaterError):
    def __init__(self, error: LoadError) -> None:
        super().__init__(error.message)
        self.error = error


def code_roots(target: CodeTarget) -> list[str]:
    """The directories whose modules a reload re-imports (and ``--watch`` watches): the working directory
    (default: cwd) and the directory of the Python file, if any."""
    roots = [os.path.realpath(target.working_directory or os.getcwd())]
    if target.python_file:
        roots.append(os.path.realpath(Path(target.python_file).resolve().parent))
    return roots


_LIBRARY_DIRS = tuple(
    os.path.realpath(p)
    for p in {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
)


def _under(path: str, roots: list[str]) -> bool:
    real = os.path.realpath(path)
    if any(real.startswith(lib + os.sep) for lib in _LIBRARY_DIRS):
        return False
    return any(real == root or real.startswith(root + os.sep) for root in roots)
