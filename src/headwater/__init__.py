"""Headwater: a data orchestrator for Python with Dagster's API and a fraction of its overhead.

Every public name is listed in ``headwater._api_table`` and imported lazily on first use. Type
checkers cannot follow that lookup, so they read ``__init__.pyi`` beside this file instead: every
public name imported from its defining module, generated from the table by
``tools/generate_api_stubs.py`` (a test fails when the stub is stale).
"""

from __future__ import annotations

import importlib

from headwater._api_table import native_names

__version__ = "0.1.0"

_NAMES = native_names()

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> object:
    try:
        module, attr = _NAMES[name]
    except KeyError:
        raise AttributeError(f"module 'headwater' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_NAMES])
