"""The one error tree of Headwater.

Every error says what went wrong, where, and what to do. The Dagster-named aliases live in
``headwater.compat.dagster`` (and ``dagster._core.errors`` for Dagster projects); the classes here are the
native names.

A class with a Dagster counterpart names it in ``stored_name`` (Dagster's module and class name): a
stored error (``headwater.core.error_info.ErrorInfo``: a step's or a run's failure) uses that name, as
Dagster stores it, so code that reads stored errors (``error.cls_name == "DagsterTypeCheckDidNotPass"``)
works on either. A class without its own ``stored_name`` (a subclass a user defines, say) is stored
under its Python name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

_DAGSTER_ERRORS = "dagster._core.errors."


class HeadwaterError(Exception):
    """Base class of every error Headwater raises on its own behalf."""

    stored_name: ClassVar[str | None] = "dagster_shared.error.DagsterError"


class InvalidDefinitionError(HeadwaterError):
    """A definition (asset, op, graph, job, resource, Definitions) is malformed."""

    stored_name = _DAGSTER_ERRORS + "DagsterInvalidDefinitionError"


class InvalidInvocationError(HeadwaterError):
    """A definition was called or executed with arguments it cannot take."""

    stored_name = _DAGSTER_ERRORS + "DagsterInvalidInvocationError"


class InvariantViolationError(HeadwaterError):
    """A request names something that does not exist, or breaks a rule the API relies on."""

    stored_name = _DAGSTER_ERRORS + "DagsterInvariantViolationError"


class InvalidSubsetError(HeadwaterError):
    """A selection names assets or ops that the job cannot execute as a subset."""

    stored_name = _DAGSTER_ERRORS + "DagsterInvalidSubsetError"


class InvalidPropertyError(HeadwaterError):
    """A context property was read where it has no value (e.g. asset_key on an op)."""

    stored_name = _DAGSTER_ERRORS + "DagsterInvalidPropertyError"


class ConfigErrorEntry:
    """One problem found in run or resource config, with the path where it was found."""

    __slots__ = ("message", "path")

    def __init__(self, message: str, path: Sequence[str] = ()) -> None:
        self.message = message
        self.path = tuple(path)

    def __repr__(self) -> str:
        return f"ConfigErrorEntry({self.message!r}, path={list(self.path)!r})"

    def __str__(self) -> str:
        where = ":".join(self.path) or "root"
        return f"at {where}: {self.message}"


class InvalidConfigError(HeadwaterError):
    """Run config or resource config does not match its schema."""

    stored_name = _DAGSTER_ERRORS + "DagsterInvalidConfigError"

    def __init__(self, preamble: str, errors: Sequence[ConfigErrorEntry] = ()) -> None:
        self.errors = list(errors)
        self.preamble = preamble
        lines = [preamble] + [f"    Error {i + 1}: {e}" for i, e in enumerate(self.errors)]
        super().__init__("\n".join(lines))


class ResourceNotFoundError(InvalidDefinitionError):
    """A resource key is required but no resource was provided for it."""

    stored_name = _DAGSTER_ERRORS + "DagsterInvalidDefinitionError"


class UnknownResourceError(HeadwaterError, AttributeError):
    """User code read a resource that is not among its required resources (an ``AttributeError`` too,
    as in Dagster, so ``hasattr(context.resources, name)`` is False for it)."""

    stored_name = _DAGSTER_ERRORS + "DagsterUnknownResourceError"


class TypeCheckDidNotPass(HeadwaterError):
    """An input or output value failed its type check."""

    stored_name = _DAGSTER_ERRORS + "DagsterTypeCheckDidNotPass"

    def __init__(
        self, description: str | None = None, metadata: object = None, dagster_type: object = None
    ) -> None:
        super().__init__(description)
        self.description = description
        self.metadata = metadata
        self.dagster_type = dagster_type


class UserCodeExecutionError(HeadwaterError):
    """User code raised; carries the original exception and its formatted traceback."""

    stored_name = _DAGSTER_ERRORS + "DagsterUserCodeExecutionError"

    def __init__(self, message: str, *, user_exception: BaseException, original_traceback: str) -> None:
        super().__init__(message)
        self.user_exception = user_exception
        self.original_traceback = original_traceback

    @property
    def user_traceback(self) -> str:
        """The traceback of the user's exception (file and line included)."""
        return self.original_traceback

    def with_traceback_text(self) -> str:
        """The message followed by the user's traceback: what a command line shows."""
        return f"{self}\n\n{self.original_traceback}"


