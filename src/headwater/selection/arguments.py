"""What ``AssetSelection``'s constructors accept, checked and turned into keys.

Selection lives below ``definitions`` (the webserver and the daemon resolve selections without
importing user code), so it takes asset definitions *structurally*: anything with a ``.keys``
collection of AssetKeys (an ``AssetsDefinition``) or an AssetKey ``.key`` (an ``AssetSpec``, a
``SourceAsset``); for checks, ``.check_keys`` or ``.check_key``. The protocols below say so to type
checkers; at run time the same attributes are read with ``getattr``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.specs.asset_graph import AssetGraph


class HasAssetKeys(Protocol):
    """A definition of several assets (``AssetsDefinition``)."""

    @property
    def keys(self) -> Iterable[AssetKey]: ...


class HasAssetKey(Protocol):
    """A definition of one asset (``AssetSpec``, ``SourceAsset``)."""

    @property
    def key(self) -> AssetKey: ...


class HasCheckKeys(Protocol):
    """A definition of asset checks (``AssetChecksDefinition``, an ``AssetsDefinition`` with checks)."""

    @property
    def check_keys(self) -> Iterable[AssetCheckKey]: ...


class HasCheckKey(Protocol):
    """A definition of one asset check."""

    @property
    def check_key(self) -> AssetCheckKey: ...


# What names assets: a key, ``"a/b"``, key parts, or a definition with keys.
CoercibleToAssets = AssetKey | str | Sequence[str] | HasAssetKeys | HasAssetKey
# What names asset checks: a check key, or a definition with check keys.
CoercibleToChecks = AssetCheckKey | HasCheckKeys | HasCheckKey


def describe(value: object) -> str:
    """``value``'s repr (cut at 200 characters) and type, for error messages."""
    text = repr(value)
    return f"{text[:197] + '...' if len(text) > 200 else text} ({type(value).__name__})"


def as_text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise InvalidDefinitionError(f"{where}() takes strings; got {describe(value)}.")
    return value


def as_flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidDefinitionError(f"{name} must be True or False; got {describe(value)}.")
    return value


def as_depth(depth: object) -> int | None:
    if depth is None or (isinstance(depth, int) and not isinstance(depth, bool) and depth >= 0):
        return depth
    raise InvalidDefinitionError(
        f"depth must be None (all levels) or an integer >= 0; got {describe(depth)}."
    )


def as_prefix(prefix: object) -> tuple[str, ...]:
    if isinstance(prefix, str):
        return (prefix,)
    if isinstance(prefix, (list, tuple)) and prefix and all(isinstance(p, str) for p in prefix):
        return tuple(prefix)
    raise InvalidDefinitionError(
        f"AssetSelection.key_prefixes() takes strings or non-empty lists of strings; got {describe(prefix)}."
    )


def coerce_asset_keys(values: Iterable[object], where: str) -> tuple[AssetKey, ...]:
    """The asset keys ``values`` name (see :data:`CoercibleToAssets`), without duplicates, in order."""
    keys: list[AssetKey] = []
    for value in values:
        if isinstance(value, AssetKey):
            keys.append(value)
        elif isinstance(value, str):
            keys.append(AssetKey.from_user_string(value))
        elif isinstance(value, (list, tuple)) and value and all(isinstance(p, str) for p in value):
            keys.append(AssetKey(list(value)))
        elif (defined := getattr(value, "keys", None)) is not None and not callable(defined):
            # An assets definition: ``.keys`` is the set of keys it produces.
            for key in defined:
                if not isinstance(key, AssetKey):
                    raise InvalidDefinitionError(f"{where}(): {describe(value)} has a non-AssetKey in .keys.")
                keys.append(key)
        elif isinstance(key := getattr(value, "key", None), AssetKey):
            keys.append(key)
        else:
            raise InvalidDefinitionError(
                f"{where}() takes AssetKeys, strings such as 'a/b', lists of key parts, or asset "
                f"definitions; got {describe(value)}."
            )
    return tuple(dict.fromkeys(keys))


def coerce_check_keys(values: Iterable[object]) -> tuple[AssetCheckKey, ...]:
    """The asset check keys ``values`` name (see :data:`CoercibleToChecks`), without duplicates."""
    keys: list[AssetCheckKey] = []
    for value in values:
        if isinstance(value, AssetCheckKey):
            keys.append(value)
        elif (defined := getattr(value, "check_keys", None)) is not None and not callable(defined):
            keys.extend(k for k in defined if isinstance(k, AssetCheckKey))
        elif isinstance(key := getattr(value, "check_key", None), AssetCheckKey):
            keys.append(key)
        else:
            raise InvalidDefinitionError(
                "AssetSelection.checks() takes AssetCheckKeys or definitions with check keys; "
                f"got {describe(value)}."
            )
    return tuple(dict.fromkeys(keys))


def as_graph(graph: object) -> AssetGraph:
    if not isinstance(graph, AssetGraph):
        raise InvalidInvocationError(
            "AssetSelection.resolve() takes an AssetGraph (headwater.specs.asset_graph); "
            f"got {describe(graph)}."
        )
    return graph
