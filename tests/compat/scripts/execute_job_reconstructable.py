"""Running a job from Python as Dagster scripts do: execute_job(reconstructable(job), instance) with the
default (multiprocess) executor, run config choosing in-process, op selection, tags, re-execution."""

import dagster as dg
from _report import show_error, show_run


@dg.op
def one() -> int:
    return 1


@dg.op
def add(x: int) -> int:
    return x + 1


@dg.op
def double(x: int) -> int:
    return x * 2


@dg.op
def flaky(x: int) -> int:
    raise ValueError("flaky failed")


@dg.job
def math_job():
    double(add(one()))


@dg.job
def failing_job():
    flaky(one())


def make_math_job() -> dg.JobDefinition:
    return math_job


if __name__ == "__main__":
    with dg.instance_for_test() as instance:
        recon_math = dg.reconstructable(math_job)
        with dg.execute_job(recon_math, instance=instance, tags={"team": "data"}) as result:
            show_run("multiprocess", result)
            print("output", result.output_for_node("double"))
            print("tags", result.dagster_run.tags.get("team"))
            print("is JobExecutionResult", isinstance(result, dg.JobExecutionResult))
        in_process = {"execution": {"config": {"in_process": {}}}}
        with dg.execute_job(recon_math, instance=instance, run_config=in_process) as result:
            show_run("in process", result)
            print("output", result.output_for_node("double"))
        with dg.execute_job(recon_math, instance=instance, op_selection=["one", "add"]) as result:
            show_run("op selection", result)
            print("output", result.output_for_node("add"))
        with dg.execute_job(dg.reconstructable(failing_job), instance=instance) as failed:
            show_run("failure, raise_on_error defaults to False", failed)
        options = dg.ReexecutionOptions.from_failure(failed.run_id, instance)
        with dg.execute_job(
            dg.reconstructable(failing_job), instance=instance, reexecution_options=options
        ) as again:
            show_run("re-executed from failure", again)
            print("parent is the failed run", again.dagster_run.parent_run_id == failed.run_id)
        recon = dg.build_reconstructable_job("execute_job_reconstructable", "make_math_job")
        print("rebuilt", recon.get_definition().name)
        with dg.execute_job(dg.reconstructable(make_math_job), instance=instance) as result:
            show_run("reconstructable(a function that returns the job)", result)
        show_error("reconstructable of a lambda", lambda: dg.reconstructable(lambda: None))
