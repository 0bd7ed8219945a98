from __future__ import annotations

import pytest

import headwater as hw
from headwater.testing import FakeClock, ephemeral_instance


def test_fake_clock_moves_only_forward() -> None:
    clock = FakeClock(100.0)
    assert clock() == 100.0
    assert clock.advance(5) == 105.0
    with pytest.raises(ValueError, match="only moves forward"):
        clock.advance(-1)


def test_ephemeral_instance_records_materializations() -> None:
    @hw.asset
    def thing() -> int:
        return 3

    with ephemeral_instance() as instance:
        result = hw.materialize([thing], instance=instance)
        assert result.success
        event = instance.get_latest_materialization_event(hw.AssetKey("thing"))
        assert event is not None and event.run_id == result.run_id
        run = instance.get_run_by_id(result.run_id)
        assert run is not None and run.status == hw.RunStatus.SUCCESS
