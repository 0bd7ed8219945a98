"""``FilesystemIOManager`` / ``fs_io_manager``: values pickled to files under a base directory.

Layout (as Dagster's): an asset at ``<base_dir>/<asset key path...>`` (plus ``/<partition_key>`` when
partitioned, ``/<key of dimension a>/<key of dimension b>`` when multi-partitioned); an output covering
several partitions is a dict of partition key -> value, one file each, and an input reading several
partitions (a fan-in partition mapping) loads such a dict; an op output at
``<base_dir>/<run_id>/<step_key>/<output_name>`` (plus
``/<mapping_key>``). Files are written atomically (a temporary file renamed into place).

The base directory is ``base_dir`` if given, else the instance's storage directory, else
``$HEADWATER_HOME/storage``, else a temporary directory for this process.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import typing as t
from collections.abc import Mapping, Sequence

from pydantic import Field as PydanticField

from headwater.core.metadata import MetadataValue
from headwater.core.partition_keys import MultiPartitionKey
from headwater.definitions.config_types import Field, StringSource
from headwater.definitions.input_context import InputContext
from headwater.definitions.io_manager import ConfigurableIOManagerFactory, IOManager, io_manager
from headwater.definitions.output_context import OutputContext
from headwater.definitions.resource_context import InitResourceContext
from headwater.errors import InvalidPropertyError

_PROCESS_STORAGE: list[str] = []


def default_storage_dir(instance: t.Any = None) -> str:
    """Where values go when no ``base_dir`` is configured."""
    storage_directory = getattr(instance, "storage_directory", None)
    if callable(storage_directory):
        return str(os.fspath(storage_directory()))
    home = os.environ.get("HEADWATER_HOME")
    if home:
        return os.path.join(home, "storage")
    if not _PROCESS_STORAGE:
        _PROCESS_STORAGE.append(tempfile.mkdtemp(prefix="headwater-storage-"))
    return _PROCESS_STORAGE[0]


def _safe_part(part: str) -> str:
    if part in ("..", "."):
        return part.replace(".", "_")
    return part.replace("/", "_").replace("\\", "_") if ("/" in part or "\\" in part) else part


def _partition_parts(key: str) -> list[str]:
    """Path parts of a partition: the key, or one part per dimension of a multi-partition key (in
    dimension-name order: ``<asset>/red/2024-01-01``, Dagster's layout)."""
    if isinstance(key, MultiPartitionKey):
        return [d.partition_key for d in key.dimension_keys]
    return [key]


def _is_none_type(dagster_type: t.Any) -> bool:
    """Outputs typed ``None`` / ``Nothing`` are not stored (and load as None)."""
    if dagster_type is None:
        return False
    if dagster_type is type(None):
        return True
    return getattr(dagster_type, "typing_type", None) is type(None) or bool(
        getattr(dagster_type, "is_nothing", False)
    )


class PickledObjectFilesystemIOManager(IOManager):
    """Pickles values to files under ``base_dir``."""

    def __init__(self, base_dir: str | os.PathLike[str] | None = None) -> None:
        self.base_dir = os.fspath(base_dir) if base_dir is not None else default_storage_dir()

    def get_path(self, parts: Sequence[str]) -> str:
        """The file for an identifier (``context.get_identifier()`` / ``get_asset_identifier()``)."""
        return os.path.join(self.base_dir, *(_safe_part(p) for p in parts))

    # -- output -------------------------------------------------------------------------------------

    def handle_output(self, context: OutputContext, obj: t.Any) -> None:
        if context.has_dagster_type and _is_none_type(context.dagster_type):
            return
        if context.has_asset_key:
            base = list(context.asset_key.path)
            if context.has_asset_partitions:
                keys = context.asset_partition_keys
                if len(keys) > 1:
                    if not isinstance(obj, Mapping):
                        raise InvalidPropertyError(
                            f"Output for asset {context.asset_key.to_user_string()!r} covers {len(keys)} "
                            f"partitions, so its value must be a dict of partition key -> value; got "
                            f"{type(obj).__name__}."
                        )
                    for key in keys:
                        self._write(self.get_path([*base, *_partition_parts(key)]), obj[key])
                    context.add_output_metadata({"path": MetadataValue.path(self.get_path(base))})
                    return
                base.extend(_partition_parts(keys[0]))
            path = self.get_path(base)
        else:
            path = self.get_path(context.get_identifier())
        digest = self._write(path, obj)
        context.add_output_metadata({"path": MetadataValue.path(path)})
        if context.has_asset_key:
            context.record_data_version(digest)

    @staticmethod
    def _write(path: str, obj: t.Any) -> str:
        """Pickle ``obj`` to ``path`` (atomically); returns the SHA-256 of the bytes written (the data
        version of the stored output)."""
        parent = os.path.dirname(path)
        os.makedirs(parent, exist_ok=True)
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(tmp, path)
            return hashlib.sha256(data).hexdigest()
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    # -- input --------------------------------------------------------------------------------------

    def load_input(self, context: InputContext) -> t.Any:
        if context.has_dagster_type and _is_none_type(context.dagster_type):
            return None
        if context.has_asset_key:
            return self._load_asset(context, list(context.asset_key.path), context.has_asset_partitions)
        upstream = context.upstream_output
        if upstream is None:
            raise InvalidPropertyError(
                "The filesystem IO manager cannot load this input: it has neither an asset key nor an "
                "upstream output."
            )
        if upstream.has_asset_key:
            return self._load_asset(upstream, list(upstream.asset_key.path), upstream.has_asset_partitions)
        path = self.get_path(upstream.get_identifier())
        return self._read(
            path,
            f'output "{upstream.name}" of step "{upstream.step_key}" (run {upstream.run_id})',
            "That step must have run and stored its output with this IO manager (same base_dir) in that run; "
            "re-execute the upstream step.",
        )

    def _load_asset(self, context: InputContext | OutputContext, base: list[str], partitioned: bool) -> t.Any:
        name = "/".join(base)
        what = f'asset "{name}"'
        todo = f'Materialize the upstream asset "{name}" first (with this IO manager and base_dir).'
        if not partitioned:
            return self._read(self.get_path(base), what, todo)
        keys = context.asset_partition_keys
        if len(keys) == 1:
            path = self.get_path([*base, *_partition_parts(keys[0])])
            return self._read(path, f"{what} partition {str(keys[0])!r}", todo)
        return {
            key: self._read(
                self.get_path([*base, *_partition_parts(key)]), f"{what} partition {str(key)!r}", todo
            )
            for key in keys
        }

    @staticmethod
    def _read(path: str, what: str, todo: str) -> t.Any:
        try:
            with open(path, "rb") as file:
                return pickle.load(file)
        except (FileNotFoundError, NotADirectoryError):
            raise FileNotFoundError(f"No stored value for {what}: {path} does not exist. {todo}") from None


class FilesystemIOManager(ConfigurableIOManagerFactory):
    """Stores values as pickle files: assets at ``<base_dir>/<asset key path>`` (``/<partition>``),
    op outputs at ``<base_dir>/<run_id>/<step_key>/<output_name>``. ``base_dir`` defaults to the
    instance's storage directory."""

    base_dir: str | None = PydanticField(default=None, description="Base directory for storing files.")

    def create_io_manager(self, context: InitResourceContext) -> PickledObjectFilesystemIOManager:
        return PickledObjectFilesystemIOManager(self.base_dir or default_storage_dir(context.instance))


@io_manager(
    config_schema={"base_dir": Field(StringSource, is_required=False)},
    description="Stores values as pickle files under base_dir (default: the instance's storage directory).",
)
def fs_io_manager(init_context: InitResourceContext) -> PickledObjectFilesystemIOManager:
    base_dir = (init_context.resource_config or {}).get("base_dir")
    return PickledObjectFilesystemIOManager(base_dir or default_storage_dir(init_context.instance))
