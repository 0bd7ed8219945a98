"""A SQLite database written by Headwater at commit aaae449 (event log formats 1 and 2, runs of format 1,
snapshots of format 1), and the objects it holds, to check that every stored row still reads back equal.

The builders below use only constructors that both that release and this code have, so one function
gives the objects the old code stored and the objects the new code must read back. To regenerate the
fixture (``release_aaae449.db`` and ``release_aaae449.json`` beside this file) from the old code::

    git archive aaae449 src | tar -x -C /tmp/hw_old
    PYTHONPATH=/tmp/hw_old/src .venv/bin/python tests/storage/release_db.py tests/storage/

Rows of format 2 are what that release writes; rows of format 1 (Headwater 0.1) are rewritten by this
script in place with the format-1 writer (every field, ``module:qualname`` type tags), which the old
code still has as ``core.serde.encode``.
"""

from __future__ import annotations

import json
import os
import pathlib
import sqlite3
import sys
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from typing import Any

from headwater.core.asset_events import (
    AssetCheckEvaluation,
    AssetCheckEvaluationTargetMaterializationData,
    AssetCheckSeverity,
    AssetMaterialization,
    AssetObservation,
)
from headwater.core.asset_key import AssetKey
from headwater.core.error_info import ErrorInfo
from headwater.core.metadata import (
    FloatMetadataValue,
    LocalFileCodeReference,
    MetadataValue,
    TableColumn,
    TableColumnConstraints,
    TableColumnDep,
    TableColumnLineage,
    TableConstraints,
    TableRecord,
    TableSchema,
    TextMetadataValue,
    UrlCodeReference,
    normalize_metadata,
)
from headwater.events import payloads as p
from headwater.events.event import Event, EventLogEntry
from headwater.events.event_type import EventType as E
from headwater.events.run_status import RunStatus
from headwater.planning.plan import build_plan
from headwater.specs.job import InputKind, JobSpec, NodeInputSpec, NodeOutputSpec, NodeSpec, OutputRef
from headwater.storage.runs import Run

DB_NAME = "release_aaae449.db"
EXPECTED_NAME = "release_aaae449.json"
JOB = "__ephemeral_asset_job__"
#: Every third hand-built row is rewritten in format 1.
V1_EVERY = 3


def error() -> ErrorInfo:
    cause = ErrorInfo("KeyError: 'inner'\n", ('  File "a.py", line 3, in f\n    d["inner"]\n',), "KeyError")
    return ErrorInfo(
        "ValueError: outer\n",
        ('  File "a.py", line 5, in g\n    f()\n', '  File "b.py", line 1, in h\n    g()\n'),
        "ValueError",
        cause=cause,
    )


def metadata_of_every_type() -> dict[str, MetadataValue[Any]]:
    schema = TableSchema(
        [
            TableColumn("a", "int", "desc", TableColumnConstraints(False, True, [">0"]), {"pii": "yes"}),
            TableColumn("b"),
        ],
        TableConstraints(["a > b"]),
    )
    return normalize_metadata(
        {
            "text": "x",
            "none_text": TextMetadataValue(None),
            "int": 10**30,
            "float": 1.25,
            "nan": float("nan"),
            "inf": float("inf"),
            "ninf": float("-inf"),
            "none_float": FloatMetadataValue(None),
            "bool": False,
            "json": {"a": [1, 2.5, None, {"b": "c"}]},
            "json_list": [1, "two"],
            "null": None,
            "path": pathlib.PurePosixPath("/tmp/x"),
            "notebook": MetadataValue.notebook("/n.ipynb"),
            "url": MetadataValue.url("https://example.com"),
            "md": MetadataValue.md("# Title"),
            "artifact": MetadataValue.python_artifact(json.dumps),
            "timestamp": MetadataValue.timestamp(datetime(2024, 1, 1, tzinfo=UTC)),
            "run": MetadataValue.dagster_run("run-1"),
            "asset": AssetKey(["a", "b"]),
            "job": MetadataValue.job("j", "loc", repository_name="repo"),
            "table": MetadataValue.table([TableRecord({"a": 1, "b": "x"}), TableRecord({"a": 2, "b": None})]),
            "table_with_schema": MetadataValue.table([], schema),
            "schema": schema,
            "lineage": TableColumnLineage({"x": [TableColumnDep(["s", "t"], "y"), TableColumnDep("u", "v")]}),
            "pool": MetadataValue.pool("db"),
            "code": MetadataValue.code_references(
                [LocalFileCodeReference("/a.py", 3, "def"), UrlCodeReference("https://git/x.py")]
            ),
        }
    )


