"""A real ``headwater daemon run`` observes an observable source asset of its code location on its own:
the auto-observe loop requests the run, the run queue launches a run worker, the worker runs the
observe function, and the observation (with its data version) is in storage."""

from __future__ import annotations

from pathlib import Path

from headwater.core.asset_key import AssetKey
from headwater.daemon.auto_observe_tick import AUTO_OBSERVE_TAG

from .conftest import DaemonHome, wait_for

CODE = """
import headwater as hw


@hw.observable_source_asset(auto_observe_interval_minutes=60)
def vendor_feed() -> hw.DataVersion:
    return hw.DataVersion("feed-v7")


defs = hw.Definitions(assets=[vendor_feed])
"""


def test_the_daemon_observes_a_source_asset_through_a_run_worker(
    sqlite_home: DaemonHome, tmp_path: Path
) -> None:
    home = sqlite_home
    code = tmp_path / "vendor.py"
    code.write_text(CODE)
    home.start_daemon("observer", "-f", str(code), "--loop", "auto_observe", "--loop", "run_queue")
    key = AssetKey("vendor_feed")

    def observed() -> list[object]:
        with home.instance() as instance:
            return list(instance.fetch_observations(key, limit=5).records)

    [record] = wait_for(observed, 90, "the daemon's observation of vendor_feed")
    assert record.event_log_entry.asset_observation.data_version == "feed-v7"
    with home.instance() as instance:
        [run] = instance.get_runs()
        assert run.tags[AUTO_OBSERVE_TAG] == "true"
        assert [k.to_user_string() for k in run.asset_selection or ()] == ["vendor_feed"]
        wait_for(lambda: instance.get_run_by_id(run.run_id).is_success, 60, "the run to succeed")  # type: ignore[union-attr]
