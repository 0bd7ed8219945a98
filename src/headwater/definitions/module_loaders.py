"""Collecting definitions from Python modules: ``load_assets_from_modules`` and its family.

Objects are found among a module's attributes (and in module-level lists of them), the way Dagster's
loaders find them. The same object reached from two modules counts once; two different objects with
the same asset key (or job name) are an error naming the modules.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Iterable, Iterator, Sequence
from types import ModuleType
from typing import Any

from headwater.core.asset_key import AssetKey, CoercibleToAssetKeyPrefix
from headwater.definitions.asset_check import AssetChecksDefinition
from headwater.definitions.asset_job import UnresolvedAssetJobDefinition
from headwater.definitions.asset_spec import AssetSpec, SourceAsset
from headwater.definitions.assets import AssetsDefinition
from headwater.definitions.job import JobDefinition
from headwater.errors import InvalidDefinitionError

ASSET_TYPES: tuple[type, ...] = (AssetsDefinition, SourceAsset)
JOB_TYPES: tuple[type, ...] = (JobDefinition, UnresolvedAssetJobDefinition)
LOADABLE_TYPES: tuple[type, ...] = (*ASSET_TYPES, AssetSpec, *JOB_TYPES)


def find_objects_in_module_of_types(module: ModuleType, types: type | tuple[type, ...]) -> Iterator[Any]:
    """Module attributes that are instances of ``types``, and the items of module-level lists of them."""
    for attr in dir(module):
        value = getattr(module, attr)
        if isinstance(value, types):
            yield value
        elif isinstance(value, list) and value and all(isinstance(v, types) for v in value):
            yield from value


def find_modules_in_package(package_module: ModuleType) -> Iterator[ModuleType]:
    """The package and every module below it, imported."""
    yield package_module
    path = getattr(package_module, "__path__", None)
    if path is None:
        raise InvalidDefinitionError(
            f"{package_module.__name__} is a module, not a package: pass a package (a folder with "
            "__init__.py) to the *_from_package_* loaders, or use load_assets_from_modules([module])."
        )
    for info in pkgutil.walk_packages(path, prefix=f"{package_module.__name__}."):
        yield importlib.import_module(info.name)


def only_checks(obj: Any) -> bool:
    return isinstance(obj, AssetsDefinition) and not obj.keys and bool(obj.check_keys)


def _keys_of(obj: Any) -> Iterable[AssetKey]:
    if isinstance(obj, AssetsDefinition):
        return obj.keys
    return [obj.key]


class ModuleObjects:
    """The loadable objects of some modules, de-duplicated, with collisions checked."""

    def __init__(self, modules: Iterable[ModuleType], types: tuple[type, ...] = LOADABLE_TYPES) -> None:
        self.module_of: dict[int, str] = {}
        self.objects: list[Any] = []
        for module in modules:
            for obj in find_objects_in_module_of_types(module, types):
                if id(obj) not in self.module_of:
                    self.module_of[id(obj)] = module.__name__
                    self.objects.append(obj)
        self._check_collisions()

    def _check_collisions(self) -> None:
        by_key: dict[AssetKey, list[Any]] = {}
        for obj in self.objects:
            if isinstance(obj, (AssetsDefinition, SourceAsset, AssetSpec)):
                for key in _keys_of(obj):
                    by_key.setdefault(key, []).append(obj)
        for key, objs in by_key.items():
            if len(objs) > 1 and not (all(isinstance(o, AssetSpec) for o in objs) and _all_equal(objs)):
                raise InvalidDefinitionError(
                    f"Asset key {key.to_user_string()} is defined multiple times. Definitions found in "
                    f"modules: {self._modules(objs)}."
                )
        by_name: dict[str, list[Any]] = {}
        for obj in self.objects:
            if isinstance(obj, JOB_TYPES):
                by_name.setdefault(str(getattr(obj, "name", "")), []).append(obj)
        for name, objs in by_name.items():
            if len(objs) > 1:
                raise InvalidDefinitionError(
                    f"Job name {name} is defined multiple times. Definitions found in modules: "
                    f"{self._modules(objs)}."
                )

    def _modules(self, objs: Sequence[Any]) -> str:
        return ", ".join(sorted({self.module_of[id(o)] for o in objs}))

    def of_type(self, types: type | tuple[type, ...]) -> list[Any]:
        return [o for o in self.objects if isinstance(o, types)]


def _all_equal(specs: Sequence[Any]) -> bool:
    first = specs[0]
    return all(s is first or s == first for s in specs[1:])


def _prefixed(objects: Sequence[Any], key_prefix: CoercibleToAssetKeyPrefix) -> list[Any]:
    """Every key of the loaded assets (and of the assets their checks target) gets ``key_prefix``;
    dependencies on those keys follow. Source assets and asset specs keep their keys."""
    keys = {
        k
        for o in objects
        if isinstance(o, AssetsDefinition)
        for k in [*o.keys, *(c.asset_key for c in o.check_keys)]
    }
    replacements = {k: k.with_prefix(key_prefix) for k in keys}
    return [
        o.with_attributes(asset_key_replacements=replacements) if isinstance(o, AssetsDefinition) else o
        for o in objects
    ]


def _source_prefixed(objects: Sequence[Any], source_key_prefix: CoercibleToAssetKeyPrefix) -> list[Any]:
    replacements = {
        o.key: o.key.with_prefix(source_key_prefix)
        for o in objects
        if isinstance(o, (SourceAsset, AssetSpec))
    }
    out: list[Any] = []
    for o in objects:
        if isinstance(o, SourceAsset):
            out.append(o.with_attributes(key=replacements[o.key]))
        elif isinstance(o, AssetSpec):
            out.append(o.replace_attributes(key=replacements[o.key]))
        elif isinstance(o, AssetsDefinition):
            out.append(o.with_attributes(asset_key_replacements=replacements))
        else:
            out.append(o)
    return out


def _grouped(objects: Sequence[Any], group_name: str | None, automation_condition: Any) -> list[Any]:
    if group_name is None and automation_condition is None:
        return list(objects)

    def update(spec: AssetSpec) -> AssetSpec:
        current = spec.group_name
        if group_name is not None and current not in (None, "default", group_name):
            raise InvalidDefinitionError(
                f"Asset spec {spec.key.to_user_string()} has group name {current}, which conflicts with the "
                f"group name {group_name} provided in load_assets_from_modules."
            )
        changes: dict[str, Any] = {}
        if group_name is not None:
            changes["group_name"] = group_name
        if automation_condition is not None:
            changes["automation_condition"] = automation_condition
        return spec.replace_attributes(**changes)

    out: list[Any] = []
    for o in objects:
        if isinstance(o, AssetsDefinition) and o.keys:
            out.append(o.map_asset_specs(update))
        elif isinstance(o, AssetSpec):
            out.append(update(o))
        elif isinstance(o, SourceAsset) and group_name is not None:
            out.append(o.with_attributes(group_name=group_name))
        else:
            out.append(o)
    return out


def _assets(
    modules: Iterable[ModuleType],
    group_name: str | None,
    key_prefix: CoercibleToAssetKeyPrefix | None,
    source_key_prefix: CoercibleToAssetKeyPrefix | None,
    automation_condition: Any,
    backfill_policy: Any,
    include_specs: bool,
) -> list[Any]:
    types = (*ASSET_TYPES, AssetSpec) if include_specs else ASSET_TYPES
    objects = ModuleObjects(modules, types).objects
    if key_prefix:
        objects = _prefixed(objects, key_prefix)
    if source_key_prefix:
        objects = _source_prefixed(objects, source_key_prefix)
    objects = _grouped(objects, group_name, automation_condition)
    if backfill_policy is not None:
        objects = [
            o.with_attributes(backfill_policy=backfill_policy) if isinstance(o, AssetsDefinition) else o
            for o in objects
        ]
    return [o for o in objects if not only_checks(o)]


def load_assets_from_modules(
    modules: Iterable[ModuleType],
    group_name: str | None = None,
    key_prefix: CoercibleToAssetKeyPrefix | None = None,
    *,
    automation_condition: Any = None,
    backfill_policy: Any = None,
    source_key_prefix: CoercibleToAssetKeyPrefix | None = None,
    include_specs: bool = False,
) -> list[Any]:
    """The assets (and source assets; asset specs with ``include_specs``) defined in ``modules``, with
    ``group_name`` and ``key_prefix`` applied to copies of them. Asset checks are not included: load them
    with ``load_asset_checks_from_modules``."""
    return _assets(
        modules,
        group_name,
        key_prefix,
        source_key_prefix,
        automation_condition,
        backfill_policy,
        include_specs,
    )


def load_assets_from_package_module(
    package_module: ModuleType,
    group_name: str | None = None,
    key_prefix: CoercibleToAssetKeyPrefix | None = None,
    *,
    automation_condition: Any = None,
    backfill_policy: Any = None,
    source_key_prefix: CoercibleToAssetKeyPrefix | None = None,
    include_specs: bool = False,
) -> list[Any]:
    """``load_assets_from_modules`` over the package and every module below it."""
    return _assets(
        find_modules_in_package(package_module),
        group_name,
        key_prefix,
        source_key_prefix,
        automation_condition,
        backfill_policy,
        include_specs,
    )


def load_assets_from_package_name(
    package_name: str,
    group_name: str | None = None,
    key_prefix: CoercibleToAssetKeyPrefix | None = None,
    *,
    automation_condition: Any = None,
    backfill_policy: Any = None,
    source_key_prefix: CoercibleToAssetKeyPrefix | None = None,
    include_specs: bool = False,
) -> list[Any]:
    """``load_assets_from_package_module`` of the package imported by name."""
    return load_assets_from_package_module(
        importlib.import_module(package_name),
        group_name,
        key_prefix,
        automation_condition=automation_condition,
        backfill_policy=backfill_policy,
        source_key_prefix=source_key_prefix,
        include_specs=include_specs,
    )


def caller_module(depth: int = 2) -> ModuleType:
    """The module of the function ``depth`` frames up (1: our caller's caller)."""
    name = sys._getframe(depth).f_globals.get("__name__")
    module = sys.modules.get(name) if isinstance(name, str) else None
    if module is None:
        raise InvalidDefinitionError(
            "Could not find the module that called this *_from_current_module loader; call it at module "
            "level."
        )
    return module


def load_assets_from_current_module(
    group_name: str | None = None,
    key_prefix: CoercibleToAssetKeyPrefix | None = None,
    *,
    automation_condition: Any = None,
    backfill_policy: Any = None,
    source_key_prefix: CoercibleToAssetKeyPrefix | None = None,
    include_specs: bool = False,
) -> list[Any]:
    """``load_assets_from_modules`` of the module this is called from."""
    return _assets(
        [caller_module()],
        group_name,
        key_prefix,
        source_key_prefix,
        automation_condition,
        backfill_policy,
        include_specs,
    )


def _checks(modules: Iterable[ModuleType], asset_key_prefix: CoercibleToAssetKeyPrefix | None) -> list[Any]:
    checks = [o for o in ModuleObjects(modules, (AssetsDefinition,)).objects if only_checks(o)]
    if not asset_key_prefix:
        return checks
    keys = {c.asset_key for o in checks for c in o.check_keys}
    replacements = {k: k.with_prefix(asset_key_prefix) for k in keys}
    return [o.with_attributes(asset_key_replacements=replacements) for o in checks]


def load_asset_checks_from_modules(
    modules: Iterable[ModuleType], asset_key_prefix: CoercibleToAssetKeyPrefix | None = None
) -> list[AssetChecksDefinition]:
    """The asset checks defined in ``modules`` (checks defined on assets come with their assets);
    ``asset_key_prefix`` is put in front of the keys of the assets they check."""
    return _checks(modules, asset_key_prefix)


def load_asset_checks_from_package_module(
    package_module: ModuleType, asset_key_prefix: CoercibleToAssetKeyPrefix | None = None
) -> list[AssetChecksDefinition]:
    return _checks(find_modules_in_package(package_module), asset_key_prefix)


def load_asset_checks_from_package_name(
    package_name: str, asset_key_prefix: CoercibleToAssetKeyPrefix | None = None
) -> list[AssetChecksDefinition]:
    return _checks(find_modules_in_package(importlib.import_module(package_name)), asset_key_prefix)


def load_asset_checks_from_current_module(
    asset_key_prefix: CoercibleToAssetKeyPrefix | None = None,
) -> list[AssetChecksDefinition]:
    return _checks([caller_module()], asset_key_prefix)