def _entry(
    run_id: str, i: int, event_type: E, step: str | None, data: Any, message: str | None = None, **kw: Any
) -> EventLogEntry:
    event = Event(event_type, JOB, step_key=step, message=message, event_specific_data=data, pid=4583)
    return EventLogEntry(run_id, 1700000000.0 + i, event, job_name=JOB, step_key=step, **kw)


def entries() -> list[EventLogEntry]:
    """Runs with every kind of event the release stored."""
    meta = metadata_of_every_type()
    out: list[EventLogEntry] = []
    rid = "run-materialize"
    tc = p.TypeCheckData(True, "x")
    seq: list[tuple[E, str | None, Any]] = [
        (E.RUN_STARTING, None, None),
        (E.RUN_START, None, None),
        (E.ENGINE_EVENT, None, p.EngineEventData({"pid": 12, "worker_pids": [1, 2], "ratio": 0.5})),
        (E.ENGINE_EVENT, None, p.EngineEventData({"flag": True, "note": "n", "none": None, "m": {"k": [1]}})),
        (E.ENGINE_EVENT, None, p.EngineEventData({"value": TextMetadataValue("t")}, error())),
        (E.RESOURCE_INIT_STARTED, None, None),
        (E.RESOURCE_INIT_SUCCESS, None, None),
        (E.STEP_START, "a", None),
        (E.ASSET_MATERIALIZATION_PLANNED, None, p.AssetMaterializationPlannedData(AssetKey("a"))),
        (
            E.ASSET_MATERIALIZATION_PLANNED,
            None,
            p.AssetMaterializationPlannedData(AssetKey(["p", "a"]), "2024-01-01"),
        ),
        (E.ASSET_CHECK_EVALUATION_PLANNED, None, p.AssetCheckEvaluationPlanned(AssetKey("a"), "not_null")),
        (E.STEP_INPUT, "a", p.StepInputData("x", tc)),
        (E.STEP_INPUT, "a", p.StepInputData("y")),
        (E.LOADED_INPUT, "a", p.LoadedInputData("x", "io_manager", "result", "up")),
        (E.LOADED_INPUT, "a", p.LoadedInputData("y", "io_manager")),
        (E.STEP_OUTPUT, "a", p.StepOutputData("result", None, p.TypeCheckData(True, "result"), meta)),
        (
            E.STEP_OUTPUT,
            "a",
            p.StepOutputData("result", type_check_data=p.TypeCheckData(False, "int", "not an int")),
        ),
        (E.HANDLED_OUTPUT, "a", p.HandledOutputData("result", "io_manager")),
        (
            E.ASSET_MATERIALIZATION,
            "a",
            AssetMaterialization(AssetKey("a"), "all types", meta, None, {"t": "v"}),
        ),
        (E.ASSET_MATERIALIZATION, "a", AssetMaterialization(AssetKey(["p", "a"]), partition="2024-01-01")),
        (E.ASSET_MATERIALIZATION, "a", AssetMaterialization("a", metadata={"rows": 3, "path": "/x"})),
        (
            E.ASSET_OBSERVATION,
            "a",
            AssetObservation(AssetKey("a"), metadata={"f": 1.5}, tags={"dagster/data_version": "v1"}),
        ),
        (E.ASSET_OBSERVATION, "a", AssetObservation(AssetKey("a"), partition="p1")),
        (
            E.ASSET_CHECK_EVALUATION,
            "a",
            AssetCheckEvaluation(
                AssetKey("a"),
                "not_null",
                False,
                {"bad": 2, "schema": meta["schema"]},
                AssetCheckEvaluationTargetMaterializationData(3, rid, 1700000001.5),
                AssetCheckSeverity.WARN,
                "some nulls",
                True,
                "2024-01-01",
            ),
        ),
        (E.ASSET_CHECK_EVALUATION, "a", AssetCheckEvaluation(AssetKey("a"), "positive", True)),
        (E.STEP_SUCCESS, "a", p.StepSuccessData(12.5)),
        (E.HOOK_COMPLETED, "a", p.HookData("notify")),
        (E.HOOK_SKIPPED, "a", p.HookData("on_failure")),
        (E.RUN_SUCCESS, None, None),
    ]
    for i, (event_type, step, data) in enumerate(seq):
        out.append(_entry(rid, i, event_type, step, data, f"{event_type.value} message"))
    out.append(
        EventLogEntry(
            rid, 1700000100.0, None, job_name=JOB, step_key="a", level=20, user_message="a log line"
        )
    )
    out.append(EventLogEntry(rid, 1700000101.0, None, user_message="", level=10))

    rid = "run-failure"
    user = p.UserFailureData("intentional-failure", "it broke", normalize_metadata({"n": 1, "why": "x"}))
    seq = [
        (E.RUN_START, None, None),
        (E.STEP_START, "f", None),
        (E.STEP_UP_FOR_RETRY, "f", p.StepRetryData(error(), 3.0)),
        (E.STEP_UP_FOR_RETRY, "f", p.StepRetryData(None)),
        (E.STEP_RESTARTED, "f", None),
        (E.STEP_FAILURE, "f", p.StepFailureData(error(), user, "USER_CODE_ERROR")),
        (E.STEP_FAILURE, "g", p.StepFailureData(error())),
        (E.STEP_FAILURE, "h", p.StepFailureData(None, p.UserFailureData("l", None))),
        (E.ASSET_FAILED_TO_MATERIALIZE, "f", p.AssetMaterializationPlannedData(AssetKey("f"), "2024-01-02")),
        (E.HOOK_ERRORED, "f", p.HookData("notify", error())),
        (E.STEP_SKIPPED, "after_f", None),
        (E.RESOURCE_INIT_FAILURE, None, p.EngineEventData(error=error())),
        (E.RUN_FAILURE, None, p.RunFailureData(error(), "STEP_FAILURE", "f")),
        (E.RUN_FAILURE, None, p.RunFailureData(None)),
        (E.RUN_CANCELING, None, None),
        (E.RUN_CANCELED, None, None),
    ]
    for i, (event_type, step, data) in enumerate(seq):
        out.append(_entry(rid, i, event_type, step, data, None if i % 2 else f"{event_type.value} message"))

    rid = "run-dynamic"
    seq = [
        (E.STEP_OUTPUT, "fan", p.StepOutputData("out", "k1", p.TypeCheckData(True, "out"))),
        (E.STEP_OUTPUT, "fan", p.StepOutputData("out", "k2", p.TypeCheckData(True, "out"))),
        (E.STEP_START, "work[k1]", None),
        (E.STEP_INPUT, "work[k1]", p.StepInputData("x", p.TypeCheckData(True, "x", "described"))),
        (E.STEP_OUTPUT, "work[k1]", p.StepOutputData("result", None, None, normalize_metadata({"n": 1}))),
        (E.STEP_SUCCESS, "work[k1]", p.StepSuccessData(0.0)),
    ]
    for i, (event_type, step, data) in enumerate(seq):
        out.append(_entry(rid, i, event_type, step, data, f"{event_type.value} message"))
    # The event's own job and step differ from the entry's.
    odd = Event(E.STEP_START, "other_job", step_key=None, message="", node_name="n", pid=None)
    out.append(EventLogEntry(rid, 1700000200.0, odd, job_name=JOB, step_key="s", level=40, user_message="u"))
    out.append(EventLogEntry(rid, 1700000201.0, Event(E.RUN_START, JOB), job_name=None))
    return out


