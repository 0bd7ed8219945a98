"""Dagster's private module paths that real projects import, for the names Headwater has.

In a process that loads user code (``install_dagster_aliases``), ``import dagster._core.errors`` gives
``headwater.compat.dagster_private.core.errors``, and so on for the modules below. Each holds only the
names Headwater provides; a name Dagster's module has and this one lacks raises ``ImportError`` as usual.

| Dagster module                   | here                           |
|----------------------------------|--------------------------------|
| ``dagster._core.errors``         | ``core.errors``                |
| ``dagster._core.test_utils``     | ``core.test_utils``            |
| ``dagster._core.definitions.tags`` | ``core.definitions.tags``    |
| ``dagster._utils.backoff``       | ``utils.backoff``              |
"""
