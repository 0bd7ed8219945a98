# Generated from src/headwater/_api_table.py by tools/generate_api_stubs.py: edit the table and
# rerun the tool, never this file. Type checkers read this stub instead of the lazy module beside it.

"""Headwater's public API (native names), as type checkers see it."""

from headwater.cli.backfill_launch import launch_backfill as launch_backfill
from headwater.core.asset_check_key import AssetCheckKey as AssetCheckKey
from headwater.core.asset_events import AssetCheckEvaluation as AssetCheckEvaluation
from headwater.core.asset_events import AssetCheckSeverity as AssetCheckSeverity
from headwater.core.asset_events import AssetMaterialization as AssetMaterialization
from headwater.core.asset_events import AssetObservation as AssetObservation
from headwater.core.asset_key import AssetKey as AssetKey
from headwater.core.data_version import DataProvenance as DataProvenance
from headwater.core.data_version import DataVersion as DataVersion
from headwater.core.data_version import DataVersionsByPartition as DataVersionsByPartition
from headwater.core.env_var import EnvVar as EnvVar
from headwater.core.metadata import BoolMetadataValue as BoolMetadataValue
from headwater.core.metadata import CodeReferencesMetadataValue as CodeReferencesMetadataValue
from headwater.core.metadata import DagsterAssetMetadataValue as DagsterAssetMetadataValue
from headwater.core.metadata import DagsterJobMetadataValue as DagsterJobMetadataValue
from headwater.core.metadata import DagsterRunMetadataValue as DagsterRunMetadataValue
from headwater.core.metadata import FloatMetadataValue as FloatMetadataValue
from headwater.core.metadata import IntMetadataValue as IntMetadataValue
from headwater.core.metadata import JsonMetadataValue as JsonMetadataValue
from headwater.core.metadata import LocalFileCodeReference as LocalFileCodeReference
from headwater.core.metadata import MarkdownMetadataValue as MarkdownMetadataValue
from headwater.core.metadata import MetadataValue as MetadataValue
from headwater.core.metadata import NotebookMetadataValue as NotebookMetadataValue
from headwater.core.metadata import NullMetadataValue as NullMetadataValue
from headwater.core.metadata import PathMetadataValue as PathMetadataValue
from headwater.core.metadata import PoolMetadataValue as PoolMetadataValue
from headwater.core.metadata import PythonArtifactMetadataValue as PythonArtifactMetadataValue
from headwater.core.metadata import TableColumn as TableColumn
from headwater.core.metadata import TableColumnConstraints as TableColumnConstraints
from headwater.core.metadata import TableColumnDep as TableColumnDep
from headwater.core.metadata import TableColumnLineage as TableColumnLineage
from headwater.core.metadata import TableColumnLineageMetadataValue as TableColumnLineageMetadataValue
from headwater.core.metadata import TableConstraints as TableConstraints
from headwater.core.metadata import TableMetadataValue as TableMetadataValue
from headwater.core.metadata import TableRecord as TableRecord
from headwater.core.metadata import TableSchema as TableSchema
from headwater.core.metadata import TableSchemaMetadataValue as TableSchemaMetadataValue
from headwater.core.metadata import TextMetadataValue as TextMetadataValue
from headwater.core.metadata import TimestampMetadataValue as TimestampMetadataValue
from headwater.core.metadata import UrlCodeReference as UrlCodeReference
from headwater.core.metadata import UrlMetadataValue as UrlMetadataValue
from headwater.core.partition_keys import MultiPartitionKey as MultiPartitionKey
from headwater.core.partition_keys import PartitionKeyRange as PartitionKeyRange
from headwater.core.partition_keys import TimeWindow as TimeWindow
from headwater.core.paths import file_relative_path as file_relative_path
from headwater.core.stale_status import StaleCause as StaleCause
from headwater.core.stale_status import StaleCauseCategory as StaleCauseCategory
from headwater.core.stale_status import StaleStatus as StaleStatus
from headwater.core.table_metadata import TableMetadata as TableMetadata
from headwater.definitions.asset_check import AssetChecksDefinition as AssetChecksDefinition
from headwater.definitions.asset_check import asset_check as asset_check
from headwater.definitions.asset_check import multi_asset_check as multi_asset_check
from headwater.definitions.asset_check_spec import AssetCheckSpec as AssetCheckSpec
from headwater.definitions.asset_decorators import asset as asset
from headwater.definitions.asset_decorators import graph_asset as graph_asset
from headwater.definitions.asset_decorators import graph_multi_asset as graph_multi_asset
from headwater.definitions.asset_job import UnresolvedAssetJobDefinition as UnresolvedAssetJobDefinition
from headwater.definitions.asset_job import define_asset_job as define_asset_job
from headwater.definitions.asset_sensor import AssetSensorDefinition as AssetSensorDefinition
from headwater.definitions.asset_sensor import MultiAssetSensorDefinition as MultiAssetSensorDefinition
from headwater.definitions.asset_sensor import (
    MultiAssetSensorEvaluationContext as MultiAssetSensorEvaluationContext,
)
from headwater.definitions.asset_sensor import asset_sensor as asset_sensor
from headwater.definitions.asset_sensor import multi_asset_sensor as multi_asset_sensor
from headwater.definitions.asset_spec import AssetDep as AssetDep
from headwater.definitions.asset_spec import AssetSpec as AssetSpec
from headwater.definitions.asset_spec import SourceAsset as SourceAsset
from headwater.definitions.asset_spec import apply_freshness_policy as apply_freshness_policy
from headwater.definitions.asset_spec import map_asset_specs as map_asset_specs
from headwater.definitions.assets import AssetsDefinition as AssetsDefinition
from headwater.definitions.automation import (
    AutomationConditionSensorDefinition as AutomationConditionSensorDefinition,
)
from headwater.definitions.check_factories import (
    build_column_schema_change_checks as build_column_schema_change_checks,
)
from headwater.definitions.check_factories import build_metadata_bounds_checks as build_metadata_bounds_checks
from headwater.definitions.component_context import ComponentLoadContext as ComponentLoadContext
from headwater.definitions.components.builtin import DefinitionsComponent as DefinitionsComponent
from headwater.definitions.components.builtin import DefsFolderComponent as DefsFolderComponent
from headwater.definitions.components.builtin import FunctionComponent as FunctionComponent
from headwater.definitions.components.builtin import PythonScriptComponent as PythonScriptComponent
from headwater.definitions.components.component import Component as Component
from headwater.definitions.components.component import template_var as template_var
from headwater.definitions.components.resolvable import Model as Model
from headwater.definitions.components.resolvable import Resolvable as Resolvable
from headwater.definitions.config import BoolSource as BoolSource
from headwater.definitions.config import IntSource as IntSource
from headwater.definitions.config import RunConfig as RunConfig
from headwater.definitions.config import StringSource as StringSource
from headwater.definitions.config_class import Config as Config
from headwater.definitions.config_class import PermissiveConfig as PermissiveConfig
from headwater.definitions.config_types import Array as Array
from headwater.definitions.config_types import Enum as Enum
from headwater.definitions.config_types import EnumValue as EnumValue
from headwater.definitions.config_types import Field as Field
from headwater.definitions.config_types import Map as Map
from headwater.definitions.config_types import Noneable as Noneable
from headwater.definitions.config_types import Permissive as Permissive
from headwater.definitions.config_types import ScalarUnion as ScalarUnion
from headwater.definitions.config_types import Selector as Selector
from headwater.definitions.config_types import Shape as Shape
from headwater.definitions.configurable_resource import ConfigurableResource as ConfigurableResource
from headwater.definitions.configurable_resource import (
    ConfigurableResourceFactory as ConfigurableResourceFactory,
)
from headwater.definitions.configured import configured as configured
from headwater.definitions.custom_path_io_manager import (
    custom_path_fs_io_manager as custom_path_fs_io_manager,
)
from headwater.definitions.definitions import Definitions as Definitions
from headwater.definitions.defs_folder import load_defs as load_defs
from headwater.definitions.defs_folder import load_from_defs_folder as load_from_defs_folder
from headwater.definitions.executor_definition import Executor as Executor
from headwater.definitions.executor_definition import ExecutorDefinition as ExecutorDefinition
from headwater.definitions.executor_definition import InitExecutorContext as InitExecutorContext
from headwater.definitions.executor_definition import executor as executor
from headwater.definitions.freshness_checks import (
    build_last_update_freshness_checks as build_last_update_freshness_checks,
)
from headwater.definitions.freshness_checks import (
    build_time_partition_freshness_checks as build_time_partition_freshness_checks,
)
from headwater.definitions.freshness_sensor import (
    build_sensor_for_freshness_checks as build_sensor_for_freshness_checks,
)
from headwater.definitions.fs_io_manager import FilesystemIOManager as FilesystemIOManager
from headwater.definitions.fs_io_manager import fs_io_manager as fs_io_manager
from headwater.definitions.graph import DependencyDefinition as DependencyDefinition
from headwater.definitions.graph import GraphDefinition as GraphDefinition
from headwater.definitions.graph import GraphIn as GraphIn
from headwater.definitions.graph import GraphOut as GraphOut
from headwater.definitions.graph import MultiDependencyDefinition as MultiDependencyDefinition
from headwater.definitions.graph import NodeInvocation as NodeInvocation
from headwater.definitions.graph import graph as graph
from headwater.definitions.hooks import HookDefinition as HookDefinition
from headwater.definitions.hooks import failure_hook as failure_hook
from headwater.definitions.hooks import success_hook as success_hook
from headwater.definitions.input_context import InputContext as InputContext
from headwater.definitions.inputs import AssetIn as AssetIn
from headwater.definitions.inputs import In as In
from headwater.definitions.io_manager import ConfigurableIOManager as ConfigurableIOManager
from headwater.definitions.io_manager import ConfigurableIOManagerFactory as ConfigurableIOManagerFactory
from headwater.definitions.io_manager import InputManager as InputManager
from headwater.definitions.io_manager import InputManagerDefinition as InputManagerDefinition
from headwater.definitions.io_manager import IOManager as IOManager
from headwater.definitions.io_manager import IOManagerDefinition as IOManagerDefinition
from headwater.definitions.io_manager import input_manager as input_manager
from headwater.definitions.io_manager import io_manager as io_manager
from headwater.definitions.job import JobDefinition as JobDefinition
from headwater.definitions.job import job as job
from headwater.definitions.lazy_definitions import definitions as lazy_definitions
from headwater.definitions.logger import get_dagster_logger as get_dagster_logger
from headwater.definitions.logger import get_logger as get_logger
from headwater.definitions.logger_definition import InitLoggerContext as InitLoggerContext
from headwater.definitions.logger_definition import LoggerDefinition as LoggerDefinition
from headwater.definitions.logger_definition import build_init_logger_context as build_init_logger_context
from headwater.definitions.logger_definition import colored_console_logger as colored_console_logger
from headwater.definitions.logger_definition import json_console_logger as json_console_logger
from headwater.definitions.logger_definition import logger as logger
from headwater.definitions.mem_io_manager import InMemoryIOManager as InMemoryIOManager
from headwater.definitions.mem_io_manager import mem_io_manager as mem_io_manager
from headwater.definitions.module_definitions import (
    load_definitions_from_current_module as load_definitions_from_current_module,
)
from headwater.definitions.module_definitions import (
    load_definitions_from_module as load_definitions_from_module,
)
from headwater.definitions.module_definitions import (
    load_definitions_from_modules as load_definitions_from_modules,
)
from headwater.definitions.module_definitions import (
    load_definitions_from_package_module as load_definitions_from_package_module,
)
from headwater.definitions.module_definitions import (
    load_definitions_from_package_name as load_definitions_from_package_name,
)
from headwater.definitions.module_loaders import (
    load_asset_checks_from_current_module as load_asset_checks_from_current_module,
)
from headwater.definitions.module_loaders import (
    load_asset_checks_from_modules as load_asset_checks_from_modules,
)
from headwater.definitions.module_loaders import (
    load_asset_checks_from_package_module as load_asset_checks_from_package_module,
)
from headwater.definitions.module_loaders import (
    load_asset_checks_from_package_name as load_asset_checks_from_package_name,
)
from headwater.definitions.module_loaders import (
    load_assets_from_current_module as load_assets_from_current_module,
)
from headwater.definitions.module_loaders import load_assets_from_modules as load_assets_from_modules
from headwater.definitions.module_loaders import (
    load_assets_from_package_module as load_assets_from_package_module,
)
from headwater.definitions.module_loaders import (
    load_assets_from_package_name as load_assets_from_package_name,
)
from headwater.definitions.multi_asset import multi_asset as multi_asset
from headwater.definitions.multi_partitions import MultiPartitionsDefinition as MultiPartitionsDefinition
from headwater.definitions.observable_source_asset import (
    multi_observable_source_asset as multi_observable_source_asset,
)
from headwater.definitions.observable_source_asset import observable_source_asset as observable_source_asset
from headwater.definitions.op import OpDefinition as OpDefinition
from headwater.definitions.op import op as op
from headwater.definitions.output_context import OutputContext as OutputContext
from headwater.definitions.outputs import AssetOut as AssetOut
from headwater.definitions.outputs import DynamicOut as DynamicOut
from headwater.definitions.outputs import Out as Out
from headwater.definitions.partitioned_config import PartitionedConfig as PartitionedConfig
from headwater.definitions.partitioned_config import daily_partitioned_config as daily_partitioned_config
from headwater.definitions.partitioned_config import dynamic_partitioned_config as dynamic_partitioned_config
from headwater.definitions.partitioned_config import hourly_partitioned_config as hourly_partitioned_config
from headwater.definitions.partitioned_config import monthly_partitioned_config as monthly_partitioned_config
from headwater.definitions.partitioned_config import static_partitioned_config as static_partitioned_config
from headwater.definitions.partitioned_config import weekly_partitioned_config as weekly_partitioned_config
from headwater.definitions.partitioned_schedule import (
    build_schedule_from_partitioned_job as build_schedule_from_partitioned_job,
)
from headwater.definitions.partitions_definition import (
    DynamicPartitionsDefinition as DynamicPartitionsDefinition,
)
from headwater.definitions.partitions_definition import PartitionsDefinition as PartitionsDefinition
from headwater.definitions.partitions_definition import (
    StaticPartitionsDefinition as StaticPartitionsDefinition,
)
from headwater.definitions.pipes.client import PipesClient as PipesClient
from headwater.definitions.pipes.client import (
    PipesClientCompletedInvocation as PipesClientCompletedInvocation,
)
from headwater.definitions.pipes.client import PipesExecutionError as PipesExecutionError
from headwater.definitions.pipes.client import PipesSubprocessClient as PipesSubprocessClient
from headwater.definitions.pipes.session import PipesMessageHandler as PipesMessageHandler
from headwater.definitions.pipes.session import PipesSession as PipesSession
from headwater.definitions.pipes.session import open_pipes_session as open_pipes_session
from headwater.definitions.pipes.transport import PipesContextInjector as PipesContextInjector
from headwater.definitions.pipes.transport import PipesEnvContextInjector as PipesEnvContextInjector
from headwater.definitions.pipes.transport import PipesMessageReader as PipesMessageReader
from headwater.definitions.pipes.transport import PipesTempFileContextInjector as PipesTempFileContextInjector
from headwater.definitions.pipes.transport import PipesTempFileMessageReader as PipesTempFileMessageReader
from headwater.definitions.reconstructable import ReconstructableJob as ReconstructableJob
from headwater.definitions.reconstructable import build_reconstructable_job as build_reconstructable_job
from headwater.definitions.reconstructable import reconstructable as reconstructable
from headwater.definitions.repository import RepositoryDefinition as RepositoryDefinition
from headwater.definitions.repository import repository as repository
from headwater.definitions.resource_context import InitResourceContext as InitResourceContext
from headwater.definitions.resources import ResourceDefinition as ResourceDefinition
from headwater.definitions.resources import ResourceDependency as ResourceDependency
from headwater.definitions.resources import ResourceParam as ResourceParam
from headwater.definitions.resources import resource as resource
from headwater.definitions.results import AssetCheckResult as AssetCheckResult
from headwater.definitions.results import DynamicOutput as DynamicOutput
from headwater.definitions.results import ExpectationResult as ExpectationResult
from headwater.definitions.results import Failure as Failure
from headwater.definitions.results import MaterializeResult as MaterializeResult
from headwater.definitions.results import ObserveResult as ObserveResult
from headwater.definitions.results import Output as Output
from headwater.definitions.results import RetryRequested as RetryRequested
from headwater.definitions.retry import Backoff as Backoff
from headwater.definitions.retry import Jitter as Jitter
from headwater.definitions.retry import RetryPolicy as RetryPolicy
from headwater.definitions.run_request import DefaultScheduleStatus as DefaultScheduleStatus
from headwater.definitions.run_request import DefaultSensorStatus as DefaultSensorStatus
from headwater.definitions.run_request import RunRequest as RunRequest
from headwater.definitions.run_request import SensorResult as SensorResult
from headwater.definitions.run_request import SkipReason as SkipReason
from headwater.definitions.run_status_sensor import RunFailureSensorContext as RunFailureSensorContext
from headwater.definitions.run_status_sensor import RunStatusSensorContext as RunStatusSensorContext
from headwater.definitions.run_status_sensor import RunStatusSensorDefinition as RunStatusSensorDefinition
from headwater.definitions.run_status_sensor import run_failure_sensor as run_failure_sensor
from headwater.definitions.run_status_sensor import run_status_sensor as run_status_sensor
from headwater.definitions.schedule_definition import ScheduleDefinition as ScheduleDefinition
from headwater.definitions.schedule_definition import ScheduleEvaluationContext as ScheduleEvaluationContext
from headwater.definitions.schedule_definition import schedule as schedule
from headwater.definitions.sensor_definition import SensorDefinition as SensorDefinition
from headwater.definitions.sensor_definition import SensorEvaluationContext as SensorEvaluationContext
from headwater.definitions.sensor_definition import sensor as sensor
from headwater.definitions.source_code import AnchorBasedFilePathMapping as AnchorBasedFilePathMapping
from headwater.definitions.source_code import FilePathMapping as FilePathMapping
from headwater.definitions.source_code import link_code_references_to_git as link_code_references_to_git
from headwater.definitions.source_code import with_source_code_references as with_source_code_references
from headwater.definitions.time_window_partitions import (
    DailyPartitionsDefinition as DailyPartitionsDefinition,
)
from headwater.definitions.time_window_partitions import (
    HourlyPartitionsDefinition as HourlyPartitionsDefinition,
)
from headwater.definitions.time_window_partitions import (
    MonthlyPartitionsDefinition as MonthlyPartitionsDefinition,
)
from headwater.definitions.time_window_partitions import (
    TimeWindowPartitionsDefinition as TimeWindowPartitionsDefinition,
)
from headwater.definitions.time_window_partitions import (
    WeeklyPartitionsDefinition as WeeklyPartitionsDefinition,
)
from headwater.definitions.type_loader import DagsterTypeLoader as DagsterTypeLoader
from headwater.definitions.type_loader import DagsterTypeLoaderContext as DagsterTypeLoaderContext
from headwater.definitions.type_loader import dagster_type_loader as dagster_type_loader
from headwater.definitions.type_resolution import check_dagster_type as check_dagster_type
from headwater.definitions.type_resolution import (
    make_python_type_usable_as_dagster_type as make_python_type_usable_as_dagster_type,
)
from headwater.definitions.type_resolution import usable_as_dagster_type as usable_as_dagster_type
from headwater.definitions.types import DagsterType as DagsterType
from headwater.definitions.types import DagsterTypeKind as DagsterTypeKind
from headwater.definitions.types import Nothing as Nothing
from headwater.definitions.types import PythonObjectDagsterType as PythonObjectDagsterType
from headwater.definitions.types import TypeCheck as TypeCheck
from headwater.definitions.upath_io_manager import UPathIOManager as UPathIOManager
from headwater.definitions.values_resource import make_values_resource as make_values_resource
from headwater.definitions.with_resources import with_resources as with_resources
from headwater.errors import AssetCheckFailedError as AssetCheckFailedError
from headwater.errors import CircularDependencyError as CircularDependencyError
from headwater.errors import ExecutionInterruptedError as ExecutionInterruptedError
from headwater.errors import HandleOutputError as HandleOutputError
from headwater.errors import HeadwaterError as HeadwaterError
from headwater.errors import InvalidConfigError as InvalidConfigError
from headwater.errors import InvalidDefinitionError as InvalidDefinitionError
from headwater.errors import InvalidInvocationError as InvalidInvocationError
from headwater.errors import InvalidObservationError as InvalidObservationError
from headwater.errors import InvalidPropertyError as InvalidPropertyError
from headwater.errors import InvalidSubsetError as InvalidSubsetError
from headwater.errors import InvariantViolationError as InvariantViolationError
from headwater.errors import LoadInputError as LoadInputError
from headwater.errors import MaxRetriesExceededError as MaxRetriesExceededError
from headwater.errors import ResourceInitError as ResourceInitError
from headwater.errors import RunNotFoundError as RunNotFoundError
from headwater.errors import StepExecutionError as StepExecutionError
from headwater.errors import StepOutputNotFoundError as StepOutputNotFoundError
from headwater.errors import StepWorkerError as StepWorkerError
from headwater.errors import TypeCheckDidNotPass as TypeCheckDidNotPass
from headwater.errors import TypeCheckError as TypeCheckError
from headwater.errors import UnknownPartitionError as UnknownPartitionError
from headwater.errors import UnknownResourceError as UnknownResourceError
from headwater.errors import UnmetExecutorRequirementsError as UnmetExecutorRequirementsError
from headwater.errors import UserCodeExecutionError as UserCodeExecutionError
from headwater.events.event import Event as Event
from headwater.events.event import EventLogEntry as EventLogEntry
from headwater.events.event import EventLogRecord as EventLogRecord
from headwater.events.event_type import EventType as EventType
from headwater.events.run_status import RunStatus as RunStatus
from headwater.events.serialized_values import deserialize_value as deserialize_value
from headwater.events.serialized_values import serialize_value as serialize_value
from headwater.execution.api import materialize as materialize
from headwater.execution.api import materialize_to_memory as materialize_to_memory
from headwater.execution.api import observe as observe
from headwater.execution.asset_value_loader import AssetValueLoader as AssetValueLoader
from headwater.execution.automation import (
    EvaluateAutomationConditionsResult as EvaluateAutomationConditionsResult,
)
from headwater.execution.automation import evaluate_automation_conditions as evaluate_automation_conditions
from headwater.execution.check_context import AssetCheckExecutionContext as AssetCheckExecutionContext
from headwater.execution.check_context import build_asset_check_context as build_asset_check_context
from headwater.execution.context import AssetExecutionContext as AssetExecutionContext
from headwater.execution.context import OpExecutionContext as OpExecutionContext
from headwater.execution.context import build_asset_context as build_asset_context
from headwater.execution.context import build_op_context as build_op_context
from headwater.execution.hook_context import HookContext as HookContext
from headwater.execution.hook_context import build_hook_context as build_hook_context
from headwater.execution.in_process_executor import in_process_executor as in_process_executor
from headwater.execution.instigator_contexts import (
    build_multi_asset_sensor_context as build_multi_asset_sensor_context,
)
from headwater.execution.instigator_contexts import (
    build_run_status_sensor_context as build_run_status_sensor_context,
)
from headwater.execution.instigator_contexts import build_schedule_context as build_schedule_context
from headwater.execution.instigator_contexts import build_sensor_context as build_sensor_context
from headwater.execution.io_context_builders import build_input_context as build_input_context
from headwater.execution.io_context_builders import build_output_context as build_output_context
from headwater.execution.orchestration import PlanOrchestrationContext as PlanOrchestrationContext
from headwater.execution.resource_builder import build_init_resource_context as build_init_resource_context
from headwater.execution.resource_builder import build_resources as build_resources
from headwater.execution.result import ExecuteInProcessResult as ExecuteInProcessResult
from headwater.executors.job_execution import JobExecutionResult as JobExecutionResult
from headwater.executors.job_execution import ReexecutionOptions as ReexecutionOptions
from headwater.executors.job_execution import execute_job as execute_job
from headwater.executors.multiprocess import MultiprocessExecutor as MultiprocessExecutor
from headwater.executors.multiprocess import multi_or_in_process_executor as multi_or_in_process_executor
from headwater.executors.multiprocess import multiprocess_executor as multiprocess_executor
from headwater.instance import Instance as Instance
from headwater.runs.coordinator import ImmediateRunCoordinator as ImmediateRunCoordinator
from headwater.runs.coordinator import QueuedRunCoordinator as QueuedRunCoordinator
from headwater.runs.launcher import DefaultRunLauncher as DefaultRunLauncher
from headwater.selection.asset_selection import AssetSelection as AssetSelection
from headwater.selection.partition_status import AssetPartitionStatus as AssetPartitionStatus
from headwater.selection.partition_status import PartitionStatusRanges as PartitionStatusRanges
from headwater.specs.automation_condition import AutomationCondition as AutomationCondition
from headwater.specs.backfill_policy import BackfillPolicy as BackfillPolicy
from headwater.specs.backfill_policy import BackfillPolicyType as BackfillPolicyType
from headwater.specs.dynamic_partitions_request import (
    AddDynamicPartitionsRequest as AddDynamicPartitionsRequest,
)
from headwater.specs.dynamic_partitions_request import (
    DeleteDynamicPartitionsRequest as DeleteDynamicPartitionsRequest,
)
from headwater.specs.freshness import FreshnessPolicy as FreshnessPolicy
from headwater.specs.freshness import FreshnessState as FreshnessState
from headwater.specs.freshness import LegacyFreshnessPolicy as LegacyFreshnessPolicy
from headwater.specs.partition_mappings import AllPartitionMapping as AllPartitionMapping
from headwater.specs.partition_mappings import DimensionPartitionMapping as DimensionPartitionMapping
from headwater.specs.partition_mappings import IdentityPartitionMapping as IdentityPartitionMapping
from headwater.specs.partition_mappings import LastPartitionMapping as LastPartitionMapping
from headwater.specs.partition_mappings import MultiPartitionMapping as MultiPartitionMapping
from headwater.specs.partition_mappings import (
    MultiToSingleDimensionPartitionMapping as MultiToSingleDimensionPartitionMapping,
)
from headwater.specs.partition_mappings import PartitionMapping as PartitionMapping
from headwater.specs.partition_mappings import (
    SpecificPartitionsPartitionMapping as SpecificPartitionsPartitionMapping,
)
from headwater.specs.partition_mappings import StaticPartitionMapping as StaticPartitionMapping
from headwater.specs.partition_mappings import TimeWindowPartitionMapping as TimeWindowPartitionMapping
from headwater.storage.backfills import BulkActionsFilter as BulkActionsFilter
from headwater.storage.backfills import BulkActionStatus as BulkActionStatus
from headwater.storage.backfills import PartitionBackfill as PartitionBackfill
from headwater.storage.records import AssetRecordsFilter as AssetRecordsFilter
from headwater.storage.records import EventRecordsFilter as EventRecordsFilter
from headwater.storage.records import EventRecordsResult as EventRecordsResult
from headwater.storage.records import Run as Run
from headwater.storage.records import RunRecord as RunRecord
from headwater.storage.records import RunsFilter as RunsFilter
from headwater.testing import instance_for_test as instance_for_test

