"""Executors: in-process, multiprocess (a warm pool of step workers); Celery and Dask behind the same
protocol (``headwater.execution.executor.Executor``)."""
