"""IO managers: contexts, the filesystem and in-memory managers, the authoring forms."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import pytest

from headwater.core.asset_key import AssetKey
from headwater.core.metadata import MetadataValue
from headwater.definitions.fs_io_manager import (
    FilesystemIOManager,
    PickledObjectFilesystemIOManager,
    fs_io_manager,
)
from headwater.definitions.input_context import InputContext, build_input_context
from headwater.definitions.io_manager import (
    ConfigurableIOManager,
    ConfigurableIOManagerFactory,
    InputManager,
    InputManagerDefinition,
    IOManager,
    IOManagerDefinition,
    input_manager,
    io_manager,
)
from headwater.definitions.mem_io_manager import InMemoryIOManager, mem_io_manager
from headwater.definitions.output_context import OutputContext, build_output_context
from headwater.definitions.resource_context import InitResourceContext
from headwater.definitions.resources import coerce_to_resource
from headwater.errors import InvalidPropertyError, StepOutputNotFoundError
from headwater.execution.resource_builder import build_resources, initialize_resources


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


# ---- contexts ----------------------------------------------------------------------------------------


def test_output_context_identifiers_and_absent_properties() -> None:
    context = build_output_context(
        step_key="s", name="result", run_id="r1", asset_key=["a", "b"], partition_key="p"
    )
    assert context.get_identifier() == ["r1", "s", "result"]
    assert context.get_asset_identifier() == ["a", "b", "p"]
    assert context.asset_key == AssetKey(["a", "b"])
    assert context.has_asset_partitions and context.asset_partition_key == "p"
    assert build_output_context(step_key="s", name="o", run_id="r", mapping_key="m").get_identifier() == [
        "r",
        "s",
        "o",
        "m",
    ]
    assert build_output_context(step_key="s", name="o", version="v1").get_identifier() == [
        "versioned_outputs",
        "v1",
        "s",
        "o",
    ]

    bare = build_output_context()
    assert bare.run_id == "__EPHEMERAL_RUN_ID"
    assert bare.metadata == {} and bare.definition_metadata == {} and bare.resource_config == {}
    assert bare.mapping_key is None and bare.config is None and bare.version is None
    assert not bare.has_asset_key and not bare.has_partition_key and not bare.has_asset_partitions
    for attr in ("step_key", "name", "job_name", "op_def", "dagster_type", "asset_key"):
        with pytest.raises(
            InvalidPropertyError,
            match=f"Attempting to access {attr}, but it was not provided when constructing the OutputContext",
        ):
            getattr(bare, attr)
    with pytest.raises(InvalidPropertyError, match="non-partitioned run"):
        _ = bare.partition_key
    with pytest.raises(InvalidPropertyError, match="does not correspond to a partitioned asset"):
        _ = bare.asset_partition_key


def test_output_context_metadata_and_events() -> None:
    context = OutputContext(step_key="s", name="result", definition_metadata={"owner": "me"})
    context.add_output_metadata({"rows": 3})
    context.add_output_metadata({"path": "/x"})
    context.log_event("an event")
    assert context.metadata == {"owner": "me"}
    assert context.get_logged_metadata() == {"rows": 3, "path": "/x"}
    assert context.consume_logged_metadata() == {"rows": 3, "path": "/x"}
    assert context.get_logged_metadata() == {}
    assert context.consume_events() == ["an event"] and context.get_logged_events() == []


def test_input_context() -> None:
    upstream = build_output_context(step_key="up", name="result", run_id="r1")
    context = build_input_context(
        name="x", upstream_output=upstream, asset_key="up_asset", resources={"k": 1}
    )
    assert context.get_identifier() == ["r1", "up", "result"]
    assert context.get_asset_identifier() == ["up_asset"]
    assert context.resources.k == 1 and context.has_input_name
    assert build_input_context(asset_key="a", partition_key="p").get_asset_identifier() == ["a", "p"]
    bare = InputContext()
    assert bare.upstream_output is None and bare.config is None and bare.metadata == {}
    with pytest.raises(InvalidPropertyError, match="no asset is associated with this input"):
        _ = bare.asset_key
    with pytest.raises(
        InvalidPropertyError, match=r"upstream_output not defined\. Cannot compute an identifier"
    ):
        bare.get_identifier()
    with pytest.raises(InvalidPropertyError, match="Attempting to access name, but it was not provided"):
        _ = bare.name


# ---- filesystem ----------------------------------------------------------------------------------------


def test_fs_io_manager_path_layout_and_round_trip(tmp_path: Path) -> None:
    with build_resources({"io_manager": FilesystemIOManager(base_dir=str(tmp_path))}) as res:
        io = res.io_manager
        assert isinstance(io, PickledObjectFilesystemIOManager)
        out = build_output_context(asset_key=AssetKey(["pre", "up"]))
        io.handle_output(out, {"v": 1})
        assert out.get_logged_metadata() == {"path": MetadataValue.path(str(tmp_path / "pre" / "up"))}
        io.handle_output(build_output_context(asset_key="parted", partition_key="p1"), "pv")
        io.handle_output(build_output_context(step_key="o1", name="result", run_id="run-1"), 5)
        io.handle_output(build_output_context(step_key="o2", name="x", run_id="run-1", mapping_key="m"), 6)

        assert files_under(tmp_path) == ["parted/p1", "pre/up", "run-1/o1/result", "run-1/o2/x/m"]
        assert pickle.loads((tmp_path / "pre" / "up").read_bytes()) == {"v": 1}

        assert io.load_input(build_input_context(asset_key=AssetKey(["pre", "up"]))) == {"v": 1}
        assert io.load_input(build_input_context(asset_key="parted", partition_key="p1")) == "pv"
        op_upstream = build_output_context(step_key="o1", name="result", run_id="run-1")
        assert io.load_input(build_input_context(upstream_output=op_upstream)) == 5
        # an asset input whose upstream did not run in this run: only the upstream asset key is known
        asset_upstream = build_output_context(asset_key=AssetKey(["pre", "up"]))
        assert io.load_input(build_input_context(name="up", upstream_output=asset_upstream)) == {"v": 1}


def test_fs_io_manager_overwrites_atomically(tmp_path: Path) -> None:
    io = PickledObjectFilesystemIOManager(tmp_path)
    for value in range(3):
        io.handle_output(build_output_context(asset_key="a"), value)
    assert io.load_input(build_input_context(asset_key="a")) == 2
    assert files_under(tmp_path) == ["a"]  # no temporary files left behind


def test_fs_io_manager_failed_write_leaves_previous_value(tmp_path: Path) -> None:
    io = PickledObjectFilesystemIOManager(tmp_path)
    io.handle_output(build_output_context(asset_key="a"), "good")
    with pytest.raises((TypeError, AttributeError, pickle.PicklingError)):
        io.handle_output(build_output_context(asset_key="a"), lambda: None)
    assert io.load_input(build_input_context(asset_key="a")) == "good"
    assert files_under(tmp_path) == ["a"]


def test_fs_io_manager_missing_value_says_what_to_do(tmp_path: Path) -> None:
    io = PickledObjectFilesystemIOManager(tmp_path)
    with pytest.raises(FileNotFoundError) as info:
        io.load_input(build_input_context(asset_key=["wh", "orders"]))
    assert str(info.value) == (
        f'No stored value for asset "wh/orders": {tmp_path / "wh" / "orders"} does not exist. '
        'Materialize the upstream asset "wh/orders" first (with this IO manager and base_dir).'
    )
    upstream = build_output_context(step_key="o9", name="result", run_id="r1")
    with pytest.raises(FileNotFoundError, match=r'output "result" of step "o9" \(run r1\)'):
        io.load_input(build_input_context(upstream_output=upstream))


def test_fs_io_manager_multiple_partitions(tmp_path: Path) -> None:
    io = PickledObjectFilesystemIOManager(tmp_path)
    io.handle_output(
        build_output_context(asset_key="daily", asset_partition_keys=["d1", "d2"]), {"d1": 1, "d2": 2}
    )
    assert files_under(tmp_path) == ["daily/d1", "daily/d2"]
    assert io.load_input(build_input_context(asset_key="daily", asset_partition_keys=["d1", "d2"])) == {
        "d1": 1,
        "d2": 2,
    }
    with pytest.raises(InvalidPropertyError, match="must be a dict of partition key -> value"):
        io.handle_output(build_output_context(asset_key="daily", asset_partition_keys=["d1", "d2"]), [1, 2])


def test_fs_io_manager_skips_none_typed_outputs(tmp_path: Path) -> None:
    io = PickledObjectFilesystemIOManager(tmp_path)
    io.handle_output(build_output_context(asset_key="nothing", dagster_type=type(None)), None)
    assert files_under(tmp_path) == []
    assert io.load_input(build_input_context(asset_key="nothing", dagster_type=type(None))) is None


def test_fs_io_manager_base_dir_defaults_to_instance_storage(tmp_path: Path) -> None:
    class Instance:
        def storage_directory(self) -> str:
            return str(tmp_path / "storage")

    with build_resources({"a": FilesystemIOManager(), "b": fs_io_manager}, instance=Instance()) as res:
        assert res.a.base_dir == str(tmp_path / "storage")
        assert res.b.base_dir == str(tmp_path / "storage")
    with initialize_resources(
        {"io": fs_io_manager}, {"io": {"config": {"base_dir": str(tmp_path / "cfg")}}}, instance=Instance()
    ) as res:
        assert res.io.base_dir == str(tmp_path / "cfg")


def test_fs_io_manager_without_instance_uses_headwater_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path))
    with build_resources({"io": FilesystemIOManager()}) as res:
        assert res.io.base_dir == os.path.join(str(tmp_path), "storage")


# ---- in memory -----------------------------------------------------------------------------------------


def test_mem_io_manager_round_trip_and_missing_values() -> None:
    with build_resources({"io": mem_io_manager}) as res:
        io = res.io
        assert isinstance(io, InMemoryIOManager)
        io.handle_output(build_output_context(step_key="a", name="result", run_id="r", asset_key="a"), 1)
        io.handle_output(build_output_context(step_key="o", name="result", run_id="r"), 2)
        io.handle_output(build_output_context(asset_key="p", partition_key="k1"), 3)
        # loaded by the input's (upstream) asset key, whether or not the upstream output is known
        assert io.load_input(build_input_context(asset_key="a")) == 1
        upstream = build_output_context(asset_key="a")
        assert io.load_input(build_input_context(upstream_output=upstream)) == 1
        op_upstream = build_output_context(step_key="o", name="result", run_id="r")
        assert io.load_input(build_input_context(upstream_output=op_upstream)) == 2
        assert io.load_input(build_input_context(asset_key="p", partition_key="k1")) == 3
        with pytest.raises(StepOutputNotFoundError, match='No value for asset "b" is held by the in-memory'):
            io.load_input(build_input_context(asset_key="b"))
        missing_op = build_output_context(step_key="x", name="result", run_id="r")
        with pytest.raises(StepOutputNotFoundError, match='output "result" of step "x"'):
            io.load_input(build_input_context(upstream_output=missing_op))


# ---- authoring forms ------------------------------------------------------------------------------------


def test_io_manager_decorator_and_definitions() -> None:
    class Store(IOManager):
        def __init__(self, prefix: str) -> None:
            self.prefix = prefix
            self.stored: dict[str, Any] = {}

        def handle_output(self, context: OutputContext, obj: Any) -> None:
            self.stored[context.name] = obj

        def load_input(self, context: InputContext) -> Any:
            return self.prefix + str(self.stored.get(context.name))

    @io_manager(config_schema={"prefix": str})
    def store(init_context: InitResourceContext) -> Store:
        return Store(init_context.resource_config["prefix"])

    @io_manager
    def bare() -> Store:
        return Store("")

    assert isinstance(store, IOManagerDefinition) and isinstance(bare, IOManagerDefinition)
    with build_resources({"io": store}, resource_config={"io": {"config": {"prefix": ">"}}}) as res:
        res.io.handle_output(build_output_context(name="n"), 1)
        assert res.io.load_input(build_input_context(name="n")) == ">1"
    assert isinstance(IOManagerDefinition.hardcoded_io_manager(Store("")), IOManagerDefinition)


def test_configurable_io_manager_and_factory() -> None:
    class Prefixing(ConfigurableIOManager):
        prefix: str = "p"

        def handle_output(self, context: OutputContext, obj: Any) -> None:
            pass

        def load_input(self, context: InputContext) -> Any:
            return self.prefix

    class Factory(ConfigurableIOManagerFactory):
        base: str

        def create_io_manager(self, context: InitResourceContext) -> IOManager:
            return PickledObjectFilesystemIOManager(self.base)

    assert isinstance(coerce_to_resource(Prefixing()), IOManagerDefinition)
    assert isinstance(coerce_to_resource(Factory(base="/tmp")), IOManagerDefinition)
    with build_resources({"a": Prefixing(prefix="z"), "b": Factory(base="/tmp/x")}) as res:
        assert res.a.load_input(build_input_context()) == "z"
        assert isinstance(res.b, PickledObjectFilesystemIOManager) and res.b.base_dir == "/tmp/x"


def test_input_manager() -> None:
    class Loader(InputManager):
        def load_input(self, context: InputContext) -> Any:
            return context.name.upper()

    @input_manager
    def loader() -> Loader:
        return Loader()

    assert isinstance(loader, InputManagerDefinition) and not isinstance(loader, IOManagerDefinition)
    with build_resources({"l": loader}) as res:
        assert res.l.load_input(build_input_context(name="x")) == "X"
