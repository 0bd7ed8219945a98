"""``dagster._core.errors``: Headwater's error classes under Dagster's names.

Each is the native class (``DagsterExecutionStepExecutionError is headwater.StepExecutionError``), so
``except`` clauses and ``isinstance`` checks written for Dagster catch what Headwater raises.
"""

from headwater.errors import AssetCheckFailedError as DagsterAssetCheckFailedError
from headwater.errors import ExecutionInterruptedError as DagsterExecutionInterruptedError
from headwater.errors import HandleOutputError as DagsterExecutionHandleOutputError
from headwater.errors import HeadwaterError as DagsterError
from headwater.errors import InvalidConfigError as DagsterInvalidConfigError
from headwater.errors import InvalidDefinitionError as DagsterInvalidDefinitionError
from headwater.errors import InvalidInvocationError as DagsterInvalidInvocationError
from headwater.errors import InvalidMetadataError as DagsterInvalidMetadata
from headwater.errors import InvalidObservationError as DagsterInvalidObservationError
from headwater.errors import InvalidPropertyError as DagsterInvalidPropertyError
from headwater.errors import InvalidSubsetError as DagsterInvalidSubsetError
from headwater.errors import InvariantViolationError as DagsterInvariantViolationError
from headwater.errors import LoadInputError as DagsterExecutionLoadInputError
from headwater.errors import MaxRetriesExceededError as DagsterMaxRetriesExceededError
from headwater.errors import ResourceInitError as DagsterResourceFunctionError
from headwater.errors import RunNotFoundError as DagsterRunNotFoundError
from headwater.errors import StepExecutionError as DagsterExecutionStepExecutionError
from headwater.errors import StepOutputNotFoundError as DagsterStepOutputNotFoundError
from headwater.errors import TypeCheckDidNotPass as DagsterTypeCheckDidNotPass
from headwater.errors import TypeCheckError as DagsterTypeCheckError
from headwater.errors import UnknownPartitionError as DagsterUnknownPartitionError
from headwater.errors import UnknownResourceError as DagsterUnknownResourceError
from headwater.errors import UnmetExecutorRequirementsError as DagsterUnmetExecutorRequirementsError
from headwater.errors import UserCodeExecutionError as DagsterUserCodeExecutionError

__all__ = [
    "DagsterAssetCheckFailedError",
    "DagsterError",
    "DagsterExecutionHandleOutputError",
    "DagsterExecutionInterruptedError",
    "DagsterExecutionLoadInputError",
    "DagsterExecutionStepExecutionError",
    "DagsterInvalidConfigError",
    "DagsterInvalidDefinitionError",
    "DagsterInvalidInvocationError",
    "DagsterInvalidMetadata",
    "DagsterInvalidObservationError",
    "DagsterInvalidPropertyError",
    "DagsterInvalidSubsetError",
    "DagsterInvariantViolationError",
    "DagsterMaxRetriesExceededError",
    "DagsterResourceFunctionError",
    "DagsterRunNotFoundError",
    "DagsterStepOutputNotFoundError",
    "DagsterTypeCheckDidNotPass",
    "DagsterTypeCheckError",
    "DagsterUnknownPartitionError",
    "DagsterUnknownResourceError",
    "DagsterUnmetExecutorRequirementsError",
    "DagsterUserCodeExecutionError",
]
