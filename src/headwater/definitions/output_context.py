"""``OutputContext``: what an IO manager is told about the value it stores (``InputContext`` is in
``input_context``). A plain slotted class the engine builds by keyword (cheap: one per output); a
property whose value was not given raises ``InvalidPropertyError`` saying so.
"""

from __future__ import annotations

import logging
import typing as t
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from headwater.core.asset_key import AssetKey, CoercibleToAssetKey
from headwater.definitions.io_context_assets import AssetPartitionProperties
from headwater.definitions.resource_context import Resources
from headwater.errors import InvalidPropertyError

EPHEMERAL_RUN_ID = "__EPHEMERAL_RUN_ID"
EMPTY_MAPPING: Mapping[str, t.Any] = MappingProxyType({})
DEFAULT_LOG = logging.getLogger("headwater")


def absent_property(attr: str, cls: str) -> InvalidPropertyError:
    return InvalidPropertyError(
        f"Attempting to access {attr}, but it was not provided when constructing the {cls}"
    )


def as_resources(resources: Resources | Mapping[str, t.Any] | None) -> Resources:
    if isinstance(resources, Resources):
        return resources
    return Resources(resources)


class OutputContext(AssetPartitionProperties):
    """Describes one output being stored: its step and name, run, asset key and partition, metadata…"""

    __slots__ = (
        "_asset_key",
        "_asset_partition_keys",
        "_asset_partitions_def",
        "_asset_spec",
        "_config",
        "_dagster_type",
        "_data_version",
        "_definition_metadata",
        "_events",
        "_exit_stack",
        "_job_name",
        "_log",
        "_mapping_key",
        "_name",
        "_op_def",
        "_output_metadata",
        "_partition_key",
        "_resource_config",
        "_resources",
        "_run_id",
        "_step_key",
        "_user_metadata",
        "_version",
    )

    _side = "output"

    def __init__(
        self,
        *,
        step_key: str | None = None,
        name: str | None = None,
        job_name: str | None = None,
        run_id: str | None = None,
        definition_metadata: Mapping[str, t.Any] | None = None,
        mapping_key: str | None = None,
        config: t.Any = None,
        dagster_type: t.Any = None,
        log: logging.Logger | None = None,
        version: str | None = None,
        resource_config: Mapping[str, t.Any] | None = None,
        resources: Resources | Mapping[str, t.Any] | None = None,
        op_def: t.Any = None,
        asset_key: AssetKey | None = None,
        partition_key: str | None = None,
        asset_partition_keys: Sequence[str] | None = None,
        asset_partitions_def: t.Any = None,
        asset_spec: t.Any = None,
        output_metadata: Mapping[str, t.Any] | None = None,
    ) -> None:
        self._step_key = step_key
        self._name = name
        self._job_name = job_name
        self._run_id = run_id
        self._definition_metadata = definition_metadata
        self._mapping_key = mapping_key
        self._config = config
        self._dagster_type = dagster_type
        self._log = log
        self._version = version
        self._data_version: str | None = None
        self._resource_config = resource_config
        self._resources = resources
        self._exit_stack: t.Any = None  # set by the test builders, which build resources (closed on exit)
        self._op_def = op_def
        self._asset_key = asset_key
        self._partition_key = partition_key
        self._asset_partition_keys = asset_partition_keys
        self._asset_partitions_def = asset_partitions_def
        self._asset_spec = asset_spec
        self._output_metadata = output_metadata
        self._user_metadata: dict[str, t.Any] | None = None
        self._events: list[t.Any] | None = None

    def __repr__(self) -> str:
        what = (
            f"asset_key={self._asset_key!r}"
            if self._asset_key is not None
            else f"step_key={self._step_key!r}"
        )
        return f"OutputContext({what}, name={self._name!r}, run_id={self._run_id!r})"

    # -- identity ------------------------------------------------------------------------------

    @property
    def step_key(self) -> str:
        if self._step_key is None:
            raise absent_property("step_key", "OutputContext")
        return self._step_key

    @property
    def name(self) -> str:
        if self._name is None:
            raise absent_property("name", "OutputContext")
        return self._name

    @property
    def job_name(self) -> str:
        if self._job_name is None:
            raise absent_property("job_name", "OutputContext")
        return self._job_name

    @property
    def run_id(self) -> str:
        return self._run_id if self._run_id is not None else EPHEMERAL_RUN_ID

    @property
    def mapping_key(self) -> str | None:
        return self._mapping_key

    @property
    def version(self) -> str | None:
        return self._version

    @property
    def op_def(self) -> t.Any:
        if self._op_def is None:
            raise absent_property("op_def", "OutputContext")
        return self._op_def

    @property
    def dagster_type(self) -> t.Any:
        if self._dagster_type is None:
            raise absent_property("dagster_type", "OutputContext")
        return self._dagster_type

    @property
    def has_dagster_type(self) -> bool:
        return self._dagster_type is not None

    # -- config, resources, metadata ------------------------------------------------------------

    @property
    def config(self) -> t.Any:
        return self._config

    @property
    def resource_config(self) -> Mapping[str, t.Any]:
        return self._resource_config if self._resource_config is not None else EMPTY_MAPPING

    @property
    def resources(self) -> Resources:
        resources = self._resources
        if not isinstance(resources, Resources):
            resources = self._resources = as_resources(resources)
        return resources

    def __enter__(self) -> OutputContext:
        return self

    def __exit__(self, *exc: object) -> None:
        """Tear down the resources ``build_output_context`` built (Dagster's ``with`` form)."""
        if self._exit_stack is not None:
            self._exit_stack.close()

    @property
    def log(self) -> logging.Logger:
        return self._log if self._log is not None else DEFAULT_LOG

    @property
    def definition_metadata(self) -> Mapping[str, t.Any]:
        return self._definition_metadata if self._definition_metadata is not None else EMPTY_MAPPING

    @property
    def metadata(self) -> Mapping[str, t.Any]:
        return self.definition_metadata

    @property
    def output_metadata(self) -> Mapping[str, t.Any]:
        """Metadata attached to the output at run time (``Output(value, metadata=...)``)."""
        return self._output_metadata if self._output_metadata is not None else EMPTY_MAPPING

    def add_output_metadata(self, metadata: Mapping[str, t.Any]) -> None:
        """Attach metadata (e.g. the path written) to the output's materialization / handled-output event."""
        if self._user_metadata is None:
            self._user_metadata = {}
        self._user_metadata.update(metadata)

    def record_data_version(self, data_version: str) -> None:
        """Headwater: the data version of the stored output, as the IO manager computed it (e.g. a hash
        of the bytes written); the materialization records it unless the asset reported its own."""
        self._data_version = str(data_version)

    @property
    def recorded_data_version(self) -> str | None:
        return self._data_version

    def get_logged_metadata(self) -> dict[str, t.Any]:
        return dict(self._user_metadata or {})

    def consume_logged_metadata(self) -> dict[str, t.Any]:
        out, self._user_metadata = self._user_metadata or {}, None
        return out

    def log_event(self, event: t.Any) -> None:
        """Record an event (e.g. an AssetMaterialization or AssetObservation) for the engine to emit."""
        if self._events is None:
            self._events = []
        self._events.append(event)

    def get_logged_events(self) -> list[t.Any]:
        return list(self._events or ())

    def consume_events(self) -> list[t.Any]:
        out, self._events = self._events or [], None
        return out

    # -- assets and partitions --------------------------------------------------------------------

    @property
    def asset_spec(self) -> t.Any:
        if self._asset_spec is None:
            raise absent_property("asset_spec", "OutputContext")
        return self._asset_spec

    def get_identifier(self) -> list[str]:
        """``[run_id, step_key, name]`` (+ mapping key), or ``["versioned_outputs", version, step_key,
        name]`` for a versioned output: a unique address of this step output."""
        if self._version is not None:
            return ["versioned_outputs", self._version, self.step_key, self.name]
        identifier = [self.run_id, self.step_key, self.name]
        if self._mapping_key:
            identifier.append(self._mapping_key)
        return identifier


