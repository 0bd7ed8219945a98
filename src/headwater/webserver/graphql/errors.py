"""Errors as typed results: every ``xOrError`` field returns one of these instead of failing the request.

Names follow Dagster's (``PythonError``, ``RunNotFoundError``, ``RepositoryLocationNotFound``...), and
so do the interfaces Dagster's client spreads on (``PipelineRunNotFoundError``,
``PipelineConfigValidationInvalid``...). ``NotAvailableError`` is Headwater's: the feature is in the
schema but not in this build yet (schedule state, ticks, backfills, daemon health).
"""

from __future__ import annotations

import functools
import re
import traceback
from collections.abc import Callable
from enum import Enum
from typing import ParamSpec, TypeVar, cast

import strawberry

from headwater.core.error_info import ErrorInfo


@strawberry.interface(description="Anything that went wrong: a message saying what and what to do.")
class Error:
    message: str


@strawberry.type(description="An error raised in Python (Headwater's or the user's code), with its stack.")
class PythonError(Error):
    stack: list[str]
    class_name: str | None = None
    cause: PythonError | None = None

    @staticmethod
    def from_exception(exc: BaseException) -> PythonError:
        info = ErrorInfo.from_exception(exc)
        return PythonError.from_info(info)

    @staticmethod
    def from_info(info: ErrorInfo) -> PythonError:
        cause = PythonError.from_info(info.cause) if info.cause is not None else None
        return PythonError(
            message=info.message.rstrip("\n"), stack=list(info.stack), class_name=info.cls_name, cause=cause
        )

    @staticmethod
    def from_traceback(message: str, tb: str | None, class_name: str | None = None) -> PythonError:
        lines = tb.splitlines(keepends=True) if tb else []
        return PythonError(message=message, stack=lines, class_name=class_name)


def unexpected(exc: BaseException) -> PythonError:
    """A PythonError for an exception a resolver did not expect (a bug, or the database away)."""
    return PythonError(
        message=f"{type(exc).__name__}: {exc}",
        stack=traceback.format_tb(exc.__traceback__),
        class_name=type(exc).__name__,
    )


P = ParamSpec("P")
R = TypeVar("R")


