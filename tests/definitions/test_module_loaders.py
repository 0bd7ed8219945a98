"""load_assets_from_modules and its family: what they find, prefixes, groups, collisions."""

from __future__ import annotations

import importlib

import pytest

import headwater as hw
from headwater.errors import InvalidDefinitionError

from .project_files import Files

ASSETS = """
import headwater as hw

@hw.asset
def a() -> int:
    return 1

@hw.asset(group_name="kept")
def b(a: int) -> int:
    return a + 1

@hw.asset(deps=["outside"])
def c() -> None: ...

source = hw.SourceAsset("outside")
spec = hw.AssetSpec("external_table")

@hw.asset_check(asset=a)
def a_positive(a: int) -> hw.AssetCheckResult:
    return hw.AssetCheckResult(passed=a > 0)

job = hw.define_asset_job("ab", selection=["a", "b"])
listed = [hw.AssetSpec("from_a_list")]
"""


def _keys(objects: list[object]) -> list[str]:
    out = []
    for o in objects:
        keys = o.keys if isinstance(o, hw.AssetsDefinition) else [o.key]  # type: ignore[attr-defined]
        out += [k.to_user_string() for k in keys]
    return sorted(out)


def test_assets_and_source_assets_are_found_checks_and_jobs_are_not(files: Files) -> None:
    files.write("PKG/__init__.py")
    files.write("PKG/assets.py", ASSETS)
    module = importlib.import_module(f"{files.name}.assets")
    assert _keys(hw.load_assets_from_modules([module])) == ["a", "b", "c", "outside"]
    with_specs = hw.load_assets_from_modules([module], include_specs=True)
    assert _keys(with_specs) == ["a", "b", "c", "external_table", "from_a_list", "outside"]


def test_key_prefix_renames_loaded_assets_and_their_deps_but_not_sources(files: Files) -> None:
    files.write("PKG/__init__.py")
    files.write("PKG/assets.py", ASSETS)
    module = importlib.import_module(f"{files.name}.assets")
    loaded = hw.load_assets_from_modules([module], key_prefix=["p", "q"])
    assert _keys(loaded) == ["outside", "p/q/a", "p/q/b", "p/q/c"]
    defs = hw.Definitions(assets=loaded, asset_checks=hw.load_asset_checks_from_modules([module], ["p", "q"]))
    graph = defs.resolve_asset_graph()
    b = graph.nodes[hw.AssetKey(["p", "q", "b"])]
    assert b.deps == (hw.AssetKey(["p", "q", "a"]),) and b.group_name == "kept"
    assert graph.nodes[hw.AssetKey(["p", "q", "c"])].deps == (hw.AssetKey("outside"),)
    assert {c.to_user_string() for c in graph.checks} == {"p/q/a:a_positive"}
    result = hw.materialize_to_memory([a for a in loaded if isinstance(a, hw.AssetsDefinition)][:2])
    assert result.success


def test_source_key_prefix_renames_sources_and_deps_on_them(files: Files) -> None:
    files.write("PKG/__init__.py")
    files.write("PKG/assets.py", ASSETS)
    module = importlib.import_module(f"{files.name}.assets")
    loaded = hw.load_assets_from_modules([module], source_key_prefix="raw")
    assert "raw/outside" in _keys(loaded)
    c = next(o for o in loaded if isinstance(o, hw.AssetsDefinition) and hw.AssetKey("c") in o.keys)
    assert [d.asset_key for d in c.specs[0].deps] == [hw.AssetKey(["raw", "outside"])]


def test_group_name_conflicting_with_an_assets_own_group_is_an_error(files: Files) -> None:
    files.write("PKG/__init__.py")
    files.write("PKG/assets.py", ASSETS)
    module = importlib.import_module(f"{files.name}.assets")
    with pytest.raises(
        InvalidDefinitionError,
        match="Asset spec b has group name kept, which conflicts with the "
        "group name other provided in load_assets_from_modules",
    ):
        hw.load_assets_from_modules([module], group_name="other")