def coerce_asset_key(asset_key: AssetKey | CoercibleToAssetKey | None) -> AssetKey | None:
    return None if asset_key is None else AssetKey.from_coercible(asset_key)


def build_output_context(
    step_key: str | None = None,
    name: str | None = None,
    definition_metadata: Mapping[str, t.Any] | None = None,
    run_id: str | None = None,
    mapping_key: str | None = None,
    config: t.Any = None,
    dagster_type: t.Any = None,
    version: str | None = None,
    resource_config: Mapping[str, t.Any] | None = None,
    resources: Mapping[str, t.Any] | None = None,
    op_def: t.Any = None,
    asset_key: AssetKey | CoercibleToAssetKey | None = None,
    partition_key: str | None = None,
    asset_partitions_def: t.Any = None,
    *,
    job_name: str | None = None,
    asset_partition_keys: Sequence[str] | None = None,
    output_metadata: Mapping[str, t.Any] | None = None,
    metadata: Mapping[str, t.Any] | None = None,
    log: logging.Logger | None = None,
) -> OutputContext:
    """An OutputContext for testing an IO manager's ``handle_output``. ``resources`` are used as given."""
    return OutputContext(
        step_key=step_key,
        name=name,
        job_name=job_name,
        run_id=run_id,
        definition_metadata=definition_metadata if definition_metadata is not None else metadata,
        mapping_key=mapping_key,
        config=config,
        dagster_type=dagster_type,
        log=log,
        version=version,
        resource_config=resource_config,
        resources=resources,
        op_def=op_def,
        asset_key=coerce_asset_key(asset_key),
        partition_key=partition_key,
        asset_partition_keys=asset_partition_keys,
        asset_partitions_def=asset_partitions_def,
        output_metadata=output_metadata,
    )