def or_python_error(resolve: Callable[P, R]) -> Callable[P, R]:
    """``resolve``, returning an exception it did not expect as a PythonError (``unexpected``) rather
    than failing the request; its result type must include PythonError. Goes under the
    ``@strawberry.mutation``/``@strawberry.field`` decorator."""

    @functools.wraps(resolve)
    def resolver(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return resolve(*args, **kwargs)
        except Exception as exc:
            return cast(R, unexpected(exc))

    return resolver


@strawberry.type(description="Where user code failed to load: the file and line of the innermost frame.")
class SourceLocation:
    file: str
    line: int


_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def innermost_frame(tb: str | None) -> SourceLocation | None:
    """The file and line of the last frame of a formatted traceback."""
    if not tb:
        return None
    found = _FRAME.findall(tb)
    if not found:
        return None
    file, line = found[-1]
    return SourceLocation(file=file, line=int(line))


@strawberry.interface(description="Dagster's name for a missing run (RunNotFoundError implements it).")
class PipelineRunNotFoundError(Error):
    run_id: str


@strawberry.type
class RunNotFoundError(PipelineRunNotFoundError):
    pass


def run_not_found(run_id: str) -> RunNotFoundError:
    return RunNotFoundError(
        run_id=run_id, message=f"No run {run_id} in this instance; the runs query lists them."
    )


@strawberry.type(description="No code location of that name in the workspace.")
class RepositoryLocationNotFound(Error):
    pass


def location_not_found(name: str, known: list[str]) -> RepositoryLocationNotFound:
    return RepositoryLocationNotFound(
        message=f"No code location {name!r} in this workspace. Locations: {', '.join(known) or 'none'}."
    )


@strawberry.type(description="The location cannot be reloaded from here.")
class ReloadNotSupported(Error):
    pass


@strawberry.type(description="No job of that name in the location (Dagster's name).")
class PipelineNotFoundError(Error):
    pipeline_name: str
    repository_name: str
    repository_location_name: str


@strawberry.type(description="No repository of that name in the location.")
class RepositoryNotFoundError(Error):
    repository_name: str
    repository_location_name: str


@strawberry.type(description="A step key that the job's plan does not have.")
class InvalidStepError:
    invalid_step_key: str
    message: str = ""


@strawberry.type(description="An output that a step does not have (kept for Dagster's client).")
class InvalidOutputError:
    step_key: str
    invalid_output_name: str
    message: str = ""


@strawberry.type(description="A selection (assets, ops, steps) that cannot be executed.")
class InvalidSubsetError(Error):
    pass


@strawberry.type(description="Parameters that contradict each other.")
class ConflictingExecutionParamsError(Error):
    pass


@strawberry.type(description="Headwater has no presets (Dagster's pipelines had them).")
class PresetNotFoundError(Error):
    preset: str


@strawberry.interface(description="Dagster's name for a run id already taken (RunConflict implements it).")
class PipelineRunConflict(Error):
    pass


@strawberry.type
class RunConflict(PipelineRunConflict):
    pass


@strawberry.type(description="This webserver does not allow that (started read-only).")
class UnauthorizedError(Error):
    pass


@strawberry.type(description="No asset with that key.")
class AssetNotFoundError(Error):
    pass


@strawberry.type(description="An operation that this store or asset cannot do.")
class UnsupportedOperationError(Error):
    pass


@strawberry.type(description="A bad filter, selection string or cursor.")
class InvalidRequestError(Error):
    pass


@strawberry.type(
    description="In the schema, not in this build yet: schedule and sensor state, ticks, backfills, "
    "daemon health arrive with the daemon and backfill work. No data is made up meanwhile."
)
class NotAvailableError(Error):
    feature: str


def not_available(feature: str) -> NotAvailableError:
    return NotAvailableError(
        feature=feature,
        message=f"{feature} is not available in this Headwater build yet (it comes with the daemon and "
        "backfills); nothing is stored for it.",
    )


@strawberry.enum(description="Why a config value was refused (Dagster's EvaluationErrorReason).")
class EvaluationErrorReason(Enum):
    RUNTIME_TYPE_MISMATCH = "RUNTIME_TYPE_MISMATCH"
    MISSING_REQUIRED_FIELD = "MISSING_REQUIRED_FIELD"
    MISSING_REQUIRED_FIELDS = "MISSING_REQUIRED_FIELDS"
    FIELD_NOT_DEFINED = "FIELD_NOT_DEFINED"
    FIELDS_NOT_DEFINED = "FIELDS_NOT_DEFINED"
    SELECTOR_FIELD_ERROR = "SELECTOR_FIELD_ERROR"
    FIELD_ALIAS_COLLISION = "FIELD_ALIAS_COLLISION"


def reason_for(message: str) -> EvaluationErrorReason:
    text = message.lower()
    if "missing" in text or "required" in text:
        return EvaluationErrorReason.MISSING_REQUIRED_FIELD
    if "not defined" in text or "unexpected" in text or "extra" in text or "unknown" in text:
        return EvaluationErrorReason.FIELD_NOT_DEFINED
    return EvaluationErrorReason.RUNTIME_TYPE_MISMATCH


@strawberry.type(description="One problem in run config, with where it is.")
class ConfigValidationError:
    message: str
    path: list[str]
    reason: EvaluationErrorReason


@strawberry.interface(description="Dagster's name (RunConfigValidationInvalid implements it).")
class PipelineConfigValidationInvalid:
    pipeline_name: str
    errors: list[ConfigValidationError]


@strawberry.type(description="The run config does not fit the job's config schema (InvalidConfigError).")
class RunConfigValidationInvalid(PipelineConfigValidationInvalid):
    message: str
