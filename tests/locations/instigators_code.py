import time

from headwater import Config, Definitions, RunRequest, SkipReason, job, op, schedule, sensor


class Settings(Config):
    size: int


@op
def work(config: Settings) -> None:
    pass


@job
def the_job() -> None:
    work()


@sensor(job=the_job)
def hangs(context):
    time.sleep(30)
    return RunRequest()


@sensor(job=the_job)
def raises(context):
    raise KeyError("missing_column")


@sensor(job=the_job)
def counts(context):
    n = int(context.cursor or 0) + 1
    context.update_cursor(str(n))
    return RunRequest(run_key=str(n), run_config={"ops": {"work": {"config": {"size": n}}}})


@schedule("0 * * * *", job=the_job)
def hourly(context):
    if context.scheduled_execution_time.hour % 2:
        return SkipReason("odd hour")
    return RunRequest(
        run_config={"ops": {"work": {"config": {"size": context.scheduled_execution_time.hour}}}}
    )


defs = Definitions(jobs=[the_job], sensors=[hangs, raises, counts], schedules=[hourly])
