from headwater import (
    DefaultSensorStatus,
    Definitions,
    RunRequest,
    ScheduleDefinition,
    SkipReason,
    job,
    op,
    sensor,
)


@op
def work() -> None:
    pass


@job
def the_job() -> None:
    work()


nightly = ScheduleDefinition(name="nightly", cron_schedule="0 0 * * *", job=the_job)


@sensor(job=the_job, default_status=DefaultSensorStatus.RUNNING)
def inbox(context):
    if context.cursor == "done":
        return SkipReason("inbox empty")
    context.update_cursor("done")
    return RunRequest(run_key="first", tags={"source": "inbox"})


@sensor(job=the_job)
def broken(context):
    raise ValueError("cannot reach the bucket")


defs = Definitions(jobs=[the_job], schedules=[nightly], sensors=[inbox, broken])
