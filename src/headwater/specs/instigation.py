"""What a schedule or sensor evaluation sends back across processes, as data.

The code-location server runs the user's function (``POST /instigator-tick``) and answers with a
``TickEvaluation``: the run requests (each a ``RunRequestData``), a skip reason, the new cursor,
dynamic partition requests, or the user's error with its traceback. The daemon records it on the tick
before acting on it. ``TickEvaluationRequest`` is the request's body.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.specs.dynamic_partitions_request import (
    AddDynamicPartitionsRequest,
    DeleteDynamicPartitionsRequest,
)

#: Version of the evaluation wire form (request and reply carry it as ``"v"``).
EVALUATION_VERSION = 1

DynamicPartitionsRequest = AddDynamicPartitionsRequest | DeleteDynamicPartitionsRequest


class _Data(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    pass


class RunRequestData(_Data, frozen=True):
    """One run requested by a tick: Dagster's ``RunRequest`` as data."""

    run_key: str | None = None
    run_config: dict[str, Any] = {}
    tags: dict[str, str] = {}
    job_name: str | None = None
    asset_selection: tuple[AssetKey, ...] | None = None
    partition_key: str | None = None
    # The asset checks to run (with no asset_selection: a run of those checks only).
    asset_check_keys: tuple[AssetCheckKey, ...] | None = None


class EvaluationError(_Data, frozen=True):
    """A failed evaluation: the message and the user's traceback (None for a framework error)."""

    message: str
    traceback: str | None = None
    kind: str = "user_code_error"  # "user_code_error" | "timeout" | "not_found" | "location_error"


class TickEvaluation(_Data, frozen=True):
    """The result of one evaluation of a schedule or sensor."""

    run_requests: tuple[RunRequestData, ...] = ()
    skip_reason: str | None = None
    cursor: str | None = None
    cursor_updated: bool = False
    dynamic_partitions_requests: tuple[DynamicPartitionsRequest, ...] = ()
    error: EvaluationError | None = None
    log: tuple[str, ...] = ()
    v: int = EVALUATION_VERSION


class TickEvaluationRequest(_Data, frozen=True):
    """``POST /instigator-tick``: evaluate the schedule or sensor ``name``.

    Schedules get ``scheduled_execution_time`` (epoch seconds); sensors their ``cursor``, the last
    completed tick's time and the last run key. ``timeout`` bounds the user's function (seconds).
    """

    kind: Literal["schedule", "sensor"]
    name: str
    scheduled_execution_time: float | None = None
    cursor: str | None = None
    last_tick_completion_time: float | None = None
    last_run_key: str | None = None
    last_sensor_start_time: float | None = None
    timeout: float = 60.0
    v: int = EVALUATION_VERSION


__all__ = [
    "EVALUATION_VERSION",
    "DynamicPartitionsRequest",
    "EvaluationError",
    "RunRequestData",
    "TickEvaluation",
    "TickEvaluationRequest",
]
