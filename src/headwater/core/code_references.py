"""Code references: where an asset's source lives, as a local file or a URL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.core._record import Record, _setattr, describe
from headwater.errors import InvalidMetadataError


def _check(value: object, owner: str, field: str, expected: type | tuple[type, ...], text: str) -> None:
    if not isinstance(value, expected) or isinstance(value, bool):
        raise InvalidMetadataError(f"{owner}.{field} must be {text}; got {describe(value)}.")


class LocalFileCodeReference(Record):
    """A source file on the local disk, with an optional line number and label."""

    __slots__ = ("file_path", "label", "line_number")
    _fields = ("file_path", "line_number", "label")
    file_path: str
    line_number: int | None
    label: str | None

    def __init__(self, file_path: str, line_number: int | None = None, label: str | None = None) -> None:
        _check(file_path, "LocalFileCodeReference", "file_path", str, "a str")
        _check(line_number, "LocalFileCodeReference", "line_number", (int, type(None)), "an int or None")
        _check(label, "LocalFileCodeReference", "label", (str, type(None)), "a str or None")
        _setattr(self, "file_path", file_path)
        _setattr(self, "line_number", line_number)
        _setattr(self, "label", label)

    @property
    def source(self) -> str:
        return f"{self.file_path}:{self.line_number}" if self.line_number else self.file_path

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "local_file",
            "file_path": self.file_path,
            "line_number": self.line_number,
            "label": self.label,
        }


class UrlCodeReference(Record):
    """Source at a URL, e.g. a file in source control."""

    __slots__ = ("label", "url")
    _fields = ("url", "label")
    url: str
    label: str | None

    def __init__(self, url: str, label: str | None = None) -> None:
        _check(url, "UrlCodeReference", "url", str, "a str")
        _check(label, "UrlCodeReference", "label", (str, type(None)), "a str or None")
        _setattr(self, "url", url)
        _setattr(self, "label", label)

    @property
    def source(self) -> str:
        return self.url

    def to_json(self) -> dict[str, Any]:
        return {"kind": "url", "url": self.url, "label": self.label}


CodeReference = LocalFileCodeReference | UrlCodeReference


def code_reference_from_json(data: Mapping[str, Any]) -> CodeReference:
    """Inverse of ``LocalFileCodeReference.to_json`` / ``UrlCodeReference.to_json``."""
    kind = data.get("kind")
    if kind == "local_file":
        return LocalFileCodeReference(data["file_path"], data.get("line_number"), data.get("label"))
    if kind == "url":
        return UrlCodeReference(data["url"], data.get("label"))
    raise InvalidMetadataError(
        f"Unknown code reference kind {kind!r} in {describe(data)}; expected 'local_file' or 'url'."
    )
