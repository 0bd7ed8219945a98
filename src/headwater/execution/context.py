"""The context handed to ops and assets: logging, config, resources, run and asset information."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.core.partition_keys import PartitionKeyRange
from headwater.errors import InvalidPropertyError, InvariantViolationError
from headwater.execution.context_partitions import PartitionProperties
from headwater.execution.log_manager import RunLogger

if TYPE_CHECKING:
    from headwater.definitions.op import OpDefinition
    from headwater.execution.run_context import RunContext


class _EmptyResources:
    def __getattr__(self, name: str) -> Any:
        raise InvalidPropertyError(
            f"No resource named '{name}' is available to this op. Add it to the op's required_resource_keys "
            "(or "
            "as a typed parameter) and provide it in resources={...}."
        )

    def _asdict(self) -> dict[str, Any]:
        return {}


class OpExecutionContext(PartitionProperties):
    """What an op sees while it runs (Dagster's ``OpExecutionContext``); the partition properties
    are in ``context_partitions``."""

    _is_headwater_context = True

    __slots__ = (
        "_asset_check_keys",
        "_events",
        "_exit_stack",
        "_input_asset_keys",
        "_instance",
        "_log",
        "_mapping_key",
        "_op_config",
        "_op_def",
        "_output_asset_keys",
        "_output_metadata",
        "_partition_key",
        "_partition_key_range",
        "_partitions_def",
        "_resources",
        "_retry_number",
        "_run",
        "_run_id",
        "_run_obj",
        "_selected_asset_keys",
        "_step_key",
        "_tags",
    )

    def __init__(
        self,
        *,
        run: RunContext | None = None,
        step_key: str | None = None,
        op_def: OpDefinition | None = None,
        op_config: Any = None,
        resources: Any = None,
        output_asset_keys: Mapping[str, AssetKey] | None = None,
        input_asset_keys: Mapping[str, AssetKey] | None = None,
        selected_asset_keys: set[AssetKey] | None = None,
        asset_check_keys: Mapping[str, AssetCheckKey] | None = None,
        partition_key: str | None = None,
        retry_number: int = 0,
        instance: Any = None,
        run_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        mapping_key: str | None = None,
        partition_key_range: PartitionKeyRange | None = None,
        partitions_def: Any = None,
    ) -> None:
        self._run = run
        self._step_key = step_key
        self._op_def = op_def
        self._op_config = op_config
        self._resources = resources if resources is not None else _EmptyResources()
        self._output_asset_keys = dict(output_asset_keys or {})
        self._input_asset_keys = dict(input_asset_keys or {})
        self._selected_asset_keys = selected_asset_keys
        self._asset_check_keys = dict(asset_check_keys or {})
        self._partition_key = partition_key
        self._partition_key_range = PartitionKeyRange(*partition_key_range) if partition_key_range else None
        self._partitions_def = partitions_def
        self._retry_number = retry_number
        self._instance = instance
        self._run_id = run_id
        self._tags = dict(tags or {})
        self._mapping_key = mapping_key
        self._output_metadata: dict[tuple[str, str | None], dict[str, Any]] = {}
        self._events: list[Any] = []
        self._log = RunLogger(run, step_key)
        self._run_obj: Any = None
        self._exit_stack: contextlib.ExitStack | None = None

    # --- run ----------------------------------------------------------------------------
    @property
    def log(self) -> RunLogger:
        return self._log

    @property
    def run_id(self) -> str:
        if self._run is not None:
            return self._run.run_id
        return self._run_id or "EPHEMERAL"

    @property
    def job_name(self) -> str:
        return self._run.job_name if self._run is not None else "ephemeral_job"

    @property
    def run(self) -> Any:
        if self._run is not None:
            return self._run.run
        if self._run_obj is None:
            from types import SimpleNamespace

            self._run_obj = SimpleNamespace(run_id=self.run_id, tags=dict(self._tags), job_name=self.job_name)
        return self._run_obj

    @property
    def dagster_run(self) -> Any:
        return self.run

    @property
    def run_tags(self) -> Mapping[str, str]:
        return dict(self.run.tags)

    def has_tag(self, key: str) -> bool:
        return key in self.run.tags

    def get_tag(self, key: str) -> str | None:
        value = self.run.tags.get(key)
        return None if value is None else str(value)

    @property
    def instance(self) -> Any:
        if self._run is not None:
            return self._run.instance
        if self._instance is None:
            raise InvalidPropertyError("This context has no instance; pass instance=... to build_op_context.")
        return self._instance

    @property
    def retry_number(self) -> int:
        return self._retry_number

    # --- the op -------------------------------------------------------------------------
    @property
    def op_def(self) -> OpDefinition:
        if self._op_def is None:
            raise InvalidPropertyError("op_def is only available while an op runs (or after binding to one).")
        return self._op_def

    @property
    def op_handle(self) -> str:
        return self._step_key or (self._op_def.name if self._op_def else "")

    @property
    def node_handle(self) -> str:
        return self.op_handle

    @property
    def step_key(self) -> str:
        return self._step_key or self.op_handle

    @property
    def op_config(self) -> Any:
        return self._op_config

    @property
    def run_config(self) -> Mapping[str, Any]:
        """The run config as the run was given it (Dagster's ``context.run_config``)."""
        if self._run is None:
            raise InvalidPropertyError(
                "The run_config property is not set on the context when an asset or op is directly invoked."
            )
        return dict(self._run.run.run_config)

    @property
    def job_def(self) -> Any:
        """The job this step runs in."""
        if self._run is None:
            raise InvalidPropertyError(
                "The job_def property is not set on the context when an asset or op is directly invoked."
            )
        return self._run.job

    @property
    def has_partitions(self) -> bool:
        return self._partition_key is not None or (
            self._run is not None and self._run.partition_key is not None
        )

    @property
    def resources(self) -> Any:
        return self._resources

    def get_mapping_key(self) -> str | None:
        return self._mapping_key

    # --- assets -------------------------------------------------------------------------
    @property
    def has_assets_def(self) -> bool:
        return bool(self._output_asset_keys)

    @property
    def asset_key(self) -> AssetKey:
        keys = set(self._output_asset_keys.values())
        if len(keys) > 1:
            raise InvariantViolationError(
                "Cannot call `context.asset_key` in a multi_asset with more than one asset. Use "
                "`context.asset_key_for_output` instead."
            )
        if not keys:
            raise InvalidPropertyError(
                "This op does not compute an asset, so context.asset_key has no value."
            )
        return next(iter(keys))

    def asset_key_for_output(self, output_name: str = "result") -> AssetKey:
        try:
            return self._output_asset_keys[output_name]
        except KeyError:
            raise InvalidPropertyError(f"Output '{output_name}' does not correspond to an asset.") from None

    def asset_key_for_input(self, input_name: str) -> AssetKey:
        try:
            return self._input_asset_keys[input_name]
        except KeyError:
            raise InvalidPropertyError(f"Input '{input_name}' does not correspond to an asset.") from None

    @property
    def selected_asset_keys(self) -> set[AssetKey]:
        if self._selected_asset_keys is not None:
            return set(self._selected_asset_keys)
        return set(self._output_asset_keys.values())

    @property
    def selected_output_names(self) -> set[str]:
        selected = self.selected_asset_keys
        return {n for n, k in self._output_asset_keys.items() if k in selected} | set(self._asset_check_keys)

    @property
    def selected_asset_check_keys(self) -> set[AssetCheckKey]:
        return set(self._asset_check_keys.values())

    @property
    def is_subset(self) -> bool:
        return self._selected_asset_keys is not None and self._selected_asset_keys != set(
            self._output_asset_keys.values()
        )

    # --- metadata and events ------------------------------------------------------------
    def add_output_metadata(
        self, metadata: Mapping[str, Any], output_name: str | None = None, mapping_key: str | None = None
    ) -> None:
        if output_name is None:
            if self._op_def is not None and len(self._op_def.outs) > 1:
                raise InvariantViolationError(
                    "Attempted to add metadata without providing output_name, but multiple outputs exist. "
                    "Please "
                    "provide an output_name to the invocation of `context.add_output_metadata`."
                )
            output_name = next(iter(self._op_def.outs)) if self._op_def is not None else "result"
        self._output_metadata.setdefault((output_name, mapping_key), {}).update(metadata)

    def add_asset_metadata(self, metadata: Mapping[str, Any], asset_key: Any = None) -> None:
        key = AssetKey.from_coercible(asset_key) if asset_key is not None else self.asset_key
        for name, k in self._output_asset_keys.items():
            if k == key:
                self.add_output_metadata(metadata, name)
                return
        raise InvalidPropertyError(f"Asset {key.to_user_string()!r} is not computed by this step.")

    def output_metadata_for(self, output_name: str, mapping_key: str | None = None) -> dict[str, Any]:
        return self._output_metadata.get((output_name, mapping_key), {})

    def get_output_metadata(self, output_name: str, mapping_key: str | None = None) -> dict[str, Any] | None:
        return self._output_metadata.get((output_name, mapping_key))

    def log_event(self, event: Any) -> None:
        """Record an AssetMaterialization, AssetObservation, AssetCheckResult or ExpectationResult."""
        if self._run is not None and self._step_key is not None:
            self._run.log_user_event(self._step_key, event)
        self._events.append(event)

    def get_events(self) -> list[Any]:
        return list(self._events)

    # --- direct invocation --------------------------------------------------------------
    def bind_for_invocation(self, op_def: OpDefinition) -> OpExecutionContext:
        self._op_def = op_def
        return self

    def bind_asset_keys(
        self,
        output_keys: Mapping[str, AssetKey],
        input_keys: Mapping[str, AssetKey],
        selected: set[AssetKey] | None = None,
        partitions_def: Any = None,
    ) -> None:
        """Tell a context built for a direct call which assets it computes (``my_asset(context)``)."""
        if self._run is not None:
            return
        if partitions_def is not None and self._partitions_def is None:
            self._partitions_def = partitions_def
        self._output_asset_keys = dict(output_keys)
        self._input_asset_keys = dict(input_keys)
        if selected is not None:
            self._selected_asset_keys = set(selected)

    @property
    def op_execution_context(self) -> OpExecutionContext:
        return self

    def __enter__(self) -> OpExecutionContext:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._exit_stack is not None:
            self._exit_stack.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} run_id={self.run_id} step={self._step_key}>"


class AssetExecutionContext(OpExecutionContext):
    """What an asset sees while it runs (Dagster's ``AssetExecutionContext``)."""

    __slots__ = ()

    @property
    def assets_def(self) -> Any:
        if self._run is None or self._step_key is None:
            raise InvalidPropertyError("assets_def is only available while the asset runs in a job.")
        return self._run.assets_def_for(self._step_key)


def build_op_context(
    resources: Mapping[str, Any] | None = None,
    op_config: Any = None,
    resources_config: Mapping[str, Any] | None = None,
    instance: Any = None,
    config: Any = None,
    partition_key: str | None = None,
    mapping_key: str | None = None,
    run_tags: Mapping[str, str] | None = None,
    retry_number: int = 0,
    partition_key_range: PartitionKeyRange | None = None,
) -> OpExecutionContext:
    """A context for calling an op directly in a test."""
    ctx = _build(
        OpExecutionContext,
        resources,
        op_config if op_config is not None else config,
        resources_config,
        instance,
        partition_key,
        mapping_key,
        run_tags,
        retry_number,
        None,
    )
    ctx._partition_key_range = PartitionKeyRange(*partition_key_range) if partition_key_range else None
    return ctx


def build_asset_context(
    resources: Mapping[str, Any] | None = None,
    resources_config: Mapping[str, Any] | None = None,
    asset_config: Any = None,
    instance: Any = None,
    partition_key: str | None = None,
    run_tags: Mapping[str, str] | None = None,
    asset_key: Any = None,
    partition_key_range: PartitionKeyRange | None = None,
    partitions_def: Any = None,
) -> AssetExecutionContext:
    """A context for calling an asset directly in a test."""
    out_keys = {"result": AssetKey.from_coercible(asset_key)} if asset_key is not None else None
    ctx = _build(
        AssetExecutionContext,
        resources,
        asset_config,
        resources_config,
        instance,
        partition_key,
        None,
        run_tags,
        0,
        out_keys,
    )
    assert isinstance(ctx, AssetExecutionContext)
    ctx._partition_key_range = PartitionKeyRange(*partition_key_range) if partition_key_range else None
    ctx._partitions_def = partitions_def
    return ctx


def _build(
    cls: type[OpExecutionContext],
    resources: Mapping[str, Any] | None,
    op_config: Any,
    resources_config: Mapping[str, Any] | None,
    instance: Any,
    partition_key: str | None,
    mapping_key: str | None,
    run_tags: Mapping[str, str] | None,
    retry_number: int,
    output_asset_keys: Mapping[str, AssetKey] | None,
) -> OpExecutionContext:
    from headwater.execution.standalone_resources import standalone_resources

    stack = contextlib.ExitStack()
    ctx = cls(
        op_config=op_config,
        resources=standalone_resources(resources, resources_config, instance, stack),
        partition_key=partition_key,
        retry_number=retry_number,
        instance=instance,
        tags=run_tags,
        mapping_key=mapping_key,
        output_asset_keys=output_asset_keys,
    )
    ctx._exit_stack = stack
    return ctx
