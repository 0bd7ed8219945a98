"""The Celery app of the Celery executor: one per (broker, backend, include, config_source), with its
one task, ``headwater.execute_step``, which runs a step task through the remote step worker.

Settings that keep a step from being lost or run twice: acks late (a message is acknowledged after
its step), ``task_reject_on_worker_lost`` (a pool child that dies gives its message back),
prefetch 1 (a worker holds no more messages than it runs), JSON only. On Redis the visibility timeout
(``broker_transport_options``) says how long an unacknowledged message waits before it is given to
another worker when its worker vanished; RabbitMQ gives it back as soon as the connection drops.
``config_source`` (Dagster's) overrides any of these.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import Any

from headwater.errors import UnmetExecutorRequirementsError

TASK_NAME = "headwater.execute_step"
#: Dagster's defaults (``dagster_celery.defaults``).
DEFAULT_BROKER = "pyamqp://guest@localhost//"
DEFAULT_BACKEND = "rpc://"
DEFAULT_QUEUE = "dagster"
DEFAULT_PRIORITY = 5
BROKER_ENV = "HEADWATER_CELERY_BROKER"
BACKEND_ENV = "HEADWATER_CELERY_BACKEND"

_apps: dict[str, Any] = {}


def _celery() -> Any:
    try:
        import celery
    except ImportError as exc:  # pragma: no cover - the extra is installed for tests
        raise UnmetExecutorRequirementsError(
            "The Celery executor needs Celery: pip install 'headwater[celery]'."
        ) from exc
    return celery


def is_redis(broker: str) -> bool:
    return broker.startswith(("redis://", "rediss://", "redis+socket://"))


def base_config(broker: str) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if is_redis(broker):
        options = {
            "visibility_timeout": 3600,
            "queue_order_strategy": "priority",
            "priority_steps": list(range(10)),
            "sep": ":",
        }
    return {
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_default_queue": DEFAULT_QUEUE,
        "task_queue_max_priority": 10,
        "task_default_priority": DEFAULT_PRIORITY,
        "broker_transport_options": options,
        "broker_connection_retry_on_startup": True,
        "worker_hijack_root_logger": False,
        "result_expires": 24 * 3600,
    }


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def make_app(
    broker: str | None = None,
    backend: str | None = None,
    include: Sequence[str] = (),
    config_source: Mapping[str, Any] | None = None,
) -> Any:
    """The Celery app for these settings (one per process and settings)."""
    broker = broker or os.environ.get(BROKER_ENV) or DEFAULT_BROKER
    backend = backend or os.environ.get(BACKEND_ENV) or DEFAULT_BACKEND
    cache_key = json.dumps([broker, backend, list(include), config_source or {}], sort_keys=True, default=str)
    app = _apps.get(cache_key)
    if app is not None:
        return app
    celery = _celery()
    app = celery.Celery("headwater", broker=broker, backend=backend, include=list(include))
    app.conf.update(_merge(base_config(broker), config_source or {}))
    app.task(name=TASK_NAME, acks_late=True, bind=True)(execute_step)
    _apps[cache_key] = app
    return app


def execute_step(self: Any, task_json: str) -> str:
    """The Celery task: run one step task here; its ``StepDone`` as JSON. A message delivered for the
    first time needs no look at the step's claim (nobody else got it)."""
    from headwater.executors.remote_worker import run_task_json

    info = getattr(self.request, "delivery_info", None) or {}
    return run_task_json(task_json, redelivered=bool(info.get("redelivered", True)))


def priority_for(broker: str, priority: int) -> int:
    """Celery's priority for a step priority (higher runs first): RabbitMQ takes it as is (0-10);
    Redis runs lower numbers first, so it is turned around (0-9)."""
    if is_redis(broker):
        return max(0, min(9, 9 - priority))
    return max(0, min(10, priority))
