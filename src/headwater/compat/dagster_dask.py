"""``dagster_dask`` under Headwater: ``from headwater.compat.dagster_dask import dask_executor``
(Dagster's ``from dagster_dask import dask_executor``)."""

from __future__ import annotations

from headwater.executors.dask_executor import DaskExecutor, dask_executor

__all__ = ["DaskExecutor", "dask_executor"]
