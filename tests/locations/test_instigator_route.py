"""``POST /instigator-tick(s)`` and ``POST /run-requests`` on a real code server process: evaluations
with their user errors and timeouts as data, many in one round trip, run requests checked in bulk."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from headwater.locations.client.client import LocationClient, RunRequestReply, run_request_body
from headwater.locations.client.errors import LocationConfigError
from headwater.locations.client.workspace import Workspace
from headwater.locations.client.workspace_file import LocationEntry
from headwater.specs.instigation import TickEvaluationRequest

CODE = Path(__file__).with_name("instigators_code.py")


@pytest.fixture(scope="module")
def client() -> Iterator[LocationClient]:
    entry = LocationEntry("code", python_file=str(CODE), working_directory=str(CODE.parent))
    with Workspace([entry]) as workspace:
        yield workspace.client("code")


def test_a_hanging_sensor_times_out_as_data(client: LocationClient) -> None:
    started = time.monotonic()
    evaluation = client.instigator_tick(TickEvaluationRequest("sensor", "hangs", timeout=0.5))
    assert time.monotonic() - started < 10
    assert evaluation.error is not None and evaluation.error.kind == "timeout"
    assert "did not finish within 0.5 s" in evaluation.error.message
    # the server still answers the next request at once
    assert client.instigator_tick(TickEvaluationRequest("sensor", "counts")).run_requests[0].run_key == "1"


def test_a_raising_sensor_reports_the_users_traceback(client: LocationClient) -> None:
    evaluation = client.instigator_tick(TickEvaluationRequest("sensor", "raises"))
    assert evaluation.error is not None and evaluation.error.kind == "user_code_error"
    assert "missing_column" in evaluation.error.message
    assert evaluation.error.traceback is not None and "in raises" in evaluation.error.traceback
    assert 'raise KeyError("missing_column")' in evaluation.error.traceback


def test_unknown_names_are_not_found(client: LocationClient) -> None:
    evaluation = client.instigator_tick(TickEvaluationRequest("schedule", "dayly"))
    assert evaluation.error is not None and evaluation.error.kind == "not_found"
    assert "Could not find schedule 'dayly'" in evaluation.error.message


def test_many_evaluations_in_one_round_trip(client: LocationClient) -> None:
    hours = [datetime(2026, 3, 1, h, tzinfo=UTC).timestamp() for h in (4, 5)]
    requests = [TickEvaluationRequest("schedule", "hourly", scheduled_execution_time=t) for t in hours]
    requests.append(TickEvaluationRequest("sensor", "counts", cursor="41"))
    even, odd, counted = client.instigator_ticks(requests)
    assert even.run_requests[0].run_config == {"ops": {"work": {"config": {"size": 4}}}}
    assert odd.skip_reason == "odd hour" and odd.run_requests == ()
    assert counted.cursor == "42" and counted.cursor_updated


def test_run_requests_in_bulk_with_config_errors_per_item(client: LocationClient) -> None:
    good = run_request_body(
        job="the_job", run_config={"ops": {"work": {"config": {"size": 1}}}}, tags={"a": "b"}
    )
    bad = run_request_body(job="the_job", run_config={"ops": {"work": {"config": {"size": "big"}}}})
    first, second = client.run_requests([good, bad])
    assert isinstance(first, RunRequestReply) and first.job.name == "the_job" and first.tags["a"] == "b"
    assert isinstance(second, LocationConfigError) and second.errors
