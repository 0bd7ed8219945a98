"""AssetValueLoader: read an asset's stored value through its IO manager, outside any run.

Behind ``Definitions.load_asset_value`` and ``Definitions.get_asset_value_loader``. The IO manager is
built from the Definitions' resources (plus those attached to the asset); without an ``io_manager``
resource, the default is the filesystem IO manager under the instance's storage directory — the
same place ``materialize`` stores values by default.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from headwater.core.asset_key import AssetKey
from headwater.definitions.input_context import InputContext
from headwater.definitions.output_context import OutputContext
from headwater.definitions.type_resolution import resolve_dagster_type
from headwater.errors import InvariantViolationError
from headwater.execution.resource_builder import initialize_resources

if TYPE_CHECKING:
    from headwater.definitions.definitions import Definitions


class AssetValueLoader:
    """Loads asset values; IO managers (and the resources they need) are built once and torn down on exit.

    Use it as a context manager::

        with defs.get_asset_value_loader() as loader:
            orders = loader.load_asset_value("orders")
    """

    def __init__(self, defs: Definitions, instance: Any = None) -> None:
        self._defs = defs
        self._instance = instance
        self._stack = contextlib.ExitStack()
        self._managers: dict[str, Any] = {}

    def __enter__(self) -> AssetValueLoader:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Tear down the resources built so far."""
        self._managers.clear()
        self._stack.close()

    def load_asset_value(
        self,
        asset_key: Any,
        *,
        python_type: type | None = None,
        partition_key: str | None = None,
        input_definition_metadata: Mapping[str, Any] | None = None,
        resource_config: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> Any:
        """The stored value of ``asset_key`` (``python_type`` becomes ``context.dagster_type``)."""
        key = AssetKey.from_coercible_or_definition(asset_key)
        collection = self._defs.collection
        if key not in collection.graph.nodes:
            raise InvariantViolationError(
                f"Asset key {key!r} not found: it is not among the assets of these Definitions."
            )
        io_key = collection.io_manager_key_for(key)
        manager = self._io_manager(io_key, collection.resource_defs_for(key), resource_config)
        producer = collection.producer.get(key)
        spec = collection.spec_for(key)
        source = collection.source_by_key.get(key)
        op_def = producer.node_def if producer is not None and producer.is_executable else None
        output_name = producer.output_names_by_key.get(key) if producer is not None else None
        definition_metadata = spec.metadata if spec is not None else (source.metadata if source else {})
        # the asset's partitions definition, for IO managers that select a partition by its time window
        owner = spec if spec is not None else source
        partitions_def = owner.partitions_def if owner is not None and partition_key else None
        upstream = OutputContext(
            name=output_name,
            definition_metadata=definition_metadata,
            asset_key=key,
            op_def=op_def,
            partition_key=partition_key,
            asset_partitions_def=partitions_def,
            resources=self._resources_view(),
        )
        context = InputContext(
            name=None,
            asset_key=key,
            dagster_type=resolve_dagster_type(python_type) if python_type is not None else None,
            upstream_output=upstream,
            definition_metadata=input_definition_metadata
            if input_definition_metadata is not None
            else metadata,
            resources=self._resources_view(),
            partition_key=partition_key,
            asset_partitions_def=partitions_def,
            instance=self._instance,
        )
        return manager.load_input(context)

    # --- resources ----------------------------------------------------------------------------
    def _io_manager(
        self, io_key: str, asset_resources: Mapping[str, Any], resource_config: Mapping[str, Any] | None
    ) -> Any:
        manager = self._managers.get(io_key)
        if manager is not None:
            return manager
        resource_defs: dict[str, Any] = {**self._defs.resources, **asset_resources}
        if "io_manager" not in resource_defs:
            from headwater.definitions.fs_io_manager import FilesystemIOManager

            resource_defs["io_manager"] = FilesystemIOManager()
        if io_key not in resource_defs:
            raise InvariantViolationError(
                f"Cannot load the asset: its IO manager key '{io_key}' has no resource in these Definitions. "
                f"Provide one in Definitions(resources={{'{io_key}': ...}})."
            )
        config = {
            k: v if isinstance(v, Mapping) and "config" in v else {"config": v}
            for k, v in (resource_config or {}).items()
        }
        built = self._stack.enter_context(
            initialize_resources(resource_defs, config, keys={io_key}, instance=self._instance)
        )
        for name, value in built._asdict().items():
            self._managers.setdefault(name, value)
        return self._managers[io_key]

    def _resources_view(self) -> dict[str, Any]:
        return dict(self._managers)


__all__ = ["AssetValueLoader"]
