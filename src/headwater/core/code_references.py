"""Code references: where an asset's source lives, as a local file or a URL.

A closed tagged union on ``"kind"``: ``{"kind": "local_file", "file_path": ...}`` or
``{"kind": "url", "url": ...}``.
"""

from __future__ import annotations

from headwater.core.value import Value, describe
from headwater.errors import InvalidMetadataError


def _check(value: object, owner: str, field: str, expected: type | tuple[type, ...], text: str) -> None:
    if not isinstance(value, expected) or isinstance(value, bool):
        raise InvalidMetadataError(f"{owner}.{field} must be {text}; got {describe(value)}.")


class LocalFileCodeReference(Value, tag="local_file", tag_field="kind", frozen=True):
    """A source file on the local disk, with an optional line number and label."""

    file_path: str
    line_number: int | None = None
    label: str | None = None

    def __post_init__(self) -> None:
        _check(self.file_path, "LocalFileCodeReference", "file_path", str, "a str")
        _check(self.line_number, "LocalFileCodeReference", "line_number", (int, type(None)), "an int or None")
        _check(self.label, "LocalFileCodeReference", "label", (str, type(None)), "a str or None")

    @property
    def source(self) -> str:
        return f"{self.file_path}:{self.line_number}" if self.line_number else self.file_path


class UrlCodeReference(Value, tag="url", tag_field="kind", frozen=True):
    """Source at a URL, e.g. a file in source control."""

    url: str
    label: str | None = None

    def __post_init__(self) -> None:
        _check(self.url, "UrlCodeReference", "url", str, "a str")
        _check(self.label, "UrlCodeReference", "label", (str, type(None)), "a str or None")

    @property
    def source(self) -> str:
        return self.url


CodeReference = LocalFileCodeReference | UrlCodeReference