def job_spec() -> JobSpec:
    """A job spec with every kind of input, output and node field."""
    nodes = (
        NodeSpec(
            "up",
            "up_op",
            outputs=(
                NodeOutputSpec("result", asset_key=AssetKey(["p", "up"]), type_name="int"),
                NodeOutputSpec("fan", is_required=False, is_dynamic=True, io_manager_key="mem"),
            ),
            tags={"team": "a"},
            pool="db",
            required_resource_keys=frozenset({"db", "io_manager"}),
        ),
        NodeSpec(
            "work",
            "work_op",
            inputs=(NodeInputSpec("x", InputKind.SINGLE, (OutputRef("up", "fan"),)),),
            outputs=(NodeOutputSpec("result"),),
            mapped_over=OutputRef("up", "fan"),
        ),
        NodeSpec(
            "join",
            "join_op",
            inputs=(
                NodeInputSpec("xs", InputKind.COLLECT, (OutputRef("work", "result"),)),
                NodeInputSpec(
                    "many", InputKind.FAN_IN, (OutputRef("up", "result"), OutputRef("up", "result"))
                ),
                NodeInputSpec("cfg", InputKind.UNCONNECTED, has_default=True, type_name="str"),
                NodeInputSpec("n", InputKind.UNCONNECTED, is_nothing=True, asset_key=AssetKey("ext")),
            ),
            outputs=(NodeOutputSpec("result", is_nothing=True),),
        ),
        NodeSpec(
            "check",
            "check_op",
            outputs=(
                NodeOutputSpec(
                    "check", check_key=_check_key(), asset_key=AssetKey(["p", "up"]), is_nothing=True
                ),
            ),
            after=("up",),
        ),
    )
    return JobSpec("jobby", nodes, "a description", {"owner": "me"}, is_asset_job=True)


