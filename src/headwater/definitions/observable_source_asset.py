"""Observable source assets: assets produced outside Headwater whose version a function observes.

``@observable_source_asset`` makes a ``SourceAsset`` with an ``observe_fn``;
``@multi_observable_source_asset`` an ``AssetsDefinition`` observing several assets (each
``ObserveResult`` names its key). Running one (in a job over its key, ``observe([...])``, or the
daemon's auto-observe loop) stores an ``ASSET_OBSERVATION`` event per asset (per partition for
``DataVersionsByPartition``), tagged ``dagster/data_version`` with the version observed: the asset
index keeps the latest one per asset and per partition, where staleness reads it.

``auto_observe_interval_minutes`` (on the decorator, ``SourceAsset`` or as the spec metadata
``dagster/auto_observe_interval_minutes``) asks the daemon to observe the asset that often; it is
carried in the asset's spec, so the daemon sees it without the code.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

from headwater.core.asset_events import DATA_VERSION_TAG, AssetObservation
from headwater.core.asset_key import AssetKey, coerce_prefix
from headwater.core.data_version import DataVersion, DataVersionsByPartition
from headwater.definitions.asset_check_spec import AssetCheckSpec
from headwater.definitions.asset_spec import AssetSpec, SourceAsset
from headwater.definitions.assets import AssetsDefinition
from headwater.definitions.fn_signature import read_signature
from headwater.definitions.multi_asset import multi_asset
from headwater.definitions.op import OpDefinition
from headwater.definitions.outputs import Out
from headwater.definitions.results import ObserveResult
from headwater.definitions.types import Nothing
from headwater.errors import InvalidDefinitionError, InvalidObservationError, InvariantViolationError

#: The spec metadata key that carries the auto-observe interval (Dagster's name).
AUTO_OBSERVE_INTERVAL_METADATA_KEY = "dagster/auto_observe_interval_minutes"
#: The execution type of an observation definition (Dagster's ``AssetExecutionType.OBSERVATION``).
OBSERVATION = "OBSERVATION"


@overload
def observable_source_asset(observe_fn: Callable[..., Any], /) -> SourceAsset: ...


@overload
def observable_source_asset(
    observe_fn: None = None,
    /,
    *,
    key: Any = None,
    name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    io_manager_key: str | None = None,
    io_manager_def: Any = None,
    description: str | None = None,
    group_name: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
    resource_defs: Mapping[str, Any] | None = None,
    partitions_def: Any = None,
    automation_condition: Any = None,
    op_tags: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    auto_observe_interval_minutes: float | None = None,
) -> Callable[[Callable[..., Any]], SourceAsset]: ...


def observable_source_asset(
    observe_fn: Callable[..., Any] | None = None,
    /,
    *,
    key: Any = None,
    name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    io_manager_key: str | None = None,
    io_manager_def: Any = None,
    description: str | None = None,
    group_name: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
    resource_defs: Mapping[str, Any] | None = None,
    partitions_def: Any = None,
    automation_condition: Any = None,
    op_tags: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    auto_observe_interval_minutes: float | None = None,
) -> SourceAsset | Callable[[Callable[..., Any]], SourceAsset]:
    """A source asset whose function observes it: it returns a ``DataVersion``, an ``ObserveResult``
    or, when partitioned, a ``DataVersionsByPartition``."""

    def build(fn: Callable[..., Any]) -> SourceAsset:
        if key is not None and (name is not None or key_prefix is not None):
            raise InvalidDefinitionError(
                "Cannot specify a name or key prefix for @observable_source_asset when the key argument "
                "is provided."
            )
        asset_key = (
            AssetKey.from_coercible(key)
            if key is not None
            else AssetKey([*coerce_prefix(key_prefix), name or fn.__name__])
        )
        signature = read_signature(fn, decorator="observable_source_asset")
        if signature.inputs:
            raise InvalidDefinitionError(
                f"@observable_source_asset '{asset_key.to_user_string()}': the observe function takes "
                f"parameters {[p.name for p in signature.inputs]} that are neither the context nor "
                "resources; an observe function has no inputs (annotate resources with their class)."
            )
        if required_resource_keys and signature.resource_params:
            raise InvalidDefinitionError(
                "Cannot specify resource requirements in both @observable_source_asset decorator and as "
                "arguments to the decorated function"
            )
        return SourceAsset(
            asset_key,
            metadata=metadata,
            io_manager_key=io_manager_key,
            io_manager_def=io_manager_def,
            description=description or inspect.getdoc(fn),
            partitions_def=partitions_def,
            group_name=group_name,
            resource_defs=resource_defs,
            observe_fn=fn,
            op_tags=op_tags,
            tags=tags,
            auto_observe_interval_minutes=auto_observe_interval_minutes,
            automation_condition=automation_condition,
            _required_resource_keys={*(required_resource_keys or ()), *signature.resource_params},
        )

    if observe_fn is not None:
        return build(observe_fn)
    return build


def multi_observable_source_asset(
    *,
    specs: Sequence[AssetSpec],
    name: str | None = None,
    description: str | None = None,
    partitions_def: Any = None,
    can_subset: bool = False,
    required_resource_keys: set[str] | None = None,
    resource_defs: Mapping[str, Any] | None = None,
    group_name: str | None = None,
    check_specs: Sequence[AssetCheckSpec] | None = None,
) -> Callable[[Callable[..., Any]], AssetsDefinition]:
    """Observe several source assets with one function, which yields (or returns) an
    ``ObserveResult(asset_key=..., data_version=...)`` per asset."""

    def build(fn: Callable[..., Any]) -> AssetsDefinition:
        ad = multi_asset(
            specs=specs,
            name=name,
            description=description,
            partitions_def=partitions_def,
            can_subset=can_subset,
            required_resource_keys=required_resource_keys,
            resource_defs=resource_defs,
            group_name=group_name,
            check_specs=check_specs,
        )(fn)
        ad.is_observable = True
        ad.execution_type = OBSERVATION
        return ad

    return build


def observation_assets_def(source: SourceAsset) -> AssetsDefinition:
    """The observation definition of an observable source asset: its observe function as an op (named
    after the key, as Dagster names it) whose step records the observations."""
    if source.observe_fn is None:
        raise InvariantViolationError(
            f"Source asset {source.key.to_user_string()!r} has no observe function; only an observable "
            "source asset (@observable_source_asset) can be observed."
        )
    return _build_observation_def(source)


def _build_observation_def(source: SourceAsset) -> AssetsDefinition:
    fn = source.observe_fn
    assert fn is not None
    signature = read_signature(fn, decorator="observable_source_asset")
    key = source.key
    partitioned = source.partitions_def is not None

    @functools.wraps(fn)
    def observe(*args: Any, **kwargs: Any) -> Iterator[AssetObservation]:
        yield from observations(key, fn(*args, **kwargs), partitioned)

    op_def = OpDefinition(
        compute_fn=observe,
        name=key.to_python_identifier(),
        ins={},
        outs={"result": Out(dagster_type=Nothing, is_required=False)},
        description=source.description,
        required_resource_keys=source.required_resource_keys - set(signature.resource_params),
        tags=source.op_tags,
        signature=signature,
        decorator="observable_source_asset",
    )
    metadata = dict(source.metadata)
    if source.auto_observe_interval_minutes:
        metadata[AUTO_OBSERVE_INTERVAL_METADATA_KEY] = source.auto_observe_interval_minutes
    spec = AssetSpec(
        key,
        description=source.description,
        metadata=metadata,
        group_name=source.group_name,
        tags=source.tags,
        owners=source.owners,
        partitions_def=source.partitions_def,
        automation_condition=source.automation_condition,
    )
    return AssetsDefinition(
        keys_by_input_name={},
        keys_by_output_name={"result": key},
        node_def=op_def,
        specs=[spec],
        resource_defs=source.resource_defs,
        is_observable=True,
        io_manager_keys_by_output_name={"result": source.io_manager_key},
        partitions_def=source.partitions_def,
        execution_type=OBSERVATION,
    )


def observations(key: AssetKey, returned: Any, partitioned: bool) -> Iterator[AssetObservation]:
    """The observations an observe function's return value stands for (Dagster's tags: the data
    version under ``dagster/data_version``, then the result's own tags)."""
    if isinstance(returned, (DataVersion, ObserveResult)):
        if isinstance(returned, ObserveResult):
            if returned.asset_key is not None and returned.asset_key != key:
                raise InvariantViolationError(
                    f"Asset key {returned.asset_key.to_user_string()} not found in AssetsDefinition "
                    f"(the observe function of {key.to_user_string()!r} can only report on that asset)."
                )
            version, metadata, extra = returned.data_version, returned.metadata, returned.tags or {}
        else:
            version, metadata, extra = returned, {}, {}
        value = _version_value(version)
        tags = {**({DATA_VERSION_TAG: value} if value is not None else {}), **extra}
        yield AssetObservation(key, metadata=metadata or None, tags=tags)
    elif isinstance(returned, DataVersionsByPartition):
        if not partitioned:
            raise InvalidObservationError(
                f"{key} is not partitioned, so its observe function should return a "
                "DataVersion, not a DataVersionsByPartition"
            )
        for partition, version in returned.data_versions_by_partition.items():
            yield AssetObservation(key, partition=partition, tags={DATA_VERSION_TAG: version.value})
    else:
        raise InvalidObservationError(
            f"Observe function for {key} must return a DataVersion or "
            f"DataVersionsByPartition, but returned a value of type {type(returned)}"
        )


def _version_value(version: Any) -> str | None:
    if version is None:
        return None
    return version.value if isinstance(version, DataVersion) else str(version)


def auto_observe_interval_of(spec: AssetSpec) -> float | None:
    """The auto-observe interval an asset spec carries in its metadata (None: none)."""
    value = spec.metadata.get(AUTO_OBSERVE_INTERVAL_METADATA_KEY)
    if value is None:
        return None
    raw = getattr(value, "value", value)
    try:
        minutes = float(raw)
    except (TypeError, ValueError):
        raise InvalidDefinitionError(
            f"Asset {spec.key.to_user_string()!r}: metadata {AUTO_OBSERVE_INTERVAL_METADATA_KEY!r} must be "
            f"a number of minutes; got {raw!r}."
        ) from None
    if minutes <= 0:
        raise InvalidDefinitionError(
            f"Asset {spec.key.to_user_string()!r}: auto_observe_interval_minutes must be positive; got "
            f"{minutes}."
        )
    return minutes


__all__ = [
    "AUTO_OBSERVE_INTERVAL_METADATA_KEY",
    "auto_observe_interval_of",
    "multi_observable_source_asset",
    "observable_source_asset",
    "observation_assets_def",
]
