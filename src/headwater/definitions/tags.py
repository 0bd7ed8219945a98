"""Tags on definitions and runs: how their values are normalized (as Dagster does), and asset kinds.

Two rules, Dagster's:

- **lenient** (run tags; job, op and asset-job tags): a string value is kept; any other value that survives
  a JSON round trip (``json.loads(json.dumps(value)) == value``: numbers, booleans, None, lists, dicts) is
  stored as its JSON text (``1`` -> ``"1"``); anything else is an ``InvalidDefinitionError``.
- **strict** (asset tags): keys and values are short labels -- at most 63 characters of letters, digits,
  ``_``, ``-`` and ``.``, a key optionally behind one ``namespace/`` -- and values must be strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from headwater.errors import InvalidDefinitionError

#: Tags ``dagster/kind/<kind>: ""`` mark an asset's kinds (``AssetSpec(kinds=...)``).
KIND_PREFIX = "dagster/kind/"

_KEY = re.compile(r"^([A-Za-z0-9_.-]{1,63}/|" + KIND_PREFIX + r")?[A-Za-z0-9_.-]{1,63}$")
_STRICT_VALUE = re.compile(r"^[A-Za-z0-9_.-]{0,63}$")
_KEY_RULE = (
    "Allowed characters: alpha-numeric, '_', '-', '.'. Tag keys can also contain a namespace section, "
    "separated by a '/'. Each section must have <= 63 characters."
)


def normalize_tags(tags: Mapping[str, Any] | None, *, strict: bool = False) -> dict[str, str]:
    """``tags`` as a dict of strings, by the lenient rule or (``strict=True``) the strict one."""
    if not tags:
        return {}
    if not isinstance(tags, Mapping):
        raise InvalidDefinitionError(f"Tags must be a dict of strings, got {type(tags).__name__}: {tags!r}.")
    out: dict[str, str] = {}
    bad_keys: list[str] = []
    for key, value in tags.items():
        if not isinstance(key, str):
            raise InvalidDefinitionError(f"Tag keys must be strings, got {key!r} ({type(key).__name__}).")
        if not _KEY.match(key):
            bad_keys.append(key)
        if isinstance(value, str):
            if strict and not _STRICT_VALUE.match(value):
                raise InvalidDefinitionError(
                    f"Invalid tag value: {value}, for key: {key}. Allowed characters: alpha-numeric, '_', "
                    "'-', '.'. Must have <= 63 characters."
                )
            out[key] = value
        elif strict:
            raise InvalidDefinitionError(f"Tag values must be strings, got type {type(value)} at key {key}.")
        else:
            out[key] = _json_value(key, value)
    if strict and bad_keys:
        raise InvalidDefinitionError(f"Found invalid tag keys: {bad_keys[:5]}. {_KEY_RULE}")
    return out


def _json_value(key: str, value: Any) -> str:
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        problem = f'Could not JSON encode value "{value}"'
    else:
        if json.loads(text) == value:
            return text
        problem = f'JSON encoding "{text}" of value "{value}" is not equivalent to original value'
    raise InvalidDefinitionError(
        f'Invalid value for tag "{key}", {problem}. Tag values must be strings or meet the constraint that '
        "json.loads(json.dumps(value)) == value."
    )


def build_kind_tag_key(kind: str) -> str:
    return f"{KIND_PREFIX}{kind}"


def build_kind_tag(kind: str) -> dict[str, Any]:
    return {build_kind_tag_key(kind): ""}


def has_kind(tags: Mapping[str, Any], kind: str) -> bool:
    return build_kind_tag_key(kind) in tags
