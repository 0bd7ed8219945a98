"""Schedules, backfills and the launchpad's scaffold in a real browser, against ``headwater dev`` with its
daemon running.

Schedules: start one from the Schedules page and see its state change; its ticks come from the real
scheduler tick (the daemon's code, against a code server of the same project) driven with a fake clock
three days ahead, so the tick history shows a run, a skip reason and an error without waiting for cron.
Stop it again from the page. Backfills: launch one from the Backfills page over a range of partitions,
pause and resume it, and watch the daemon bring every partition to materialized; cancel another one
whose runs are slow. Launchpad: a job whose config has a required field starts from its scaffold (the
defaults, and the required field empty and marked), refused until filled in. Screenshots under
.test-output/screenshots/."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from headwater.daemon.code_locations import WorkspaceLocations
from headwater.daemon.scheduler_tick import SchedulerTick
from headwater.daemon.tick_runs import submitter
from headwater.instance import Instance
from headwater.locations.client.workspace import Workspace
from headwater.locations.client.workspace_file import LocationEntry
from headwater.testing import FakeClock

from ..conftest import DevServer, served
from .conftest import _require_ui, screenshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DEFS = '''
import sys
import time

import headwater as hw


@hw.op
def hello() -> str:
    print("hello from the schedule's run")
    return "hi"


@hw.job
def greet():
    hello()


@hw.schedule(cron_schedule="0 3 * * *", job=greet, execution_timezone="UTC")
def nightly_greet(context: hw.ScheduleEvaluationContext):
    """Greets every night at 03:00 UTC, when there is something to greet."""
    day = int(context.scheduled_execution_time.timestamp() // 86400)
    if day % 3 == 0:
        raise ValueError(f"the greeting service is down (day {day})")
    if day % 3 == 1:
        return hw.SkipReason(f"nothing new to greet on day {day}")
    return hw.RunRequest(run_key=f"greet-{day}")


regions = hw.StaticPartitionsDefinition(["north", "south", "east", "west", "central", "islands"])


@hw.asset(group_name="sales", partitions_def=regions)
def regional_sales(context: hw.AssetExecutionContext) -> int:
    """Sales of one region."""
    time.sleep(0.5)
    return len(context.partition_key)


@hw.asset(group_name="sales", partitions_def=regions)
def slow_rollup(context: hw.AssetExecutionContext) -> int:
    time.sleep(120)
    return 1


class LoadSettings(hw.Config):
    region: str
    limit: int = 100


@hw.op
def load_region(context: hw.OpExecutionContext, config: LoadSettings) -> int:
    context.log.info(f"loading {config.limit} rows of {config.region}")
    print(f"read {config.limit} rows of {config.region}")
    print("warning: the source is slow today", file=sys.stderr)
    return config.limit


@hw.job
def region_load():
    load_region()


defs = hw.Definitions(
    assets=[regional_sales, slow_rollup], jobs=[greet, region_load], schedules=[nightly_greet]
)
'''


@pytest.fixture(scope="module")
def ui_dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    """This module's ``headwater dev``, with its daemon (the page fixture opens it)."""
    _require_ui()
    yield from served(tmp_path_factory, "ui-flows", DEFS, daemon=True)


def _state(page: Any, name: str) -> Any:
    return page.get_by_test_id(f"state-{name}")


def _scheduler_ticks_days_ahead(dev: DevServer, monkeypatch: pytest.MonkeyPatch, days: int) -> None:
    """What the daemon's scheduler does when ``days`` days have passed: the real SchedulerTick over the
    dev server's instance and a code server of the same file, at a fake ``now``."""
    monkeypatch.setenv("HEADWATER_HOME", str(dev.home))
    instance = Instance.get()
    entry = LocationEntry(
        name="defs", python_file=str(dev.project / "defs.py"), working_directory=str(dev.project)
    )
    workspace = Workspace([entry]).start()
    try:
        clock = FakeClock(time.time() + days * 86400 + 60)
        submit = submitter(instance.storage, instance.run_coordinator, instance.run_launcher)
        SchedulerTick(instance.storage, WorkspaceLocations(workspace), submit, clock=clock).tick(clock())
    finally:
        workspace.close()
        instance.dispose()