def _check_key() -> Any:
    from headwater.core.asset_check_key import AssetCheckKey

    return AssetCheckKey(AssetKey(["p", "up"]), "positive")


def runs() -> list[Run]:
    from headwater.core.asset_check_key import AssetCheckKey

    return [
        Run("jobby", run_id="run-materialize", status=RunStatus.SUCCESS, tags={"dagster/partition": "p1"}),
        Run(
            "jobby",
            run_id="run-failure",
            run_config={"ops": {"f": {"config": {"x": 1, "names": ["a", "b"]}}}, "resources": {}},
            asset_selection=frozenset({AssetKey(["a", "b"]), AssetKey("c")}),
            asset_check_selection=frozenset({AssetCheckKey(AssetKey("c"), "chk")}),
            op_selection=["f*"],
            resolved_op_selection={"f", "g"},
            step_keys_to_execute=["f"],
            status=RunStatus.FAILURE,
            tags={"k": "v"},
            parent_run_id="run-materialize",
            root_run_id="run-materialize",
        ),
        Run("jobby", run_id="run-dynamic", status=RunStatus.QUEUED),
    ]


# -- writing the fixture (run with the old code) ------------------------------------------------------------
def _real_run(home: str) -> None:
    """A real run through the public API: an asset with metadata, a check, a failing asset."""
    import headwater as hw
    from headwater.instance.core import Instance

    @hw.asset(metadata={"owner": "me"})
    def a() -> hw.MaterializeResult:
        return hw.MaterializeResult(
            metadata={"rows": 3, "table": hw.MetadataValue.table([hw.TableRecord({"x": 1})])}
        )

    @hw.asset_check(asset=a)
    def a_positive() -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=False, severity=hw.AssetCheckSeverity.WARN, metadata={"n": 1})

    @hw.asset(deps=[a])
    def b() -> None:
        raise hw.Failure("nope", metadata={"why": "testing"})

    instance = Instance.local_temp(home)
    try:
        hw.materialize([a, b, a_positive], instance=instance, raise_on_error=False)
    finally:
        instance.dispose()


