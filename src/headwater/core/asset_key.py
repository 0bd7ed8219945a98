"""AssetKey: the address of an asset, a path of strings."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

from headwater.errors import InvalidDefinitionError

_VALID_PART = re.compile(r"^[A-Za-z0-9_\-]+$")


class AssetKey:
    """An asset's key: a non-empty path of name parts, e.g. ``AssetKey(["warehouse", "orders"])``."""

    __slots__ = ("_hash", "path")

    path: list[str]
    _hash: int

    def __init__(self, path: str | Sequence[str]) -> None:
        parts = [path] if isinstance(path, str) else list(path)
        if not parts:
            raise InvalidDefinitionError("AssetKey needs at least one path part; got an empty path.")
        for part in parts:
            if not isinstance(part, str):
                raise InvalidDefinitionError(
                    f"AssetKey path parts must be strings; got {part!r} ({type(part).__name__}) in {parts!r}."
                )
        object.__setattr__(self, "path", parts)
        object.__setattr__(self, "_hash", hash(tuple(parts)))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("AssetKey is immutable")

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssetKey) and self.path == other.path

    def __lt__(self, other: AssetKey) -> bool:
        return self.path < other.path

    def __repr__(self) -> str:
        return f"AssetKey({self.path!r})"

    def __str__(self) -> str:
        return f"AssetKey({self.path!r})"

    def __reduce__(self) -> tuple[type[AssetKey], tuple[list[str]]]:
        return (AssetKey, (self.path,))

    def to_user_string(self) -> str:
        """The slash-joined form users type: ``"warehouse/orders"``."""
        return "/".join(self.path)

    def to_string(self) -> str:
        """The JSON form stored in databases: ``'["warehouse", "orders"]'``."""
        return json.dumps(self.path)

    def to_python_identifier(self, suffix: str | None = None) -> str:
        name = "__".join(self.path).replace("-", "_")
        return f"{name}__{suffix}" if suffix else name

    @property
    def parent(self) -> AssetKey:
        if len(self.path) < 2:
            raise InvalidDefinitionError(f"{self!r} has no parent: it has a single path part.")
        return AssetKey(self.path[:-1])

    def has_prefix(self, prefix: Sequence[str]) -> bool:
        return self.path[: len(prefix)] == list(prefix)

    def with_prefix(self, prefix: str | Sequence[str] | AssetKey) -> AssetKey:
        if isinstance(prefix, AssetKey):
            parts = prefix.path
        elif isinstance(prefix, str):
            parts = [prefix]
        else:
            parts = list(prefix)
        return AssetKey([*parts, *self.path])

    @staticmethod
    def from_user_string(value: str) -> AssetKey:
        return AssetKey(value.split("/"))

    @staticmethod
    def from_db_string(value: str | None) -> AssetKey | None:
        if not value:
            return None
        if value.startswith("["):
            return AssetKey(json.loads(value))
        return AssetKey(value.split("."))

    @staticmethod
    def from_coercible(value: CoercibleToAssetKey) -> AssetKey:
        if isinstance(value, AssetKey):
            return value
        if isinstance(value, str):
            return AssetKey([value])
        if isinstance(value, (list, tuple)):
            return AssetKey(list(value))
        raise InvalidDefinitionError(
            f"Cannot make an AssetKey from {value!r} ({type(value).__name__}); "
            "pass an AssetKey, a string such as 'a/b', or a list of strings."
        )

    @staticmethod
    def from_coercible_or_definition(value: object) -> AssetKey:
        key = getattr(value, "key", None)
        if isinstance(key, AssetKey):
            return key
        return AssetKey.from_coercible(value)  # type: ignore[arg-type]


CoercibleToAssetKey = AssetKey | str | Sequence[str]
CoercibleToAssetKeyPrefix = str | Sequence[str]


def is_valid_name_part(part: str) -> bool:
    return bool(_VALID_PART.match(part))


def coerce_prefix(prefix: CoercibleToAssetKeyPrefix | None) -> list[str]:
    if prefix is None:
        return []
    if isinstance(prefix, str):
        return [prefix]
    return list(prefix)


def keys_to_user_strings(keys: Iterable[AssetKey]) -> str:
    return ", ".join(sorted(k.to_user_string() for k in keys))
