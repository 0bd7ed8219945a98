"""Headwater: a data orchestrator for Python with Dagster's API and a fraction of its overhead.

Every public name is listed in ``headwater._api_table`` and imported lazily on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from headwater._api_table import native_names

__version__ = "0.1.0"

_NAMES = native_names()

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    try:
        module, attr = _NAMES[name]
    except KeyError:
        raise AttributeError(f"module 'headwater' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_NAMES])


if TYPE_CHECKING:  # pragma: no cover - static view of the lazy names for type checkers
    from headwater.core.asset_key import AssetKey as AssetKey
    from headwater.definitions.asset_decorators import asset as asset
    from headwater.definitions.definitions import Definitions as Definitions
    from headwater.execution.api import materialize as materialize