def _v1_body(entry: EventLogEntry) -> str:
    from headwater.core import serde  # the release's full tagged writer: what format 1 was

    event = entry.dagster_event
    body: dict[str, Any] = {
        "v": 1,
        "run_id": entry.run_id,
        "timestamp": entry.timestamp,
        "job_name": entry.job_name,
        "step_key": entry.step_key,
        "level": entry.level,
        "user_message": entry.user_message,
    }
    if event is not None:
        body["event"] = {
            "event_type": event.event_type.value,
            "job_name": event.job_name,
            "step_key": event.step_key,
            "message": event.message,
            "node_name": event.node_name,
            "pid": event.pid,
            "data": serde.encode(event.event_specific_data),
        }
    return serde.dumps(body)


def describe(entry: Any) -> list[Any]:
    """What the test compares of a real run's rows (their pids and times differ from run to run)."""
    ev = entry.dagster_event
    data = ev.event_specific_data if ev is not None else None
    metadata = getattr(data, "metadata", None)
    key = getattr(data, "asset_key", None)
    return [
        ev.event_type.value if ev is not None else None,
        entry.step_key,
        type(data).__name__,
        key.path if key is not None else None,
        sorted(metadata) if metadata else None,
    ]


def main(out_dir: str) -> None:
    import headwater
    from headwater.runs.snapshots import store_job_spec, store_plan
    from headwater.storage.sql import SqlStorage

    print("writing with", headwater.__file__)
    home = tempfile.mkdtemp(prefix="hw-release-")
    _real_run(home)
    path = os.path.join(home, "headwater.db")
    storage = SqlStorage.sqlite(path)
    real_rows = len(
        storage.event_store.get_logs_for_run(storage.run_store.get_run_records()[0].dagster_run.run_id)
    )
    for run in runs():
        storage.run_store.add_run(run)
    spec = job_spec()
    job_id = store_job_spec(storage.run_store, spec)  # type: ignore[arg-type]
    plan_id = store_plan(storage.run_store, build_plan(spec))  # type: ignore[arg-type]
    subset_id = store_plan(storage.run_store, build_plan(spec, ["up", "check"]))  # type: ignore[arg-type]
    built = entries()
    ids = storage.event_store.store_events(built)
    storage.dispose()
    with closing(sqlite3.connect(path)) as conn, conn:
        for i, (storage_id, entry) in enumerate(zip(ids, built, strict=True)):
            if i % V1_EVERY == 0:
                conn.execute("UPDATE event_logs SET event = ? WHERE id = ?", (_v1_body(entry), storage_id))
    storage = SqlStorage.sqlite(path)
    real = [
        [r.storage_id, *describe(r.event_log_entry)]
        for record in storage.run_store.get_run_records()
        if record.dagster_run.run_id not in {r.run_id for r in runs()}
        for r in storage.event_store.get_records_for_run(record.dagster_run.run_id).records
    ]
    storage.dispose()
    with closing(
        sqlite3.connect(path, isolation_level=None)
    ) as conn:  # one self-contained file, no WAL beside it
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("VACUUM")
    expected = {
        "hand_built_ids": ids,
        "job_snapshot_id": job_id,
        "plan_snapshot_id": plan_id,
        "subset_plan_snapshot_id": subset_id,
        "real_rows": real,
    }
    assert len(real) == real_rows
    os.replace(path, os.path.join(out_dir, DB_NAME))
    with open(os.path.join(out_dir, EXPECTED_NAME), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
