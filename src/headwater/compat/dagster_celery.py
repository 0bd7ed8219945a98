"""``dagster_celery`` under Headwater: ``from headwater.compat.dagster_celery import celery_executor``
(Dagster's ``from dagster_celery import celery_executor``). Workers: ``headwater celery worker``."""

from __future__ import annotations

from headwater.executors.celery_executor import CeleryExecutor, celery_executor

__all__ = ["CeleryExecutor", "celery_executor"]