class StepExecutionError(UserCodeExecutionError):
    """User code raised while executing a step (an op's or an asset's body)."""

    stored_name = _DAGSTER_ERRORS + "DagsterExecutionStepExecutionError"


class HandleOutputError(UserCodeExecutionError):
    """User code raised while an IO manager stored a step's output (``handle_output``)."""

    stored_name = _DAGSTER_ERRORS + "DagsterExecutionHandleOutputError"


class LoadInputError(UserCodeExecutionError):
    """User code raised while an IO or input manager loaded a step's input (``load_input``)."""

    stored_name = _DAGSTER_ERRORS + "DagsterExecutionLoadInputError"


class TypeCheckError(UserCodeExecutionError):
    """A type check function raised while checking a step's input or output."""

    stored_name = _DAGSTER_ERRORS + "DagsterTypeCheckError"


class ResourceInitError(UserCodeExecutionError):
    """User code raised while building a resource."""

    stored_name = _DAGSTER_ERRORS + "DagsterResourceFunctionError"


class MaxRetriesExceededError(HeadwaterError):
    """A step failed after using up its retries (RetryPolicy or RetryRequested); raised by
    ``execute_in_process(raise_on_error=True)``, with the last user error as ``__cause__``."""

    stored_name = _DAGSTER_ERRORS + "DagsterMaxRetriesExceededError"


class RunFailedError(HeadwaterError):
    """A run failed for a reason other than a user exception (e.g. an upstream blocking check)."""


class ExecutionInterruptedError(BaseException):
    """Execution was interrupted (cancellation, signal). Like ``KeyboardInterrupt`` (and as in Dagster) a
    ``BaseException``, not a ``HeadwaterError``: ``except Exception`` in user code does not swallow it."""

    stored_name = _DAGSTER_ERRORS + "DagsterExecutionInterruptedError"


class RunNotFoundError(HeadwaterError):
    """No run with the given id is in the instance's storage."""

    stored_name = _DAGSTER_ERRORS + "DagsterRunNotFoundError"


class StepOutputNotFoundError(HeadwaterError):
    """A requested step output was not produced by the run."""

    stored_name = _DAGSTER_ERRORS + "DagsterStepOutputNotFoundError"


class InvalidStatusTransitionError(HeadwaterError):
    """A run status change that the transition table does not allow."""


class StorageError(HeadwaterError):
    """The store could not read or write."""


class InvalidMetadataError(HeadwaterError):
    """A metadata value cannot be turned into a MetadataValue, or a stored one cannot be read back."""

    stored_name = _DAGSTER_ERRORS + "DagsterInvalidMetadata"


class CircularDependencyError(InvalidDefinitionError, ValueError):
    """Assets or nodes depend on each other in a cycle."""


class AssetCheckFailedError(HeadwaterError):
    """One or more blocking asset checks failed with ERROR severity."""

    stored_name = _DAGSTER_ERRORS + "DagsterAssetCheckFailedError"


class UnmetExecutorRequirementsError(HeadwaterError):
    """The job's executor cannot run this job as configured (e.g. an in-memory IO manager with the
    multiprocess executor, whose steps run in other processes)."""

    stored_name = _DAGSTER_ERRORS + "DagsterUnmetExecutorRequirementsError"


class StepWorkerError(HeadwaterError):
    """A step worker process of the multiprocess executor died while running a step, or the step's
    error could not be sent back across processes (the message carries its text)."""


class UnknownPartitionError(HeadwaterError):
    """A partition key that the partitions definition does not have (Dagster's
    ``DagsterUnknownPartitionError``); the message names the key, the asset or job and what exists."""

    stored_name = _DAGSTER_ERRORS + "DagsterUnknownPartitionError"


class InvalidObservationError(HeadwaterError):
    """The observe function of an observable source asset returned something other than a
    ``DataVersion``, an ``ObserveResult`` or (partitioned) a ``DataVersionsByPartition``."""

    stored_name = _DAGSTER_ERRORS + "DagsterInvalidObservationError"
