"""ExpectationResult: the outcome of a data quality expectation an op reports (Dagster's name)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from headwater.core.metadata import AnyMetadataValue, RawMetadataValue, normalize_metadata
from headwater.core.value import Value, set_field


class ExpectationResult(Value, tag="ExpectationResult", tag_field="type", omit_defaults=True, frozen=True):
    success: bool
    label: str | None = None
    description: str | None = None
    metadata: dict[str, AnyMetadataValue] = {}

    if TYPE_CHECKING:

        def __init__(
            self,
            success: bool,
            label: str | None = None,
            description: str | None = None,
            metadata: Mapping[str, RawMetadataValue] | None = None,
        ) -> None: ...

    def __post_init__(self) -> None:
        metadata = self.metadata
        set_field(self, "metadata", normalize_metadata(metadata) if metadata else {})
