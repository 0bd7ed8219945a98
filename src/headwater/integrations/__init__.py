"""Integrations with other tools (DuckDB, dbt, ...), built on Headwater's public API.

Each lives in its own subpackage and imports its tool only when used: ``import headwater`` imports none
of them.
"""
