"""Loggers and executors as definitions: @logger with config, run config `loggers:` (records with
dagster_meta), build_init_logger_context, the built-in console loggers; ExecutorDefinition facts."""

import logging

import dagster as dg
from _report import show_error, show_run

RECORDS = []


class ListHandler(logging.Handler):
    def emit(self, record):
        RECORDS.append(record)


@dg.logger(
    {"log_level": dg.Field(str, is_required=False, default_value="INFO"), "tag": str}, description="lists"
)
def list_logger(init_context):
    made = logging.Logger(
        "list_" + init_context.logger_config["tag"], level=init_context.logger_config["log_level"]
    )
    made.addHandler(ListHandler())
    return made


@dg.op
def hello(context):
    context.log.info("hello from op")
    dg.get_dagster_logger().warning("warned via get_dagster_logger")
    return 1


@dg.job(logger_defs={"lister": list_logger})
def logged():
    hello()


@dg.job
def plain():
    hello()


@dg.executor(name="custom", config_schema={"n": int})
def custom_executor(init_context):
    # Only the definition is compared (name, config schema); no job here runs on this executor.
    raise NotImplementedError("the parity script never runs on this executor")


if __name__ == "__main__":
    print(type(list_logger).__name__, list_logger.description)
    result = logged.execute_in_process(run_config={"loggers": {"lister": {"config": {"tag": "a"}}}})
    show_run("with a logger", result)
    user = [r for r in RECORDS if "hello from op" in r.getMessage()]
    print("user records", len(user), user[0].levelname, user[0].name)
    meta = user[0].dagster_meta
    print("meta keys", sorted(meta))
    print("meta", meta["orig_message"], meta["step_key"], meta["job_name"], meta["dagster_event"])
    print("levels", sorted({r.levelname for r in RECORDS}))
    print("get_dagster_logger records", len([r for r in RECORDS if "warned" in r.getMessage()]))
    RECORDS.clear()
    logged.execute_in_process(
        run_config={"loggers": {"lister": {"config": {"tag": "a", "log_level": "DEBUG"}}}}
    )
    events = [
        r.dagster_meta["dagster_event"].event_type_value for r in RECORDS if r.dagster_meta["dagster_event"]
    ]
    print("event records include", sorted({"PIPELINE_START", "STEP_START", "STEP_SUCCESS"} & set(events)))
    RECORDS.clear()
    logged.execute_in_process()
    print("no run config, no records", len(RECORDS))
    show_error(
        "missing logger config",
        lambda: logged.execute_in_process(run_config={"loggers": {"lister": {"config": {}}}}),
    )
    show_error(
        "unknown logger", lambda: logged.execute_in_process(run_config={"loggers": {"nope": {"config": {}}}})
    )
    context = dg.build_init_logger_context(logger_config={"tag": "t"})
    made = list_logger(context)
    print("direct", type(made).__name__, made.name, made.level)
    print("builtin", type(dg.json_console_logger).__name__, type(dg.colored_console_logger).__name__)
    print("job loggers", sorted(logged.loggers), sorted(plain.loggers))
    defs = dg.Definitions(jobs=[logged, plain], loggers={"other": list_logger})
    print(
        "from Definitions",
        sorted(defs.get_job_def("logged").loggers),
        sorted(defs.get_job_def("plain").loggers),
    )
    print(
        "executors",
        isinstance(dg.in_process_executor, dg.ExecutorDefinition),
        isinstance(dg.multiprocess_executor, dg.ExecutorDefinition),
    )
    print("custom", type(custom_executor).__name__, custom_executor.name)
    renamed = custom_executor.configured({"n": 1}, name="custom_one")
    print("configured", renamed.name, custom_executor.configured({"n": 1}).name)
