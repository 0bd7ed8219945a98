"""Headwater's public API under Dagster's exact names: ``import headwater.compat.dagster as dg``.

Built from the one table of public names (``headwater._api_table``) and imported lazily, like
``headwater`` itself; type checkers read the generated ``dagster.pyi`` beside this file (see
``tools/generate_api_stubs.py``). To run a Dagster script unchanged, alias the module (and the private
modules projects import, ``headwater.compat.dagster_private``) before the script imports ``dagster``::

    import headwater.compat
    headwater.compat.install_dagster_aliases()

Names the two projects share point at the same objects as in ``headwater`` (``dg.asset is
headwater.asset``); renamed ones too (``dg.DagsterRunStatus is headwater.RunStatus``). The exception
is ``DagsterInstance``: ``Instance`` whose ``get()`` also honours ``$DAGSTER_HOME`` (see
``headwater.compat._instance``).
"""

from __future__ import annotations

import importlib

from headwater._api_table import dagster_names

_NAMES = dagster_names()

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> object:
    try:
        module, attr = _NAMES[name]
    except KeyError:
        raise AttributeError(
            f"module 'headwater.compat.dagster' has no attribute {name!r}: Headwater does not provide "
            "this part of Dagster's API (yet). See headwater._api_table for what it does provide."
        ) from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_NAMES])
