"""The one error tree of Headwater.

Every error says what went wrong, where, and what to do. The Dagster-named aliases live in
``headwater.compat.dagster``; the classes here are the native names.
"""

from __future__ import annotations

from collections.abc import Sequence


class HeadwaterError(Exception):
    """Base class of every error Headwater raises on its own behalf."""


class InvalidDefinitionError(HeadwaterError):
    """A definition (asset, op, graph, job, resource, Definitions) is malformed."""


class InvalidInvocationError(HeadwaterError):
    """A definition was called or executed with arguments it cannot take."""


class InvariantViolationError(HeadwaterError):
    """A request names something that does not exist, or breaks a rule the API relies on."""


class InvalidSubsetError(HeadwaterError):
    """A selection names assets or ops that the job cannot execute as a subset."""


class InvalidPropertyError(HeadwaterError):
    """A context property was read where it has no value (e.g. asset_key on an op)."""


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

    def __init__(self, preamble: str, errors: Sequence[ConfigErrorEntry] = ()) -> None:
        self.errors = list(errors)
        self.preamble = preamble
        lines = [preamble] + [f"    Error {i + 1}: {e}" for i, e in enumerate(self.errors)]
        super().__init__("\n".join(lines))


class ResourceNotFoundError(InvalidDefinitionError):
    """A resource key is required but no resource was provided for it."""


class UnknownResourceError(HeadwaterError):
    """User code read a resource that is not among its required resources."""


class TypeCheckDidNotPass(HeadwaterError):
    """An input or output value failed its type check."""

    def __init__(
        self, description: str | None = None, metadata: object = None, dagster_type: object = None
    ) -> None:
        super().__init__(description)
        self.description = description
        self.metadata = metadata
        self.dagster_type = dagster_type


class UserCodeExecutionError(HeadwaterError):
    """User code raised; carries the original exception and its formatted traceback."""

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


class ResourceInitError(UserCodeExecutionError):
    """User code raised while building a resource."""


class MaxRetriesExceededError(HeadwaterError):
    """A step failed after using up its retries (RetryPolicy or RetryRequested); raised by
    ``execute_in_process(raise_on_error=True)``, with the last user error as ``__cause__``."""


class RunFailedError(HeadwaterError):
    """A run failed for a reason other than a user exception (e.g. an upstream blocking check)."""


class ExecutionInterruptedError(HeadwaterError):
    """Execution was interrupted (cancellation, signal)."""


class RunNotFoundError(HeadwaterError):
    """No run with the given id is in the instance's storage."""


class StepOutputNotFoundError(HeadwaterError):
    """A requested step output was not produced by the run."""


class InvalidStatusTransitionError(HeadwaterError):
    """A run status change that the transition table does not allow."""


class StorageError(HeadwaterError):
    """The store could not read or write."""


class InvalidMetadataError(HeadwaterError):
    """A metadata value cannot be turned into a MetadataValue, or a stored one cannot be read back."""


class CircularDependencyError(InvalidDefinitionError, ValueError):
    """Assets or nodes depend on each other in a cycle."""


class AssetCheckFailedError(HeadwaterError):
    """One or more blocking asset checks failed with ERROR severity."""


class UnmetExecutorRequirementsError(HeadwaterError):
    """The job's executor cannot run this job as configured (e.g. an in-memory IO manager with the
    multiprocess executor, whose steps run in other processes)."""


class StepWorkerError(HeadwaterError):
    """A step worker process of the multiprocess executor died while running a step, or the step's
    error could not be sent back across processes (the message carries its text)."""


class UnknownPartitionError(HeadwaterError):
    """A partition key that the partitions definition does not have (Dagster's
    ``DagsterUnknownPartitionError``); the message names the key, the asset or job and what exists."""
