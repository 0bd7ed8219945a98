"""Evaluating a schedule or sensor in the code-location server (``POST /instigator-tick``).

The user's function runs in a thread of its own, inside the user-code boundary, with the resources
it takes built from the location's ``Definitions`` and torn down afterwards. A function that does not
return within the request's ``timeout`` is reported as a ``timeout`` error at once (its thread is left
to finish or hang on its own: Python cannot stop it), so one slow sensor never holds up the daemon.
Every failure comes back as data (``TickEvaluation.error``), with the user's traceback.
"""

from __future__ import annotations

import threading
import traceback
from datetime import datetime
from typing import Any

from headwater.definitions.definitions import Definitions
from headwater.definitions.schedule_definition import ScheduleDefinition, ScheduleEvaluationContext
from headwater.definitions.sensor_definition import SensorDefinition, SensorEvaluationContext
from headwater.errors import HeadwaterError, InvariantViolationError, UserCodeExecutionError
from headwater.execution.boundary import user_code_error_boundary
from headwater.execution.resource_builder import initialize_resources
from headwater.selection.cron import get_timezone
from headwater.specs.instigation import EvaluationError, TickEvaluation, TickEvaluationRequest


class InstigatorEvaluationError(UserCodeExecutionError):
    """A schedule or sensor function raised."""


def _context(
    definition: ScheduleDefinition | SensorDefinition,
    request: TickEvaluationRequest,
    defs: Definitions,
    instance: Any,
    resources: Any,
) -> ScheduleEvaluationContext | SensorEvaluationContext:
    if isinstance(definition, ScheduleDefinition):
        when = request.scheduled_execution_time
        tz = get_timezone(definition.execution_timezone or "UTC")
        return ScheduleEvaluationContext(
            scheduled_execution_time=datetime.fromtimestamp(when, tz) if when is not None else None,
            schedule_name=definition.name,
            resources=resources,
            repository_def=defs,
            instance=instance,
        )
    return SensorEvaluationContext(
        cursor=request.cursor,
        last_tick_completion_time=request.last_tick_completion_time,
        last_run_key=request.last_run_key,
        last_sensor_start_time=request.last_sensor_start_time,
        sensor_name=definition.name,
        resources=resources,
        repository_def=defs,
        instance=instance,
    )


def _evaluate_now(defs: Definitions, request: TickEvaluationRequest, instance: Any) -> TickEvaluation:
    what = f"{request.kind.capitalize()} '{request.name}'"
    try:
        definition: ScheduleDefinition | SensorDefinition = (
            defs.get_schedule_def(request.name)
            if request.kind == "schedule"
            else defs.get_sensor_def(request.name)
        )
    except InvariantViolationError as exc:
        return TickEvaluation(error=EvaluationError(str(exc), None, "not_found"))
    keys = definition.required_resources
    missing = sorted(keys - set(defs.resources))
    if missing:
        message = (
            f"{what} takes the resource(s) {', '.join(missing)}, which Definitions(resources=...) does not "
            "provide: add them there."
        )
        return TickEvaluation(error=EvaluationError(message, None, "user_code_error"))
    try:
        with (
            user_code_error_boundary(
                InstigatorEvaluationError, lambda exc: f"{what} raised {type(exc).__name__}: {exc}"
            ),
            initialize_resources(defs.resources, {}, keys=keys, instance=instance) as resources,
        ):
            context = _context(definition, request, defs, instance, resources)
            result = definition.evaluate_tick(context)  # type: ignore[arg-type]
        return result.evaluation
    except UserCodeExecutionError as exc:
        return TickEvaluation(error=EvaluationError(str(exc), exc.user_traceback))
    except HeadwaterError as exc:  # a definition error in what the function returned, a bad resource
        detail = "".join(traceback.format_exception(exc))
        return TickEvaluation(error=EvaluationError(f"{what}: {exc}", detail))


def evaluate_instigator(defs: Definitions, request: TickEvaluationRequest, instance: Any) -> TickEvaluation:
    """Evaluate the schedule or sensor of ``request``; never raises for the user's mistakes (see the
    module docstring). A function still running after ``request.timeout`` seconds is a ``timeout``."""
    outcome: list[TickEvaluation] = []

    def work() -> None:
        try:
            outcome.append(_evaluate_now(defs, request, instance))
        except BaseException as exc:  # a bug in the evaluation itself: report it as data
            outcome.append(
                TickEvaluation(
                    error=EvaluationError(
                        f"Evaluating {request.kind} '{request.name}' failed: {type(exc).__name__}: {exc}",
                        "".join(traceback.format_exception(exc)),
                        "internal_error",
                    )
                )
            )

    thread = threading.Thread(target=work, name=f"{request.kind}:{request.name}", daemon=True)
    thread.start()
    thread.join(request.timeout)
    if not outcome:
        message = (
            f"{request.kind.capitalize()} '{request.name}' did not finish within {request.timeout:g} s and "
            "was abandoned for this tick: make it faster (or split its work), or raise the daemon's "
            "evaluation timeout."
        )
        return TickEvaluation(error=EvaluationError(message, None, "timeout"))
    return outcome[0]


__all__ = ["InstigatorEvaluationError", "evaluate_instigator"]
