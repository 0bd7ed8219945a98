"""The mutations: each a thin call into the module of its noun, returning a typed result (an unexpected
exception becomes a ``PythonError``, never a failed request: ``or_python_error``)."""

from __future__ import annotations

import strawberry

from headwater.storage.instigators import InstigatorStatus
from headwater.webserver.context import as_context
from headwater.webserver.graphql import asset_wipe, backfills, launch, location_reload, run_termination
from headwater.webserver.graphql import backfill_mutations as bm
from headwater.webserver.graphql import instigator_mutations as im
from headwater.webserver.graphql.errors import or_python_error
from headwater.webserver.graphql.launch_inputs import (
    ExecutionParams,
    LaunchRunReexecutionResult,
    LaunchRunResult,
    MaterializeParams,
    ReexecutionParams,
)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Launch a run of a job, or of assets (selector.assetSelection).")
    @or_python_error
    def launch_run(self, info: strawberry.Info, execution_params: ExecutionParams) -> LaunchRunResult:
        return launch.launch_run(as_context(info.context), execution_params)

    @strawberry.mutation(description="Dagster's older name of launchRun (what DagsterGraphQLClient sends).")
    @or_python_error
    def launch_pipeline_execution(
        self, info: strawberry.Info, execution_params: ExecutionParams
    ) -> LaunchRunResult:
        return launch.launch_run(as_context(info.context), execution_params)

    @strawberry.mutation(description="Materialize assets (keys or a selection) of one location in one run.")
    @or_python_error
    def materialize_assets(self, info: strawberry.Info, params: MaterializeParams) -> LaunchRunResult:
        return launch.materialize(as_context(info.context), params)

    @strawberry.mutation(description="Re-execute a finished run: all steps, from failure, or some steps.")
    @or_python_error
    def launch_run_reexecution(
        self,
        info: strawberry.Info,
        reexecution_params: ReexecutionParams | None = None,
        execution_params: ExecutionParams | None = None,
    ) -> LaunchRunReexecutionResult:
        return launch.reexecute(as_context(info.context), reexecution_params, execution_params)

    @strawberry.mutation(description="Cancel a run.")
    @or_python_error
    def terminate_run(
        self,
        info: strawberry.Info,
        run_id: str,
        terminate_policy: run_termination.TerminateRunPolicy | None = None,
    ) -> run_termination.TerminateRunResult:
        return run_termination.terminate(as_context(info.context), run_id, terminate_policy)

    @strawberry.mutation(description="Cancel several runs: one result each, in the order given.")
    @or_python_error
    def terminate_runs(
        self,
        info: strawberry.Info,
        run_ids: list[str],
        terminate_policy: run_termination.TerminateRunPolicy | None = None,
    ) -> run_termination.TerminateRunsResultOrError:
        return run_termination.terminate_many(as_context(info.context), run_ids, terminate_policy)

    @strawberry.mutation(description="Reload a location's code; a load error is kept and shown.")
    @or_python_error
    def reload_repository_location(
        self, info: strawberry.Info, repository_location_name: str
    ) -> location_reload.ReloadRepositoryLocationMutationResult:
        return location_reload.reload(as_context(info.context), repository_location_name)

    @strawberry.mutation(description="Stop a location's server and start it again (managed locations).")
    @or_python_error
    def shutdown_repository_location(
        self, info: strawberry.Info, repository_location_name: str
    ) -> location_reload.ShutdownRepositoryLocationMutationResult:
        return location_reload.shutdown(as_context(info.context), repository_location_name)

    @strawberry.mutation(description="Wipe assets: forget their materializations, partitions and checks.")
    @or_python_error
    def wipe_assets(
        self, info: strawberry.Info, asset_partition_ranges: list[asset_wipe.PartitionsByAssetSelector]
    ) -> asset_wipe.AssetWipeMutationResult:
        return asset_wipe.wipe(as_context(info.context), asset_partition_ranges)

    # -- schedules and sensors (instigator_mutations) -------------------------------------------------
    @strawberry.mutation(description="Start a schedule: its ticks are due from now on.")
    @or_python_error
    def start_schedule(
        self, info: strawberry.Info, schedule_selector: im.ScheduleSelector
    ) -> im.ScheduleMutationResult:
        sel = schedule_selector
        ctx = as_context(info.context)
        location, repository, name = sel.repository_location_name, sel.repository_name, sel.schedule_name
        return im.set_schedule_status(ctx, location, repository, name, InstigatorStatus.RUNNING)

    @strawberry.mutation(description="Stop a schedule, by its state id (``<location>:<name>``).")
    @or_python_error
    def stop_running_schedule(
        self,
        info: strawberry.Info,
        id: str | None = None,
        schedule_origin_id: str | None = None,
        schedule_selector_id: str | None = None,
    ) -> im.ScheduleMutationResult:
        return im.stop_schedule_by_id(
            as_context(info.context), id or schedule_selector_id or schedule_origin_id or ""
        )

    @strawberry.mutation(
        description="Forget whether a schedule was started or stopped: its default_status decides."
    )
    @or_python_error
    def reset_schedule(
        self, info: strawberry.Info, schedule_selector: im.ScheduleSelector
    ) -> im.ScheduleMutationResult:
        sel = schedule_selector
        ctx = as_context(info.context)
        location, repository, name = sel.repository_location_name, sel.repository_name, sel.schedule_name
        return im.set_schedule_status(ctx, location, repository, name, InstigatorStatus.DECLARED_IN_CODE)

    @strawberry.mutation(description="Start a sensor.")
    @or_python_error
    def start_sensor(self, info: strawberry.Info, sensor_selector: im.SensorSelector) -> im.SensorOrError:
        sel = sensor_selector
        return im.set_sensor_status(
            as_context(info.context), sel.repository_location_name, sel.repository_name, sel.sensor_name,
            InstigatorStatus.RUNNING,
        )  # fmt: skip

    @strawberry.mutation(description="Stop a sensor, by its state id (``<location>:<name>``).")
    @or_python_error
    def stop_sensor(
        self,
        info: strawberry.Info,
        id: str | None = None,
        job_origin_id: str | None = None,
        job_selector_id: str | None = None,
    ) -> im.StopSensorMutationResultOrError:
        return im.stop_sensor_by_id(as_context(info.context), id or job_selector_id or job_origin_id or "")

    @strawberry.mutation(
        description="Forget whether a sensor was started or stopped: its default_status decides."
    )
    @or_python_error
    def reset_sensor(self, info: strawberry.Info, sensor_selector: im.SensorSelector) -> im.SensorOrError:
        sel = sensor_selector
        return im.set_sensor_status(
            as_context(info.context), sel.repository_location_name, sel.repository_name, sel.sensor_name,
            InstigatorStatus.DECLARED_IN_CODE,
        )  # fmt: skip

    @strawberry.mutation(description="Set (or, without cursor, delete) a sensor's cursor.")
    @or_python_error
    def set_sensor_cursor(
        self, info: strawberry.Info, sensor_selector: im.SensorSelector, cursor: str | None = None
    ) -> im.SensorOrError:
        return im.set_sensor_cursor(as_context(info.context), sensor_selector, cursor)

    @strawberry.mutation(description="Store a backfill of assets over a choice of partitions.")
    @or_python_error
    def launch_partition_backfill(
        self, info: strawberry.Info, backfill_params: backfills.LaunchBackfillParams
    ) -> backfills.LaunchBackfillResult:
        return backfills.launch_backfill(as_context(info.context), backfill_params)

    @strawberry.mutation(description="Cancel a backfill: no more runs; those running are canceled.")
    @or_python_error
    def cancel_partition_backfill(self, info: strawberry.Info, backfill_id: str) -> bm.CancelBackfillResult:
        return bm.cancel(as_context(info.context), backfill_id)

    @strawberry.mutation(description="Resume a paused or FAILED backfill where its runs stand.")
    @or_python_error
    def resume_partition_backfill(self, info: strawberry.Info, backfill_id: str) -> bm.ResumeBackfillResult:
        return bm.resume(as_context(info.context), backfill_id)

    @strawberry.mutation(description="Pause a backfill: no more runs are submitted until it is resumed.")
    @or_python_error
    def pause_partition_backfill(self, info: strawberry.Info, backfill_id: str) -> bm.PauseBackfillResult:
        return bm.pause(as_context(info.context), backfill_id)
