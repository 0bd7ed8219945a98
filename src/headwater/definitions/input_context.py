"""``InputContext``: what an IO manager is told about the value it loads. A plain slotted class the
engine builds by keyword; a property whose value was not given raises ``InvalidPropertyError``.
"""

from __future__ import annotations

import logging
import typing as t
from collections.abc import Mapping, Sequence

from headwater.core.asset_key import AssetKey, CoercibleToAssetKey
from headwater.definitions.io_context_assets import AssetPartitionProperties
from headwater.definitions.output_context import (
    DEFAULT_LOG,
    EMPTY_MAPPING,
    OutputContext,
    absent_property,
    as_resources,
    coerce_asset_key,
)
from headwater.definitions.resource_context import Resources
from headwater.errors import InvalidPropertyError


class InputContext(AssetPartitionProperties):
    """Describes one input being loaded: its name, the upstream output, the asset key and partitions…"""

    __slots__ = (
        "_asset_key",
        "_asset_partition_keys",
        "_asset_partitions_def",
        "_config",
        "_dagster_type",
        "_definition_metadata",
        "_exit_stack",
        "_instance",
        "_job_name",
        "_log",
        "_name",
        "_op_def",
        "_partition_key",
        "_resource_config",
        "_resources",
        "_upstream_output",
        "_user_metadata",
    )

    _side = "input"

    def __init__(
        self,
        *,
        name: str | None = None,
        job_name: str | None = None,
        op_def: t.Any = None,
        config: t.Any = None,
        definition_metadata: Mapping[str, t.Any] | None = None,
        upstream_output: OutputContext | None = None,
        dagster_type: t.Any = None,
        log: logging.Logger | None = None,
        resource_config: Mapping[str, t.Any] | None = None,
        resources: Resources | Mapping[str, t.Any] | None = None,
        asset_key: AssetKey | None = None,
        partition_key: str | None = None,
        asset_partition_keys: Sequence[str] | None = None,
        asset_partitions_def: t.Any = None,
        instance: t.Any = None,
    ) -> None:
        self._name = name
        self._job_name = job_name
        self._op_def = op_def
        self._config = config
        self._definition_metadata = definition_metadata
        self._upstream_output = upstream_output
        self._dagster_type = dagster_type
        self._log = log
        self._resource_config = resource_config
        self._resources = resources
        self._exit_stack: t.Any = None  # set by the test builders, which build resources (closed on exit)
        self._asset_key = asset_key
        self._partition_key = partition_key
        self._asset_partition_keys = asset_partition_keys
        self._asset_partitions_def = asset_partitions_def
        self._instance = instance
        self._user_metadata: dict[str, t.Any] | None = None

    def __repr__(self) -> str:
        return f"InputContext(name={self._name!r}, asset_key={self._asset_key!r})"

    @property
    def has_input_name(self) -> bool:
        return self._name is not None

    @property
    def name(self) -> str:
        if self._name is None:
            raise absent_property("name", "InputContext")
        return self._name

    @property
    def job_name(self) -> str:
        if self._job_name is None:
            raise absent_property("job_name", "InputContext")
        return self._job_name

    @property
    def op_def(self) -> t.Any:
        if self._op_def is None:
            raise absent_property("op_def", "InputContext")
        return self._op_def

    @property
    def config(self) -> t.Any:
        return self._config

    @property
    def definition_metadata(self) -> Mapping[str, t.Any]:
        return self._definition_metadata if self._definition_metadata is not None else EMPTY_MAPPING

    @property
    def metadata(self) -> Mapping[str, t.Any]:
        return self.definition_metadata

    @property
    def upstream_output(self) -> OutputContext | None:
        return self._upstream_output

    @property
    def dagster_type(self) -> t.Any:
        if self._dagster_type is None:
            raise absent_property("dagster_type", "InputContext")
        return self._dagster_type

    @property
    def has_dagster_type(self) -> bool:
        return self._dagster_type is not None

    @property
    def log(self) -> logging.Logger:
        return self._log if self._log is not None else DEFAULT_LOG

    @property
    def resource_config(self) -> Mapping[str, t.Any]:
        return self._resource_config if self._resource_config is not None else EMPTY_MAPPING

    @property
    def resources(self) -> Resources:
        resources = self._resources
        if not isinstance(resources, Resources):
            resources = self._resources = as_resources(resources)
        return resources

    def __enter__(self) -> InputContext:
        return self

    def __exit__(self, *exc: object) -> None:
        """Tear down the resources ``build_input_context`` built (Dagster's ``with`` form)."""
        if self._exit_stack is not None:
            self._exit_stack.close()

    @property
    def instance(self) -> t.Any:
        if self._instance is None:
            raise absent_property("instance", "InputContext")
        return self._instance

    def add_input_metadata(self, metadata: Mapping[str, t.Any]) -> None:
        if self._user_metadata is None:
            self._user_metadata = {}
        self._user_metadata.update(metadata)

    def get_logged_metadata(self) -> dict[str, t.Any]:
        return dict(self._user_metadata or {})

    # -- assets and partitions --------------------------------------------------------------------

    def get_identifier(self) -> list[str]:
        """The upstream output's identifier (``[run_id, step_key, name]``)."""
        if self._upstream_output is None:
            raise InvalidPropertyError(
                "InputContext.upstream_output not defined. Cannot compute an identifier"
            )
        return self._upstream_output.get_identifier()


def build_input_context(
    name: str | None = None,
    config: t.Any = None,
    definition_metadata: Mapping[str, t.Any] | None = None,
    upstream_output: OutputContext | None = None,
    dagster_type: t.Any = None,
    resource_config: Mapping[str, t.Any] | None = None,
    resources: Mapping[str, t.Any] | None = None,
    op_def: t.Any = None,
    asset_key: AssetKey | CoercibleToAssetKey | None = None,
    partition_key: str | None = None,
    asset_partitions_def: t.Any = None,
    instance: t.Any = None,
    *,
    job_name: str | None = None,
    asset_partition_keys: Sequence[str] | None = None,
    metadata: Mapping[str, t.Any] | None = None,
    log: logging.Logger | None = None,
) -> InputContext:
    """An InputContext for testing an IO manager's ``load_input``. ``resources`` are used as given."""
    return InputContext(
        name=name,
        job_name=job_name,
        op_def=op_def,
        config=config,
        definition_metadata=definition_metadata if definition_metadata is not None else metadata,
        upstream_output=upstream_output,
        dagster_type=dagster_type,
        log=log,
        resource_config=resource_config,
        resources=resources,
        asset_key=coerce_asset_key(asset_key),
        partition_key=partition_key,
        asset_partition_keys=asset_partition_keys,
        asset_partitions_def=asset_partitions_def,
        instance=instance,
    )
