"""Print deterministic facts about runs and errors; shared by the scripts in this folder.

Uses only Dagster's public API, so it runs under Dagster and under ``headwater.compat.dagster`` alike.
Run ids, timings and log text are left out. ENGINE_EVENT and LOGS_CAPTURED are engine chatter whose
count is not part of the API; RESOURCE_INIT_STARTED/SUCCESS are left out too, because where Dagster
reports them (run-level or inside the first step) depends on how many steps the plan has.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dagster as dg

NOISE = {"ENGINE_EVENT", "LOGS_CAPTURED", "RESOURCE_INIT_STARTED", "RESOURCE_INIT_SUCCESS"}

# Checked in this order; every class the exception is an instance of is printed.
ERROR_CLASSES = (
    "DagsterInvalidConfigError",
    "DagsterInvalidDefinitionError",
    "DagsterInvalidInvocationError",
    "DagsterInvariantViolationError",
    "DagsterInvalidSubsetError",
    "DagsterTypeCheckDidNotPass",
    "DagsterExecutionStepExecutionError",
    "DagsterResourceFunctionError",
    "DagsterUserCodeExecutionError",
    "DagsterUnknownResourceError",
    "DagsterUnknownPartitionError",
    "DagsterError",
)


def show_run(label: str, result: Any) -> None:
    print(f"== {label}: success={result.success}")
    run_level = [
        e.event_type_value
        for e in result.all_events
        if e.step_key is None and e.event_type_value not in NOISE
    ]
    print("  run:", " ".join(run_level))
    steps: dict[str, list[str]] = {}
    for event in result.all_events:
        if event.step_key is not None and event.event_type_value not in NOISE:
            steps.setdefault(event.step_key, []).append(event.event_type_value)
    for key in sorted(steps):
        # hooks come from a set (hooks={...}), so their order is arbitrary in Dagster too: sort them
        hooks = sorted(t for t in steps[key] if t.startswith("HOOK_"))
        others = [t for t in steps[key] if not t.startswith("HOOK_")]
        print(f"  {key}: {' '.join(others + hooks)}")


def error_names(exc: BaseException) -> str:
    names = [name for name in ERROR_CLASSES if isinstance(exc, getattr(dg, name))]
    return ", ".join(names) if names else f"(builtin) {type(exc).__name__}"


def show_error(label: str, fn: Callable[[], object]) -> None:
    try:
        fn()
    except Exception as exc:
        print(f"{label}: raised {error_names(exc)}")
    else:
        print(f"{label}: no error")
