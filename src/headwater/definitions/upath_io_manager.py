"""``UPathIOManager``: the base of IO managers that store each value at a path (``universal_pathlib``).

A subclass says how a value is written and read -- ``dump_to_path(context, obj, path)`` and
``load_from_path(context, path)`` -- and may set ``extension`` (e.g. ``".json"``). Paths, as Dagster's:
an asset at ``<base_path>/<asset key path>`` (``/<partition key>`` per partition), an op output at
``<base_path>/<run_id>/<step_key>/<output_name>``, each with the extension. ``base_path`` is a ``UPath``
(a local path, or any fsspec filesystem that is installed). A stored value's path becomes the ``path``
metadata of its output, plus whatever ``get_metadata(context, obj)`` returns.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any

from upath import UPath

from headwater.core.metadata import MetadataValue
from headwater.definitions.input_context import InputContext
from headwater.definitions.io_manager import IOManager
from headwater.definitions.output_context import OutputContext
from headwater.errors import InvalidPropertyError


def _is_none_type(context: InputContext | OutputContext) -> bool:
    if not context.has_dagster_type:
        return False
    t = context.dagster_type
    return (
        t is type(None)
        or getattr(t, "typing_type", None) is type(None)
        or bool(getattr(t, "is_nothing", False))
    )


class UPathIOManager(IOManager):
    """Stores values at paths under ``base_path``; subclasses implement ``dump_to_path`` and
    ``load_from_path``."""

    extension: str | None = None

    def __init__(self, base_path: UPath | None = None) -> None:
        if self.extension and not self.extension.startswith("."):
            raise InvalidPropertyError(
                f"{type(self).__name__}.extension must start with '.'; got {self.extension!r}."
            )
        self._base_path = UPath(base_path) if base_path is not None else UPath(".")

    @property
    def base_path(self) -> UPath:
        return self._base_path

    @property
    def fs(self) -> Any:
        return self._base_path.fs

    @property
    def storage_options(self) -> dict[str, Any]:
        return dict(getattr(self._base_path, "storage_options", {}) or {})

    # -- the subclass contract
    @abc.abstractmethod
    def dump_to_path(self, context: OutputContext, obj: Any, path: UPath) -> None:
        """Write ``obj`` to ``path``."""

    @abc.abstractmethod
    def load_from_path(self, context: InputContext, path: UPath) -> Any:
        """Read the value stored at ``path``."""

    def get_metadata(self, context: OutputContext, obj: Any) -> Mapping[str, Any]:
        """Extra metadata of a stored output (besides its ``path``)."""
        return {}

    # -- paths
    def path_exists(self, path: UPath) -> bool:
        return bool(path.exists())

    def make_directory(self, path: UPath) -> None:
        path.mkdir(parents=True, exist_ok=True)

    def unlink(self, path: UPath) -> None:
        path.unlink()

    def get_asset_relative_path(self, context: InputContext | OutputContext) -> UPath:
        return UPath(*context.asset_key.path)

    def get_op_output_relative_path(self, context: InputContext | OutputContext) -> UPath:
        return UPath(*context.get_identifier())

    def _with_extension(self, path: UPath) -> UPath:
        return path.with_suffix(path.suffix + self.extension) if self.extension else path

    def _path_without_extension(self, context: InputContext | OutputContext) -> UPath:
        if context.has_asset_key:
            return self._base_path / self.get_asset_relative_path(context)
        return self._base_path / self.get_op_output_relative_path(context)

    def _get_path(self, context: InputContext | OutputContext) -> UPath:
        return self._with_extension(self._path_without_extension(context))

    def get_path_for_partition(
        self, context: InputContext | OutputContext, path: UPath, partition: str
    ) -> UPath:
        """Where one partition of the asset at ``path`` (without extension) goes."""
        return path / partition

    def _partition_paths(self, context: InputContext | OutputContext) -> dict[str, UPath]:
        base = self._path_without_extension(context)
        return {
            key: self._with_extension(self.get_path_for_partition(context, base, key))
            for key in context.asset_partition_keys
        }

    # -- IOManager
    def handle_output(self, context: OutputContext, obj: Any) -> None:
        if _is_none_type(context):
            return
        if context.has_asset_key and context.has_asset_partitions:
            paths = self._partition_paths(context)
            if len(paths) > 1:
                if not isinstance(obj, Mapping):
                    raise InvalidPropertyError(
                        f"Output for {len(paths)} partitions must be a dict of partition key -> value; got "
                        f"{type(obj).__name__}."
                    )
                for key, path in paths.items():
                    self._dump(context, obj[key], path)
                return
            [path] = paths.values()
        else:
            path = self._get_path(context)
        self._dump(context, obj, path)
        context.add_output_metadata(
            {"path": MetadataValue.path(str(path)), **self.get_metadata(context, obj)}
        )

    def _dump(self, context: OutputContext, obj: Any, path: UPath) -> None:
        self.make_directory(path.parent)
        context.log.debug(f"Writing file at: {path} using {type(self).__name__}...")
        self.dump_to_path(context, obj, path)

    def load_input(self, context: InputContext) -> Any:
        if _is_none_type(context):
            return None
        source: InputContext | OutputContext = context
        if not context.has_asset_key:
            upstream = context.upstream_output
            if upstream is None:
                raise InvalidPropertyError(
                    f"{type(self).__name__} cannot load an input without an upstream output."
                )
            source = upstream
        if source.has_asset_key and source.has_asset_partitions:
            paths = self._partition_paths(source)
            if len(paths) == 1:
                return self._load(context, next(iter(paths.values())))
            return {key: self._load(context, path) for key, path in paths.items()}
        return self._load(context, self._get_path(source))

    def _load(self, context: InputContext, path: UPath) -> Any:
        context.log.debug(f"Loading file from: {path} using {type(self).__name__}...")
        if not self.path_exists(path):
            raise FileNotFoundError(
                f"No stored value at {path}: materialize the upstream asset or output first (with "
                f"{type(self).__name__} and the same base_path)."
            )
        return self.load_from_path(context, path)
