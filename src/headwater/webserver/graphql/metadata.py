"""Metadata entries: a label and one of Headwater's metadata values, in the codec's own JSON form.

``value`` is exactly what Headwater stores (``{"type": "int", "value": 3}``, ``{"type": "table",
...}``: the closed union of ``core.metadata``), so there is one shape for metadata everywhere; ``text``
is a readable rendering for lists. (Dagster's schema has a GraphQL type per kind of value instead.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry

from headwater.core import codec
from headwater.webserver.graphql.scalars import JSON


@strawberry.type(description="One metadata entry: its label, kind (the codec's tag) and value.")
class MetadataEntry:
    label: str
    type: str
    value: JSON
    text: str


def _text(data: Any) -> str:
    if isinstance(data, dict):
        inner = data.get("value", data.get("text", data.get("path", data.get("url", data.get("data")))))
        if inner is not None and not isinstance(inner, dict | list):
            return str(inner)
    return codec.encode(data).decode()[:500]


def metadata_entries(metadata: Mapping[str, Any] | None) -> list[MetadataEntry]:
    out = []
    for label, value in (metadata or {}).items():
        data = codec.to_builtins(value)
        kind = data.get("type", "") if isinstance(data, dict) else ""
        out.append(MetadataEntry(label=label, type=str(kind), value=data, text=_text(data)))
    return out
