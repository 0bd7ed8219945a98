"""What schedules and sensors return: ``RunRequest``, ``SkipReason``, ``SensorResult``; their default
statuses; and the one function that reads any of the shapes a user function may return into a
``TickEvaluation`` (``specs.instigation``), the form that crosses to the daemon."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import Any

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.specs.dynamic_partitions_request import (
    AddDynamicPartitionsRequest,
    DeleteDynamicPartitionsRequest,
)
from headwater.specs.instigation import RunRequestData, TickEvaluation


class DefaultScheduleStatus(Enum):
    """Whether a schedule runs before anyone starts or stops it (Dagster's names)."""

    RUNNING = "RUNNING"
    STOPPED = "STOPPED"


class DefaultSensorStatus(Enum):
    """Whether a sensor runs before anyone starts or stops it (Dagster's names)."""

    RUNNING = "RUNNING"
    STOPPED = "STOPPED"


def _asset_keys(selection: Any) -> tuple[AssetKey, ...] | None:
    if selection is None:
        return None
    if isinstance(selection, (str, AssetKey)) or hasattr(selection, "key"):
        selection = [selection]
    if hasattr(selection, "resolve") and not isinstance(selection, Sequence):
        raise InvalidInvocationError(
            "RunRequest(asset_selection=...) takes a list of asset keys; resolve an AssetSelection "
            "first (context.repository_def is not available) or target the assets on the sensor."
        )
    return tuple(AssetKey.from_coercible_or_definition(k) for k in selection)


class RunRequest:
    """Ask for one run: of the instigator's job (or ``job_name``), with ``run_config`` and ``tags``,
    for ``partition_key``; ``asset_selection`` narrows an asset job. Two requests of one sensor with
    the same ``run_key`` make one run."""

    def __init__(
        self,
        run_key: str | None = None,
        run_config: Mapping[str, Any] | None = None,
        tags: Mapping[str, Any] | None = None,
        job_name: str | None = None,
        asset_selection: Sequence[Any] | None = None,
        stale_assets_only: bool = False,
        partition_key: str | None = None,
        asset_check_keys: Sequence[Any] | None = None,
    ) -> None:
        if run_key is not None and not isinstance(run_key, str):
            raise InvalidDefinitionError(f"RunRequest(run_key=...) must be a string, got {run_key!r}.")
        self.run_key = run_key
        self.run_config = dict(run_config or {})
        if hasattr(run_config, "to_config_dict"):
            self.run_config = run_config.to_config_dict()  # type: ignore[union-attr]
        self.tags = {str(k): str(v) for k, v in (tags or {}).items()}
        self.job_name = job_name
        self.asset_selection = _asset_keys(asset_selection)
        self.stale_assets_only = stale_assets_only
        self.partition_key = partition_key
        self.asset_check_keys = _check_keys(asset_check_keys)

    def __repr__(self) -> str:
        fields = ("run_key", "run_config", "tags", "job_name", "asset_selection", "partition_key")
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in fields if getattr(self, f))
        return f"RunRequest({inner})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RunRequest) and self.to_data() == other.to_data()

    def __hash__(self) -> int:
        return hash((self.run_key, self.job_name, self.partition_key))

    def with_replaced_attrs(self, **kwargs: Any) -> RunRequest:
        fields = {
            "run_key": self.run_key,
            "run_config": self.run_config,
            "tags": self.tags,
            "job_name": self.job_name,
            "asset_selection": self.asset_selection,
            "partition_key": self.partition_key,
        }
        return RunRequest(**{**fields, **kwargs})

    def to_data(self) -> RunRequestData:
        return RunRequestData(
            run_key=self.run_key,
            run_config=self.run_config,
            tags=self.tags,
            job_name=self.job_name,
            asset_selection=self.asset_selection,
            partition_key=self.partition_key,
            asset_check_keys=tuple(self.asset_check_keys) if self.asset_check_keys is not None else None,
        )


def _check_keys(keys: Sequence[Any] | None) -> list[AssetCheckKey] | None:
    if keys is None:
        return None
    out: list[AssetCheckKey] = []
    for key in keys:
        if isinstance(key, AssetCheckKey):
            out.append(AssetCheckKey(AssetKey.from_coercible(key.asset_key), key.name))
        elif isinstance(key, str) and ":" in key:
            out.append(AssetCheckKey.from_user_string(key))
        else:
            raise InvalidDefinitionError(
                "RunRequest(asset_check_keys=...) takes AssetCheckKeys (or 'asset:check' strings); got "
                f"{key!r}."
            )
    return out


