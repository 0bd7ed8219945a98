"""Executors: in-process now; multiprocess (warm pool), Celery and Dask behind the same protocol."""
