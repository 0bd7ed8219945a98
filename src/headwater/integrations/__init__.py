"""Integrations with other tools, built on the public authoring API (``headwater.definitions``).

- ``headwater.integrations.db_io_manager``: the database IO manager base (``DbIOManager``,
  ``DbTypeHandler``, ``TableSlice``) that stores DataFrames as tables, one type handler per DataFrame
  library.
- ``headwater.integrations.duckdb``: ``DuckDBResource`` and the DuckDB IO managers (pandas, polars);
  Dagster's ``dagster_duckdb``, ``dagster_duckdb_pandas`` and ``dagster_duckdb_polars``.
- ``headwater.integrations.parquet``: ``ParquetIOManager``, DataFrames as Parquet files, one per partition.
- ``headwater.integrations.dbt``: dbt models, seeds and snapshots as assets, dbt tests as asset checks
  (Dagster's ``dagster_dbt``); runs dbt as a program, so it imports no dbt code.

Each needs its optional dependencies (``pip install 'headwater[duckdb]'`` / ``'headwater[parquet]'`` /
``'headwater[dbt]'``); nothing here is imported by ``import headwater``.
"""
