"""``custom_path_fs_io_manager``: pickled values at paths the outputs name (``metadata={"path": ...}``)
under a required ``base_dir``, as Dagster's. Each stored value is also recorded as an
``AssetMaterialization`` keyed ``[job, step, output]`` with its ``path``."""

from __future__ import annotations

import os
import pickle
from typing import Any

from headwater.core.asset_events import AssetMaterialization
from headwater.core.asset_key import AssetKey
from headwater.core.metadata import MetadataValue
from headwater.definitions.config_types import Field, StringSource
from headwater.definitions.input_context import InputContext
from headwater.definitions.io_manager import IOManager, io_manager
from headwater.definitions.output_context import OutputContext
from headwater.definitions.resource_context import InitResourceContext
from headwater.errors import InvalidPropertyError


def _path_of(metadata: Any, where: str) -> str:
    path = (metadata or {}).get("path")
    path = getattr(path, "value", path)  # a TextMetadataValue / PathMetadataValue, or a str
    if not isinstance(path, str):
        raise InvalidPropertyError(
            f"custom_path_fs_io_manager needs a 'path' in the metadata of {where} (e.g. "
            f"Out(metadata={{'path': 'out/value.pkl'}}) or @asset(metadata={{'path': ...}})); got {path!r}."
        )
    return path


class CustomPathPickledObjectFilesystemIOManager(IOManager):
    """Pickles each output to ``<base_dir>/<its metadata path>``."""

    def __init__(self, base_dir: str | None = None) -> None:
        self.base_dir = base_dir or "."

    def _get_path(self, path: str) -> str:
        return os.path.join(self.base_dir, path)

    def handle_output(self, context: OutputContext, obj: Any) -> AssetMaterialization:  # type: ignore[override]
        filepath = self._get_path(_path_of(context.definition_metadata, f'output "{context.name}"'))
        os.makedirs(os.path.dirname(filepath) or ".", exist_ok=True)
        context.log.debug(f"Writing file at: {filepath}")
        with open(filepath, "wb") as f:
            pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
        return AssetMaterialization(
            asset_key=AssetKey([context.job_name, context.step_key, context.name]),
            metadata={"path": MetadataValue.path(os.path.abspath(filepath))},
        )

    def load_input(self, context: InputContext) -> Any:
        upstream = context.upstream_output
        if upstream is None:
            raise InvalidPropertyError("custom_path_fs_io_manager loads inputs from upstream outputs only.")
        filepath = self._get_path(_path_of(upstream.definition_metadata, f'output "{upstream.name}"'))
        context.log.debug(f"Loading file from: {filepath}")
        with open(filepath, "rb") as f:
            return pickle.load(f)


@io_manager(config_schema={"base_dir": Field(StringSource, is_required=True)})
def custom_path_fs_io_manager(
    init_context: InitResourceContext,
) -> CustomPathPickledObjectFilesystemIOManager:
    """Pickled values at the ``path`` each output's metadata names, under ``base_dir``."""
    return CustomPathPickledObjectFilesystemIOManager(
        base_dir=(init_context.resource_config or {}).get("base_dir")
    )
