"""``load_definitions_from_module`` and its family: a ``Definitions`` of everything modules define.

Every asset, asset spec, source asset, check and job found at module level (see ``module_loaders``),
with the resources, loggers and executor given.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import Any

from headwater.definitions.asset_spec import AssetSpec
from headwater.definitions.definitions import Definitions
from headwater.definitions.module_loaders import (
    ASSET_TYPES,
    JOB_TYPES,
    ModuleObjects,
    caller_module,
    find_modules_in_package,
    only_checks,
)


def definitions_from_objects(
    objects: ModuleObjects,
    resources: Mapping[str, Any] | None = None,
    loggers: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> Definitions:
    return Definitions(
        assets=[
            o for o in objects.objects if isinstance(o, (*ASSET_TYPES, AssetSpec)) and not only_checks(o)
        ],
        asset_checks=[o for o in objects.objects if only_checks(o)],
        jobs=objects.of_type(JOB_TYPES),
        resources=resources,
        loggers=loggers,
        executor=executor,
    )


def load_definitions_from_modules(
    modules: Iterable[ModuleType],
    resources: Mapping[str, Any] | None = None,
    loggers: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> Definitions:
    """``Definitions`` of every asset, asset spec, check and job defined at module level in ``modules``."""
    return definitions_from_objects(ModuleObjects(modules), resources, loggers, executor)


def load_definitions_from_module(
    module: ModuleType,
    resources: Mapping[str, Any] | None = None,
    loggers: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> Definitions:
    return load_definitions_from_modules([module], resources, loggers, executor)


def load_definitions_from_current_module(
    resources: Mapping[str, Any] | None = None,
    loggers: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> Definitions:
    return load_definitions_from_modules([caller_module()], resources, loggers, executor)


def load_definitions_from_package_module(
    package_module: ModuleType,
    resources: Mapping[str, Any] | None = None,
    loggers: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> Definitions:
    return load_definitions_from_modules(
        find_modules_in_package(package_module), resources, loggers, executor
    )


def load_definitions_from_package_name(
    package_name: str,
    resources: Mapping[str, Any] | None = None,
    loggers: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> Definitions:
    return load_definitions_from_package_module(
        importlib.import_module(package_name), resources, loggers, executor
    )
