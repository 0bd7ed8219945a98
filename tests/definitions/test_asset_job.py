"""define_asset_job: selections (objects, lists, the string syntax) resolved against a Definitions."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater.core.asset_key import AssetKey


@hw.asset(group_name="g1")
def a1() -> int:
    return 1


@hw.asset(group_name="g1")
def a2(a1: int) -> int:
    return a1 + 1


@hw.asset(group_name="g2", tags={"tier": "gold"})
def a3(a2: int) -> int:
    return a2 + 1


@hw.asset_check(asset=a3)
def a3_check(a3: int) -> hw.AssetCheckResult:
    return hw.AssetCheckResult(passed=True)


def _steps(defs: hw.Definitions, name: str) -> list[str]:
    result = defs.get_job_def(name).execute_in_process()
    assert result.success
    return sorted(e.step_key for e in result.all_events if e.event_type_value == "STEP_START" and e.step_key)


SELECTIONS = {
    "j_all": None,
    "j_g1": hw.AssetSelection.groups("g1"),
    "j_str": "tag:tier=gold",
    "j_list": ["a1", "a3"],
    "j_down": hw.AssetSelection.assets(a2).downstream(),
    "j_str2": "+a2",
    "j_keys": [AssetKey("a2")],
    "j_objs": [a1, a2],
}
# Steps started in Dagster 1.13 for each selection, every asset stored beforehand (a3_check runs with a3).
EXPECTED = {
    "j_all": ["a1", "a2", "a3", "a3_a3_check"],
    "j_g1": ["a1", "a2"],
    "j_str": ["a3", "a3_a3_check"],
    "j_list": ["a1", "a3", "a3_a3_check"],
    "j_down": ["a2", "a3", "a3_a3_check"],
    "j_str2": ["a1", "a2"],
    "j_keys": ["a2"],
    "j_objs": ["a1", "a2"],
}


@pytest.fixture(scope="module")
def defs(tmp_path_factory: pytest.TempPathFactory) -> hw.Definitions:
    io = hw.FilesystemIOManager(base_dir=str(tmp_path_factory.mktemp("storage")))
    assert hw.materialize([a1, a2, a3], resources={"io_manager": io}).success
    jobs = [hw.define_asset_job(name, selection=sel) for name, sel in SELECTIONS.items()]
    return hw.Definitions(
        assets=[a1, a2, a3], asset_checks=[a3_check], jobs=jobs, resources={"io_manager": io}
    )


@pytest.mark.parametrize("name", list(SELECTIONS))
def test_selection_picks_the_steps(defs: hw.Definitions, name: str) -> None:
    assert _steps(defs, name) == EXPECTED[name]


def test_unresolved_then_resolved(defs: hw.Definitions) -> None:
    unresolved = hw.define_asset_job("x", selection="a1", tags={"t": "1"}, description="d")
    assert isinstance(unresolved, hw.UnresolvedAssetJobDefinition) and repr(unresolved) == (
        "<UnresolvedAssetJobDefinition x>"
    )
    job = defs.get_job_def("j_g1")
    assert isinstance(job, hw.JobDefinition)
    assert job.asset_layer is not None
    assert job.asset_layer.selected_asset_keys == {AssetKey("a1"), AssetKey("a2")}


def test_a_job_over_all_assets_and_checks_runs_them(defs: hw.Definitions) -> None:
    result = defs.get_job_def("j_all").execute_in_process()
    assert result.success
    assert result.asset_value("a3") == 3
    assert [e.check_name for e in result.get_asset_check_evaluations()] == ["a3_check"]


def test_bad_selection_fails_to_resolve() -> None:
    for selection in ("nope", ["nope"]):
        defs = hw.Definitions(assets=[a1], jobs=[hw.define_asset_job("x", selection=selection)])
        with pytest.raises(hw.InvalidDefinitionError, match="Failed to resolve asset job x") as info:
            defs.get_job_def("x")
        assert "nope" in str(info.value.__cause__)


def test_selecting_an_external_asset_by_key_fails() -> None:
    ext = hw.AssetSpec("ext")
    uses = hw.asset(name="uses", ins={"e": hw.AssetIn("ext")})(lambda e: e)
    defs = hw.Definitions(
        assets=[ext, uses], jobs=[hw.define_asset_job("j", selection=hw.AssetSelection.assets("ext"))]
    )
    with pytest.raises(hw.InvalidDefinitionError, match="Failed to resolve asset job j") as info:
        defs.get_job_def("j")
    assert str(info.value.__cause__) == (
        'Error resolving selection for asset job "j": Selected keys must be a subset of existing executable '
        "asset "
        "keys. Invalid selected keys: {AssetKey(['ext'])}"
    )
    all_job = hw.Definitions(
        assets=[ext, uses], jobs=[hw.define_asset_job("j", selection=hw.AssetSelection.all())]
    )
    assert all_job.get_job_def("j").asset_layer.selected_asset_keys == {AssetKey("uses")}  # type: ignore[union-attr]


def test_subsetting_a_multi_asset_that_cannot_be() -> None:
    two = hw.multi_asset(outs={"n1": hw.AssetOut(), "n2": hw.AssetOut()}, name="two")(lambda: (1, 2))
    defs = hw.Definitions(assets=[two], jobs=[hw.define_asset_job("j", selection="n1")])
    with pytest.raises(hw.InvalidDefinitionError, match="Failed to resolve asset job j") as info:
        defs.get_job_def("j")
    assert isinstance(info.value.__cause__, hw.InvalidSubsetError)
