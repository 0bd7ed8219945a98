"""``ParquetIOManager``: pandas or polars DataFrames stored as Parquet files (pyarrow), one per partition.

Built on ``UPathIOManager``, so files go where it puts them (``<base_dir>/<asset key path>.parquet``;
``<base_dir>/<asset key path>/<partition key>.parquet`` per partition) on the local disk or any fsspec
filesystem that is installed (``s3://...`` with s3fs). What is written follows the value: a pandas
DataFrame through ``DataFrame.to_parquet``, a polars DataFrame (or LazyFrame, collected) through
``write_parquet``. What is read follows the input's annotation (``pd.DataFrame``, ``pl.DataFrame``,
``pl.LazyFrame``), else ``default_load_type`` (``"pandas"`` or ``"polars"``); an input's ``columns``
metadata reads only those columns. An input covering several partitions (a partition range, or an
unpartitioned asset downstream of a partitioned one) loads them as one frame, concatenated in partition
order; annotate it ``dict[str, pd.DataFrame]`` to get one frame per partition key instead.
Each stored output records ``dagster/row_count`` and ``dagster/column_schema``. Install with
``pip install 'headwater[parquet]'``.
"""

from __future__ import annotations

import typing as t
from collections.abc import Mapping

from pydantic import Field
from upath import UPath

from headwater.core.metadata import MetadataValue
from headwater.core.table import TableColumn, TableSchema
from headwater.definitions.fs_io_manager import default_storage_dir
from headwater.definitions.input_context import InputContext
from headwater.definitions.io_manager import ConfigurableIOManagerFactory
from headwater.definitions.output_context import OutputContext
from headwater.definitions.resource_context import InitResourceContext
from headwater.definitions.upath_io_manager import UPathIOManager
from headwater.errors import InvalidPropertyError

FrameLibrary = t.Literal["pandas", "polars"]


def _annotation(context: InputContext) -> t.Any:
    return getattr(context.dagster_type, "typing_type", None) if context.has_dagster_type else None


def _wants_dict(context: InputContext) -> bool:
    load_type = _annotation(context)
    return t.get_origin(load_type) in (dict, Mapping) or load_type in (dict, Mapping)


def _frame_type(context: InputContext) -> t.Any:
    """The frame type to load: the annotation (or a dict annotation's value type)."""
    load_type = _annotation(context)
    if _wants_dict(context):
        args = t.get_args(load_type)
        load_type = args[1] if len(args) == 2 else None
    return load_type


def _library_of(load_type: t.Any, default: FrameLibrary) -> tuple[FrameLibrary, bool]:
    """(library, lazy) of a load type."""
    module = getattr(load_type, "__module__", "") or ""
    if module.startswith("polars"):
        return "polars", getattr(load_type, "__name__", "") == "LazyFrame"
    if module.startswith("pandas"):
        return "pandas", False
    return default, False


class ParquetUPathIOManager(UPathIOManager):
    """Writes DataFrames as Parquet files under ``base_path``; see the module docstring."""

    extension = ".parquet"

    def __init__(self, base_path: UPath | None = None, default_load_type: FrameLibrary = "pandas") -> None:
        super().__init__(base_path)
        self._default_load_type: FrameLibrary = default_load_type

    def dump_to_path(self, context: OutputContext, obj: t.Any, path: UPath) -> None:
        module = type(obj).__module__
        if module.startswith("polars"):
            frame = obj.collect() if type(obj).__name__ == "LazyFrame" else obj
            with path.open("wb") as f:
                frame.write_parquet(f)
        elif module.startswith("pandas") and type(obj).__name__ == "DataFrame":
            with path.open("wb") as f:
                obj.to_parquet(f, engine="pyarrow")
        else:
            what = context.asset_key.to_user_string() if context.has_asset_key else context.name
            raise InvalidPropertyError(
                f"ParquetIOManager cannot store the output of {what}: it is a {module}."
                f"{type(obj).__qualname__}, not a pandas or polars DataFrame. Return a DataFrame, or use "
                "another IO manager for this asset (io_manager_key)."
            )

    def load_from_path(self, context: InputContext, path: UPath) -> t.Any:
        library, lazy = _library_of(_frame_type(context), self._default_load_type)
        columns = context.definition_metadata.get("columns")
        columns = list(columns) if columns else None
        with path.open("rb") as f:
            if library == "polars":
                import polars as pl

                frame = pl.read_parquet(f, columns=columns)
                return frame.lazy() if lazy else frame
            import pandas as pd

            return pd.read_parquet(f, columns=columns, engine="pyarrow")

    def load_input(self, context: InputContext) -> t.Any:
        value = super().load_input(context)
        if not isinstance(value, dict) or _wants_dict(context):
            return value
        frames = list(value.values())
        library, _ = _library_of(_frame_type(context), self._default_load_type)
        if library == "polars":
            import polars as pl

            return pl.concat(frames, how="vertical_relaxed")
        import pandas as pd

        return pd.concat(frames, ignore_index=True)

    def get_metadata(self, context: OutputContext, obj: t.Any) -> Mapping[str, t.Any]:
        if type(obj).__name__ == "LazyFrame":
            return {}
        if type(obj).__module__.startswith("polars"):
            columns = [TableColumn(name=n, type=str(d)) for n, d in obj.schema.items()]
        else:
            columns = [TableColumn(name=str(n), type=str(d)) for n, d in obj.dtypes.items()]
        return {
            "dagster/row_count": MetadataValue.int(len(obj)),
            "dagster/column_schema": MetadataValue.table_schema(TableSchema(columns=columns)),
        }


class ParquetIOManager(ConfigurableIOManagerFactory):
    """DataFrames as Parquet files: ``ParquetIOManager(base_dir="data")``; see the module docstring."""

    base_dir: str | None = Field(
        default=None,
        description="Where files go: a local folder or an fsspec URL (s3://bucket/prefix). Default: the "
        "instance's storage folder.",
    )
    storage_options: dict[str, t.Any] = Field(
        default={}, description="Options of the fsspec filesystem of base_dir (credentials, endpoint...)."
    )
    default_load_type: FrameLibrary = Field(
        default="pandas",
        description="The library an input without a DataFrame annotation loads with: pandas or polars.",
    )

    def create_io_manager(self, context: InitResourceContext) -> ParquetUPathIOManager:
        base = self.base_dir or default_storage_dir(context.instance)
        return ParquetUPathIOManager(UPath(base, **self.storage_options), self.default_load_type)
