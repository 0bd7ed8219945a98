"""Definitions: jobs (explicit and the implicit asset job), lookups, merge, validation, resources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import headwater as hw
from headwater.core.asset_key import AssetKey


@hw.asset
def a() -> int:
    return 1


@hw.asset
def b(a: int) -> int:
    return a + 1


@hw.op
def o() -> int:
    return 1


@hw.job
def jj() -> None:
    o()


class Multiplier(hw.ConfigurableResource):
    factor: int


@hw.asset
def scaled(multiplier: Multiplier) -> int:
    return 2 * multiplier.factor


# --- jobs ------------------------------------------------------------------------------------------------
def test_job_lookup_errors_list_what_exists() -> None:
    defs = hw.Definitions(jobs=[jj], assets=[a])
    for lookup in (defs.get_job_def, defs.resolve_job_def):
        with pytest.raises(
            hw.InvariantViolationError, match=r"^Could not find job 'nope'. Found: 'jj', '__ASSET_JOB'."
        ):
            lookup("nope")
    with pytest.raises(hw.InvariantViolationError, match=r"^Could not find job '__ASSET_JOB'. Found: .$"):
        hw.Definitions().get_implicit_global_asset_job_def()


def test_implicit_global_asset_job() -> None:
    defs = hw.Definitions(assets=[a, b])
    assert defs.has_implicit_global_asset_job_def()
    job = defs.get_implicit_global_asset_job_def()
    assert job.name == "__ASSET_JOB"
    assert job.execute_in_process(resources={"io_manager": hw.InMemoryIOManager()}).asset_value("b") == 2
    assert sorted(j.name for j in defs.get_all_job_defs()) == ["__ASSET_JOB"]
    # Dagster makes the job as soon as there is any asset, even an external one; none without assets.
    assert hw.Definitions(assets=[hw.AssetSpec("ext")]).has_implicit_global_asset_job_def()
    assert not hw.Definitions().has_implicit_global_asset_job_def()


def test_duplicate_jobs() -> None:
    @hw.job(name="jj")
    def jj2() -> None:
        o()

    with pytest.raises(hw.InvalidDefinitionError, match="Duplicate job definition found for job 'jj'"):
        hw.Definitions(jobs=[jj, jj2])
    with pytest.raises(hw.InvalidDefinitionError, match="Duplicate definition found for unresolved job 'jj'"):
        hw.Definitions(jobs=[jj, hw.define_asset_job("jj")])
    assert hw.Definitions(jobs=[jj, jj]).get_job_def("jj").name == "jj"  # the same object twice is fine


def test_resources_are_bound_to_jobs() -> None:
    defs = hw.Definitions(assets=[scaled], resources={"multiplier": Multiplier(factor=5)})
    result = defs.get_implicit_global_asset_job_def().execute_in_process(
        resources={"io_manager": hw.InMemoryIOManager()}
    )
    assert result.asset_value("scaled") == 10
    assert "multiplier" in defs.get_implicit_global_asset_job_def().resource_defs


def test_missing_resource_is_reported_when_loading() -> None:
    defs = hw.Definitions(assets=[scaled])
    with pytest.raises(
        hw.InvalidDefinitionError,
        match=r"resource with key 'multiplier' required by op 'scaled' was not provided.",
    ):
        hw.Definitions.validate_loadable(defs)


def test_source_asset_without_its_io_manager() -> None:
    raw = hw.SourceAsset("raw", io_manager_key="raw_io")
    uses = hw.asset(name="uses", ins={"r": hw.AssetIn("raw")})(lambda r: r)
    with pytest.raises(
        hw.InvalidDefinitionError,
        match=r"io manager with key 'raw_io' required by SourceAsset with key \[\"raw\"\] was not provided. "
        "Please "
        r"provide a IOManagerDefinition to key 'raw_io', or change the required key to one of the following "
        r"keys "
        r"which points to an IOManagerDefinition: \['io_manager'\]",
    ):
        hw.Definitions.validate_loadable(hw.Definitions(assets=[raw, uses]))


# --- assets ------------------------------------------------------------------------------------------------
def test_get_assets_def() -> None:
    defs = hw.Definitions(assets=[a, b])
    assert defs.get_assets_def("b") is b
    assert defs.get_assets_def(AssetKey("a")) is a
    with pytest.raises(hw.InvariantViolationError, match=r"^Could not find asset AssetKey\(\['zzz'\]\)"):
        defs.get_assets_def("zzz")
    assert {s.key for s in defs.get_all_asset_specs()} == {AssetKey("a"), AssetKey("b")}


def test_validate_loadable_reports_definition_errors() -> None:
    hw.Definitions.validate_loadable(hw.Definitions(assets=[a, b]))
    with pytest.raises(hw.InvalidDefinitionError, match=r"Duplicate asset key: AssetKey\(\['a'\]\)"):
        hw.Definitions.validate_loadable(hw.Definitions(assets=[a, hw.asset(name="a")(lambda: 1)]))
    with pytest.raises(hw.InvalidDefinitionError, match=r'Input asset "\["a"\]" is not produced'):
        hw.Definitions.validate_loadable(hw.Definitions(assets=[b]))

    @hw.asset
    def cyc1(cyc2: int) -> int:
        return 1

    @hw.asset
    def cyc2(cyc1: int) -> int:
        return 1

    with pytest.raises(hw.CircularDependencyError):
        hw.Definitions.validate_loadable(hw.Definitions(assets=[cyc1, cyc2]))


def test_definitions_rejects_non_jobs() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match=r"Definitions\(jobs=...\) got 5"):
        hw.Definitions(jobs=[5])


# --- merge -------------------------------------------------------------------------------------------------
def test_merge() -> None:
    merged = hw.Definitions.merge(hw.Definitions(assets=[a], resources={"r": 1}), hw.Definitions(assets=[b]))
    assert set(merged.resolve_asset_graph().all_asset_keys) == {AssetKey("a"), AssetKey("b")}
    assert merged.resources == {"r": 1}
    same = hw.Definitions.merge(hw.Definitions(jobs=[jj], assets=[a]), hw.Definitions(jobs=[jj], assets=[a]))
    assert same.get_job_def("jj").name == "jj"
    with pytest.raises(
        hw.InvariantViolationError,
        match="Definitions objects 0 and 1 have different resources with same key 'r'",
    ):
        hw.Definitions.merge(hw.Definitions(resources={"r": 1}), hw.Definitions(resources={"r": 2}))


# --- values ------------------------------------------------------------------------------------------------
def test_load_asset_value_after_materialize(tmp_path: Path) -> None:
    io = hw.FilesystemIOManager(base_dir=str(tmp_path))
    assert hw.materialize([a, b], resources={"io_manager": io}).success
    defs = hw.Definitions(assets=[a, b], resources={"io_manager": io})
    assert defs.load_asset_value("b") == 2
    assert defs.load_asset_value(AssetKey("a")) == 1
    loader: Any
    with defs.get_asset_value_loader() as loader:
        assert loader.load_asset_value("a") == 1


def test_resolve_all_asset_keys_lists_every_asset() -> None:
    import headwater as hw

    @hw.asset
    def one() -> int:
        return 1

    defs = hw.Definitions(assets=[one, hw.AssetSpec("external")])
    assert set(defs.resolve_all_asset_keys()) == {hw.AssetKey("one"), hw.AssetKey("external")}