__version__: str

__all__ = [
    "AddDynamicPartitionsRequest",
    "AllPartitionMapping",
    "AnchorBasedFilePathMapping",
    "Array",
    "AssetCheckEvaluation",
    "AssetCheckExecutionContext",
    "AssetCheckFailedError",
    "AssetCheckKey",
    "AssetCheckResult",
    "AssetCheckSeverity",
    "AssetCheckSpec",
    "AssetChecksDefinition",
    "AssetDep",
    "AssetExecutionContext",
    "AssetIn",
    "AssetKey",
    "AssetMaterialization",
    "AssetObservation",
    "AssetOut",
    "AssetPartitionStatus",
    "AssetRecordsFilter",
    "AssetSelection",
    "AssetSensorDefinition",
    "AssetSpec",
    "AssetValueLoader",
    "AssetsDefinition",
    "AutomationCondition",
    "AutomationConditionSensorDefinition",
    "BackfillPolicy",
    "BackfillPolicyType",
    "Backoff",
    "BoolMetadataValue",
    "BoolSource",
    "BulkActionStatus",
    "BulkActionsFilter",
    "CircularDependencyError",
    "CodeReferencesMetadataValue",
    "Component",
    "ComponentLoadContext",
    "Config",
    "ConfigurableIOManager",
    "ConfigurableIOManagerFactory",
    "ConfigurableResource",
    "ConfigurableResourceFactory",
    "DagsterAssetMetadataValue",
    "DagsterJobMetadataValue",
    "DagsterRunMetadataValue",
    "DagsterType",
    "DagsterTypeKind",
    "DagsterTypeLoader",
    "DagsterTypeLoaderContext",
    "DailyPartitionsDefinition",
    "DataProvenance",
    "DataVersion",
    "DataVersionsByPartition",
    "DefaultRunLauncher",
    "DefaultScheduleStatus",
    "DefaultSensorStatus",
    "Definitions",
    "DefinitionsComponent",
    "DefsFolderComponent",
    "DeleteDynamicPartitionsRequest",
    "DependencyDefinition",
    "DimensionPartitionMapping",
    "DynamicOut",
    "DynamicOutput",
    "DynamicPartitionsDefinition",
    "Enum",
    "EnumValue",
    "EnvVar",
    "EvaluateAutomationConditionsResult",
    "Event",
    "EventLogEntry",
    "EventLogRecord",
    "EventRecordsFilter",
    "EventRecordsResult",
    "EventType",
    "ExecuteInProcessResult",
    "ExecutionInterruptedError",
    "Executor",
    "ExecutorDefinition",
    "ExpectationResult",
    "Failure",
    "Field",
    "FilePathMapping",
    "FilesystemIOManager",
    "FloatMetadataValue",
    "FreshnessPolicy",
    "FreshnessState",
    "FunctionComponent",
    "GraphDefinition",
    "GraphIn",
    "GraphOut",
    "HandleOutputError",
    "HeadwaterError",
    "HookContext",
    "HookDefinition",
    "HourlyPartitionsDefinition",
    "IOManager",
    "IOManagerDefinition",
    "IdentityPartitionMapping",
    "ImmediateRunCoordinator",
    "In",
    "InMemoryIOManager",
    "InitExecutorContext",
    "InitLoggerContext",
    "InitResourceContext",
    "InputContext",
    "InputManager",
    "InputManagerDefinition",
    "Instance",
    "IntMetadataValue",
    "IntSource",
    "InvalidConfigError",
    "InvalidDefinitionError",
    "InvalidInvocationError",
    "InvalidObservationError",
    "InvalidPropertyError",
    "InvalidSubsetError",
    "InvariantViolationError",
    "Jitter",
    "JobDefinition",
    "JobExecutionResult",
    "JsonMetadataValue",
    "LastPartitionMapping",
    "LegacyFreshnessPolicy",
    "LoadInputError",
    "LocalFileCodeReference",
    "LoggerDefinition",
    "Map",
    "MarkdownMetadataValue",
    "MaterializeResult",
    "MaxRetriesExceededError",
    "MetadataValue",
    "Model",
    "MonthlyPartitionsDefinition",
    "MultiAssetSensorDefinition",
    "MultiAssetSensorEvaluationContext",
    "MultiDependencyDefinition",
    "MultiPartitionKey",
    "MultiPartitionMapping",
    "MultiPartitionsDefinition",
    "MultiToSingleDimensionPartitionMapping",
    "MultiprocessExecutor",
    "NodeInvocation",
    "Noneable",
    "NotebookMetadataValue",
    "Nothing",
    "NullMetadataValue",
    "ObserveResult",
    "OpDefinition",
    "OpExecutionContext",
    "Out",
    "Output",
    "OutputContext",
    "PartitionBackfill",
    "PartitionKeyRange",
    "PartitionMapping",
    "PartitionStatusRanges",
    "PartitionedConfig",
    "PartitionsDefinition",
    "PathMetadataValue",
    "Permissive",
    "PermissiveConfig",
    "PipesClient",
    "PipesClientCompletedInvocation",
    "PipesContextInjector",
    "PipesEnvContextInjector",
    "PipesExecutionError",
    "PipesMessageHandler",
    "PipesMessageReader",
    "PipesSession",
    "PipesSubprocessClient",
    "PipesTempFileContextInjector",
    "PipesTempFileMessageReader",
    "PlanOrchestrationContext",
    "PoolMetadataValue",
    "PythonArtifactMetadataValue",
    "PythonObjectDagsterType",
    "PythonScriptComponent",
    "QueuedRunCoordinator",
    "ReconstructableJob",
    "ReexecutionOptions",
    "RepositoryDefinition",
    "Resolvable",
    "ResourceDefinition",
    "ResourceDependency",
    "ResourceInitError",
    "ResourceParam",
    "RetryPolicy",
    "RetryRequested",
    "Run",
    "RunConfig",
    "RunFailureSensorContext",
    "RunNotFoundError",
    "RunRecord",
    "RunRequest",
    "RunStatus",
    "RunStatusSensorContext",
    "RunStatusSensorDefinition",
    "RunsFilter",
    "ScalarUnion",
    "ScheduleDefinition",
    "ScheduleEvaluationContext",
    "Selector",
    "SensorDefinition",
    "SensorEvaluationContext",
    "SensorResult",
    "Shape",
    "SkipReason",
    "SourceAsset",
    "SpecificPartitionsPartitionMapping",
    "StaleCause",
    "StaleCauseCategory",
    "StaleStatus",
    "StaticPartitionMapping",
    "StaticPartitionsDefinition",
    "StepExecutionError",
    "StepOutputNotFoundError",
    "StepWorkerError",
    "StringSource",
    "TableColumn",
    "TableColumnConstraints",
    "TableColumnDep",
    "TableColumnLineage",
    "TableColumnLineageMetadataValue",
    "TableConstraints",
    "TableMetadata",
    "TableMetadataValue",
    "TableRecord",
    "TableSchema",
    "TableSchemaMetadataValue",
    "TextMetadataValue",
    "TimeWindow",
    "TimeWindowPartitionMapping",
    "TimeWindowPartitionsDefinition",
    "TimestampMetadataValue",
    "TypeCheck",
    "TypeCheckDidNotPass",
    "TypeCheckError",
    "UPathIOManager",
    "UnknownPartitionError",
    "UnknownResourceError",
    "UnmetExecutorRequirementsError",
    "UnresolvedAssetJobDefinition",
    "UrlCodeReference",
    "UrlMetadataValue",
    "UserCodeExecutionError",
    "WeeklyPartitionsDefinition",
    "apply_freshness_policy",
    "asset",
    "asset_check",
    "asset_sensor",
    "build_asset_check_context",
    "build_asset_context",
    "build_column_schema_change_checks",
    "build_hook_context",
    "build_init_logger_context",
    "build_init_resource_context",
    "build_input_context",
    "build_last_update_freshness_checks",
    "build_metadata_bounds_checks",
    "build_multi_asset_sensor_context",
    "build_op_context",
    "build_output_context",
    "build_reconstructable_job",
    "build_resources",
    "build_run_status_sensor_context",
    "build_schedule_context",
    "build_schedule_from_partitioned_job",
    "build_sensor_context",
    "build_sensor_for_freshness_checks",
    "build_time_partition_freshness_checks",
    "check_dagster_type",
    "colored_console_logger",
    "configured",
    "custom_path_fs_io_manager",
    "dagster_type_loader",
    "daily_partitioned_config",
    "define_asset_job",
    "deserialize_value",
    "dynamic_partitioned_config",
    "evaluate_automation_conditions",
    "execute_job",
    "executor",
    "failure_hook",
    "file_relative_path",
    "fs_io_manager",
    "get_dagster_logger",
    "get_logger",
    "graph",
    "graph_asset",
    "graph_multi_asset",
    "hourly_partitioned_config",
    "in_process_executor",
    "input_manager",
    "instance_for_test",
    "io_manager",
    "job",
    "json_console_logger",
    "launch_backfill",
    "lazy_definitions",
    "link_code_references_to_git",
    "load_asset_checks_from_current_module",
    "load_asset_checks_from_modules",
    "load_asset_checks_from_package_module",
    "load_asset_checks_from_package_name",
    "load_assets_from_current_module",
    "load_assets_from_modules",
    "load_assets_from_package_module",
    "load_assets_from_package_name",
    "load_definitions_from_current_module",
    "load_definitions_from_module",
    "load_definitions_from_modules",
    "load_definitions_from_package_module",
    "load_definitions_from_package_name",
    "load_defs",
    "load_from_defs_folder",
    "logger",
    "make_python_type_usable_as_dagster_type",
    "make_values_resource",
    "map_asset_specs",
    "materialize",
    "materialize_to_memory",
    "mem_io_manager",
    "monthly_partitioned_config",
    "multi_asset",
    "multi_asset_check",
    "multi_asset_sensor",
    "multi_observable_source_asset",
    "multi_or_in_process_executor",
    "multiprocess_executor",
    "observable_source_asset",
    "observe",
    "op",
    "open_pipes_session",
    "reconstructable",
    "repository",
    "resource",
    "run_failure_sensor",
    "run_status_sensor",
    "schedule",
    "sensor",
    "serialize_value",
    "static_partitioned_config",
    "success_hook",
    "template_var",
    "usable_as_dagster_type",
    "weekly_partitioned_config",
    "with_resources",
    "with_source_code_references",
]
