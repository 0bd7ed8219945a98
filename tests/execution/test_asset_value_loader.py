"""AssetValueLoader: loading stored asset values through their IO managers, outside any run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import headwater as hw
from headwater.core.asset_key import AssetKey
from headwater.execution.asset_value_loader import AssetValueLoader


@hw.asset
def a() -> int:
    return 1


@hw.asset(key_prefix="pre")
def b(a: int) -> dict[str, int]:
    return {"b": a + 1}


class Recording(hw.IOManager):
    def __init__(self) -> None:
        self.contexts: list[hw.InputContext] = []

    def handle_output(self, context: hw.OutputContext, obj: Any) -> None:
        raise AssertionError("loading never stores")

    def load_input(self, context: hw.InputContext) -> Any:
        self.contexts.append(context)
        return f"value of {context.asset_key.to_user_string()}"


def test_load_after_materialize_with_a_filesystem_io_manager(tmp_path: Path) -> None:
    io = hw.FilesystemIOManager(base_dir=str(tmp_path))
    assert hw.materialize([a, b], resources={"io_manager": io}).success
    defs = hw.Definitions(assets=[a, b], resources={"io_manager": io})
    assert defs.load_asset_value(["pre", "b"]) == {"b": 2}
    with defs.get_asset_value_loader() as loader:
        assert isinstance(loader, AssetValueLoader)
        assert loader.load_asset_value("a") == 1
        assert loader.load_asset_value(AssetKey(["pre", "b"])) == {"b": 2}


def test_default_io_manager_is_the_filesystem_one_under_the_instance_storage() -> None:
    with hw.Instance.ephemeral() as instance:
        assert hw.materialize([a, b], instance=instance).success
        defs = hw.Definitions(assets=[a, b])
        assert defs.load_asset_value("a", instance=instance) == 1
        with defs.get_asset_value_loader(instance=instance) as loader:
            assert loader.load_asset_value(["pre", "b"]) == {"b": 2}


def test_input_context_describes_the_asset() -> None:
    io = Recording()
    defs = hw.Definitions(assets=[a, b], resources={"io_manager": io})
    value = defs.load_asset_value(["pre", "b"], python_type=dict, metadata={"columns": ["x"]})
    assert value == "value of pre/b"
    (context,) = io.contexts
    assert context.asset_key == AssetKey(["pre", "b"])
    assert context.upstream_output is not None and context.upstream_output.asset_key == AssetKey(["pre", "b"])
    assert context.upstream_output.name == "result"
    assert context.definition_metadata == {"columns": ["x"]}
    assert context.dagster_type.name == "dict"  # DagsterType has no typing_type yet (reported)


def test_asset_specific_io_managers_and_source_assets() -> None:
    own_io = Recording()
    src_io = Recording()
    own = hw.asset(name="own", io_manager_key="own_io")(lambda: 1)
    raw = hw.SourceAsset("raw", io_manager_key="raw_io", metadata={"m": 1})
    ext = hw.AssetSpec("ext").with_io_manager_key("raw_io")
    defs = hw.Definitions(assets=[own, raw, ext], resources={"own_io": own_io, "raw_io": src_io})
    with defs.get_asset_value_loader() as loader:
        assert loader.load_asset_value("own") == "value of own"
        assert loader.load_asset_value("raw") == "value of raw"
        assert loader.load_asset_value("ext") == "value of ext"
    assert [c.asset_key.to_user_string() for c in src_io.contexts] == ["raw", "ext"]
    assert src_io.contexts[0].upstream_output.definition_metadata == {"m": 1}  # type: ignore[union-attr]


def test_io_manager_def_on_the_asset() -> None:
    io = Recording()
    own = hw.asset(name="own", io_manager_def=io)(lambda: 1)
    assert hw.Definitions(assets=[own]).load_asset_value("own") == "value of own"


def test_resources_are_torn_down_on_exit() -> None:
    events: list[str] = []

    class Managed(hw.ConfigurableIOManager):
        def setup_for_execution(self, context: hw.InitResourceContext) -> None:
            events.append("setup")

        def teardown_after_execution(self, context: hw.InitResourceContext) -> None:
            events.append("teardown")

        def handle_output(self, context: hw.OutputContext, obj: Any) -> None:
            raise AssertionError

        def load_input(self, context: hw.InputContext) -> Any:
            return 7

    defs = hw.Definitions(assets=[a], resources={"io_manager": Managed()})
    with defs.get_asset_value_loader() as loader:
        assert loader.load_asset_value("a") == 7
        assert loader.load_asset_value("a") == 7
        assert events == ["setup"]  # built once per loader
    assert events == ["setup", "teardown"]


def test_errors() -> None:
    defs = hw.Definitions(
        assets=[a], resources={"io_manager": hw.FilesystemIOManager(base_dir="/nonexistent-hw")}
    )
    with pytest.raises(hw.InvariantViolationError, match=r"Asset key AssetKey\(\['zzz'\]\) not found"):
        defs.load_asset_value("zzz")
    with pytest.raises(FileNotFoundError, match='No stored value for asset "a"'):
        defs.load_asset_value("a")
    missing_io = hw.Definitions(assets=[hw.asset(name="x", io_manager_key="nope_io")(lambda: 1)])
    with pytest.raises(hw.InvariantViolationError, match=r"'nope_io' has no resource"):
        missing_io.load_asset_value("x")