def test_start_a_schedule_see_its_ticks_and_stop_it(
    page: Any, ui_dev: DevServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.goto("/schedules")
    _state(page, "nightly_greet").locator('[data-status="STOPPED"]').wait_for()
    page.get_by_test_id("toggle-nightly_greet").click()
    _state(page, "nightly_greet").locator('[data-status="RUNNING"]').wait_for()
    row = page.locator('[data-instigator="nightly_greet"]')
    assert "no ticks yet" in row.inner_text()

    # Three nights later: one tick failed, one skipped, one requested a run (one each, by the day).
    _scheduler_ticks_days_ahead(ui_dev, monkeypatch, days=3)
    row.get_by_text("nightly_greet", exact=True).click()
    history = page.get_by_test_id("tick-history")
    history.locator('[data-tick-status="FAILURE"]').wait_for(timeout=15_000)
    assert history.locator("tbody tr").count() == 3
    assert "nothing new to greet on day" in history.locator('[data-tick-status="SKIPPED"]').inner_text()
    failure = history.locator('[data-tick-status="FAILURE"]')
    assert "the greeting service is down" in failure.inner_text()
    failure.locator("summary").click()
    failure.locator("pre").get_by_text("defs.py").first.wait_for()  # the user's traceback
    page.wait_for_url(re.compile(r"/schedules\?name=defs(%3A|:)nightly_greet$"))
    screenshot(page, "schedules-tick-history")

    # The tick's run is linked, and it ran (the daemon launches queued runs).
    success = history.locator('[data-tick-status="SUCCESS"]')
    run_link = success.locator("a")
    run_id_prefix = run_link.inner_text()
    run_link.click()
    page.wait_for_url(re.compile(rf"/runs/{run_id_prefix}[0-9a-f-]+$"))
    page.locator('[data-testid="run-status"] [data-status="SUCCESS"]').wait_for(timeout=90_000)

    # Stop it: the state says so, and the history stays (a deep link).
    page.goto("/schedules?name=defs:nightly_greet")
    page.get_by_test_id("toggle-nightly_greet").click()
    _state(page, "nightly_greet").locator('[data-status="STOPPED"]').wait_for()
    assert page.get_by_test_id("tick-history").locator("tbody tr").count() == 3
    status = ui_dev.gql(
        '{ scheduleOrError(scheduleSelector: {repositoryLocationName: "defs", '
        'repositoryName: "__repository__", scheduleName: "nightly_greet"}) '
        "{ ... on Schedule { scheduleState { status } } } }"
    )
    assert status["scheduleOrError"]["scheduleState"]["status"] == "STOPPED"


def _launch_backfill(page: Any, asset: str, start: str, end: str, title: str) -> str:
    page.goto("/backfills")
    form = page.get_by_test_id("new-backfill")
    form.get_by_label("Backfill asset").select_option(asset)
    form.get_by_label("From partition").select_option(start)
    form.get_by_label("To partition").select_option(end)
    form.get_by_label("Backfill title").fill(title)
    page.get_by_test_id("launch-backfill").click()
    page.wait_for_url(re.compile(r"/backfills/[a-z0-9]+$"))
    return str(page.url.rsplit("/", 1)[1])


def test_launch_a_backfill_pause_resume_and_watch_it_complete(page: Any, ui_dev: DevServer) -> None:
    page.goto("/backfills")
    form = page.get_by_test_id("new-backfill")
    form.get_by_label("Backfill asset").select_option("regional_sales")
    form.get_by_label("From partition").select_option("west")
    form.get_by_label("To partition").select_option("south")  # before "from": refused, and it says why
    assert page.get_by_test_id("launch-backfill").is_disabled()
    form.get_by_text("pick a range in partition order").wait_for()
    backfill_id = _launch_backfill(page, "regional_sales", "south", "central", "Regions catch-up")
    page.get_by_test_id("backfill-title").get_by_text("Regions catch-up").wait_for()
    grid = page.get_by_test_id("partition-grid")
    assert [c.get_attribute("data-partition") for c in grid.locator("[data-partition]").all()] == [
        "south",
        "east",
        "west",
        "central",
    ]
    # Pause, then resume: the page says where it stands.
    page.get_by_test_id("backfill-pause").click()
    page.get_by_test_id("backfill-paused").wait_for()
    screenshot(page, "backfill-paused")
    page.get_by_test_id("backfill-resume").click()
    page.get_by_test_id("backfill-paused").wait_for(state="detached")
    # The daemon submits the runs; every partition reaches materialized, live.
    page.locator('[data-testid="backfill-status"] [data-status="COMPLETED_SUCCESS"]').wait_for(
        timeout=180_000
    )
    assert grid.locator('[data-state="DONE"]').count() == 4
    assert page.get_by_test_id("backfill-assets").get_by_test_id("num-materialized").inner_text() == "4"
    assert page.get_by_test_id("backfill-cancel").count() == 0  # nothing to cancel once finished
    screenshot(page, "backfill-complete")
    # The list shows it with its progress; the asset's partitions are materialized.
    page.goto("/backfills")
    page.locator(f'[data-backfill="{backfill_id}"]').get_by_text("4 of 4 materialized").wait_for()
    screenshot(page, "backfills")
    page.goto("/assets/regional_sales")
    page.locator('[aria-label="4 of 6 partitions materialized"]').wait_for()
    # A partition's cell opens its run.
    page.goto(f"/backfills/{backfill_id}")
    page.get_by_test_id("partition-grid").locator('[data-partition="east"]').click()
    page.wait_for_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    page.locator('[data-testid="run-status"] [data-status="SUCCESS"]').wait_for()


def test_cancel_a_running_backfill(page: Any, ui_dev: DevServer) -> None:
    _launch_backfill(page, "slow_rollup", "north", "south", "Too slow")
    grid = page.get_by_test_id("partition-grid")
    grid.locator('[data-state="RUNNING"]').first.wait_for(timeout=60_000)
    screenshot(page, "backfill-running")
    page.get_by_test_id("backfill-cancel").click()
    page.locator('[data-testid="backfill-status"] [data-status="CANCELED"]').wait_for(timeout=90_000)
    assert grid.locator('[data-state="DONE"]').count() == 0
    assert grid.locator('[data-state="RUNNING"]').count() == 0
    assert page.get_by_test_id("backfill-resume").count() == 0  # a canceled backfill is over


def test_the_launchpad_starts_from_the_jobs_config_scaffold(page: Any) -> None:
    page.goto("/jobs/defs/region_load/launchpad")
    editor = page.get_by_test_id("config-editor").locator(".cm-content")
    page.get_by_test_id("config-editor").get_by_text("# required (String)").wait_for()
    assert "limit: 100" in editor.inner_text()
    # The empty required field is an error until filled in.
    page.get_by_test_id("config-errors").get_by_text("region").first.wait_for()
    assert page.get_by_test_id("launch").is_disabled()
    screenshot(page, "launchpad-scaffold")
    # Write part of it; "Scaffold missing config" adds what is missing and keeps what was written.
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text("ops:\n  load_region:\n    config:\n      region: north\n")
    page.get_by_test_id("scaffold").click()
    page.get_by_test_id("config-editor").get_by_text("limit: 100").wait_for()
    assert "region: north" in editor.inner_text()
    page.get_by_text("The config is valid for this job.").wait_for()
    page.get_by_test_id("launch").click()
    page.wait_for_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    page.locator('[data-testid="run-status"] [data-status="SUCCESS"]').wait_for(timeout=90_000)
    page.get_by_test_id("event-log").get_by_text("loading 100 rows of north").wait_for()
    # The step's stdout and stderr, captured by the run worker, on the run page (a step picker).
    page.get_by_text("Compute logs").click()
    page.get_by_label("Log of").wait_for()
    assert page.get_by_label("Log of").input_value() == "load_region"
    page.get_by_test_id("step-stdout").get_by_text("read 100 rows of north").wait_for()
    assert "warning: the source is slow today" in page.get_by_test_id("step-stderr").inner_text()
    screenshot(page, "run-step-logs")
    page.get_by_label("Log of").select_option("__worker__")
    page.get_by_test_id("worker-log").wait_for()
    page.reload()  # the choice is in the URL
    page.get_by_test_id("worker-log").wait_for()