def test_the_same_object_in_two_modules_counts_once_two_objects_with_one_key_do_not(files: Files) -> None:
    files.write("PKG/__init__.py")
    files.write("PKG/one.py", "import headwater as hw\n\n@hw.asset\ndef x() -> int:\n    return 1\n")
    files.write("PKG/two.py", "from PKG.one import x\n")
    files.write(
        "PKG/three.py", "import headwater as hw\n\n@hw.asset(name='x')\ndef other() -> int:\n    return 2\n"
    )
    one, two, three = (importlib.import_module(f"{files.name}.{n}") for n in ("one", "two", "three"))
    assert _keys(hw.load_assets_from_modules([one, two])) == ["x"]
    with pytest.raises(
        InvalidDefinitionError,
        match=rf"Asset key x is defined multiple times. Definitions found "
        rf"in modules: {files.name}.one, {files.name}.three\.",
    ):
        hw.load_assets_from_modules([one, three])


def test_package_loaders_walk_every_module(files: Files) -> None:
    files.write("PKG/__init__.py")
    files.write("PKG/top.py", "import headwater as hw\n\n@hw.asset\ndef top() -> int:\n    return 1\n")
    files.write("PKG/sub/__init__.py")
    files.write(
        "PKG/sub/deep.py", "import headwater as hw\n\n@hw.asset\ndef deep(top: int) -> int:\n    return top\n"
    )
    package = importlib.import_module(files.name)
    assert _keys(hw.load_assets_from_package_module(package)) == ["deep", "top"]
    assert _keys(hw.load_assets_from_package_name(files.name, key_prefix="k")) == ["k/deep", "k/top"]
    defs = hw.load_definitions_from_package_module(package)
    assert {k.to_user_string() for k in defs.resolve_all_asset_keys()} == {"deep", "top"}
    with pytest.raises(InvalidDefinitionError, match="is a module, not a package"):
        hw.load_assets_from_package_module(importlib.import_module(f"{files.name}.top"))


def test_current_module_loaders(files: Files) -> None:
    files.write("PKG/__init__.py")
    files.write(
        "PKG/here.py",
        """
        import headwater as hw

        @hw.asset
        def here() -> int:
            return 1

        @hw.asset_check(asset=here)
        def here_ok() -> hw.AssetCheckResult:
            return hw.AssetCheckResult(passed=True)

        checks = hw.load_asset_checks_from_current_module()
        defs = hw.load_definitions_from_current_module()
        assets = hw.load_assets_from_current_module(group_name="local")
        """,
    )
    module = importlib.import_module(f"{files.name}.here")
    assert _keys(module.assets) == ["here"] and module.assets[0].specs[0].group_name == "local"
    assert [c.check_key.name for c in module.checks] == ["here_ok"]
    assert {c.name for c in module.defs.resolve_asset_graph().checks} == {"here_ok"}
    assert hw.materialize([*module.assets, *module.checks]).success
    # As in Dagster: once a module-level list holds a copy of an asset, the module has two definitions
    # of its key, and loading from the module again says so.
    with pytest.raises(InvalidDefinitionError, match="Asset key here is defined multiple times"):
        hw.load_assets_from_modules([module])


def test_load_definitions_from_modules_collects_jobs_and_binds_resources(files: Files) -> None:
    files.write("PKG/__init__.py")
    files.write("PKG/assets.py", ASSETS)
    module = importlib.import_module(f"{files.name}.assets")
    defs = hw.load_definitions_from_modules([module], resources={"r": 1})
    assert defs.resources == {"r": 1}
    assert {j.name for j in defs.resolve_all_job_defs()} == {"ab", "__ASSET_JOB"}
    assert {c.name for c in defs.resolve_asset_graph().checks} == {"a_positive"}


def test_file_relative_path() -> None:
    assert hw.file_relative_path("/a/b/c.py", "data/x.csv") == "/a/b/data/x.csv"