class SkipReason:
    """No run this tick, and why (shown on the tick)."""

    def __init__(self, skip_message: str | None = None) -> None:
        self.skip_message = skip_message

    def __repr__(self) -> str:
        return f"SkipReason({self.skip_message!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SkipReason) and other.skip_message == self.skip_message

    def __hash__(self) -> int:
        return hash(self.skip_message)


class SensorResult:
    """Everything one sensor evaluation decided: runs, a skip reason, the new cursor, dynamic partitions."""

    def __init__(
        self,
        run_requests: Sequence[RunRequest] | None = None,
        skip_reason: SkipReason | str | None = None,
        cursor: str | None = None,
        dynamic_partitions_requests: Sequence[Any] | None = None,
        asset_events: Sequence[Any] | None = None,
        automation_condition_evaluations: Any = None,
    ) -> None:
        if skip_reason is not None and run_requests:
            raise InvalidDefinitionError(
                "SensorResult: pass either run_requests or skip_reason, not both "
                "(a tick that requests runs is not skipped)."
            )
        self.run_requests = list(run_requests) if run_requests is not None else None
        self.skip_reason = SkipReason(skip_reason) if isinstance(skip_reason, str) else skip_reason
        self.cursor = cursor
        self.dynamic_partitions_requests = list(dynamic_partitions_requests or [])
        self.asset_events = list(asset_events or [])
        if asset_events:
            raise InvalidDefinitionError(
                "SensorResult(asset_events=...) is not supported yet: report the events from an asset "
                "or with instance.report_runless_asset_event(...)."
            )


def evaluation_from_result(
    result: Any,
    *,
    what: str,
    cursor: str | None = None,
    cursor_updated: bool = False,
    default_run_config: Mapping[str, Any] | None = None,
    default_tags: Mapping[str, str] | None = None,
) -> TickEvaluation:
    """Read what a schedule or sensor function returned (or yielded) into a ``TickEvaluation``.

    Accepted: None, a ``RunRequest``, a ``SkipReason``, a ``SensorResult``, a run config dict (a
    schedule's legacy form), or a list/generator of run requests (and at most one skip reason).
    """
    if inspect.isgenerator(result) or (isinstance(result, Iterable) and not isinstance(result, (dict, str))):
        items = list(result)
    else:
        items = [result]
    requests: list[RunRequestData] = []
    skip: str | None = None
    skipped = False
    partitions: list[AddDynamicPartitionsRequest | DeleteDynamicPartitionsRequest] = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, RunRequest):
            requests.append(item.to_data())
        elif isinstance(item, SkipReason):
            skipped, skip = True, item.skip_message
        elif isinstance(item, SensorResult):
            if len(items) > 1:
                raise InvalidDefinitionError(
                    f"{what} returned a SensorResult along with other values: return one SensorResult."
                )
            requests.extend(r.to_data() for r in item.run_requests or ())
            if item.skip_reason is not None:
                skipped, skip = True, item.skip_reason.skip_message
            if item.cursor is not None:
                cursor, cursor_updated = item.cursor, True
            partitions.extend(item.dynamic_partitions_requests)
        elif isinstance(item, Mapping):
            requests.append(RunRequest(run_config=item, tags=default_tags).to_data())
        else:
            raise InvalidDefinitionError(
                f"{what} returned {item!r} ({type(item).__name__}): expected RunRequest, SkipReason, "
                "SensorResult, a run config dict, or a list or generator of RunRequests."
            )
    if skipped and requests:
        raise InvalidDefinitionError(
            f"{what} returned both run requests and a SkipReason: return one or the other."
        )
    if default_run_config or default_tags:
        requests = [
            RunRequestData(
                run_key=r.run_key,
                run_config=r.run_config or dict(default_run_config or {}),
                tags={**(default_tags or {}), **r.tags},
                job_name=r.job_name,
                asset_selection=r.asset_selection,
                partition_key=r.partition_key,
            )
            for r in requests
        ]
    if not requests and not skipped:  # Dagster's words for a function that asked for nothing
        skip = f"{what.split(' ', 1)[0]} function returned an empty result"
    return TickEvaluation(
        run_requests=tuple(requests),
        skip_reason=skip,
        cursor=cursor,
        cursor_updated=cursor_updated,
        dynamic_partitions_requests=tuple(partitions),
    )


__all__ = [
    "DefaultScheduleStatus",
    "DefaultSensorStatus",
    "RunRequest",
    "SensorResult",
    "SkipReason",
    "evaluation_from_result",
]
