"""Partitions of an asset: its definition (from the spec), its keys (``selection.partition_keys``, no
user code) in pages, and their status from the per-partition status index (counts, and ranges of
consecutive keys with the same status).

Stats and ranges come from the one storage-backed implementation,
``storage.partition_status.partition_status_ranges`` (as ``Instance.get_partition_status_ranges``).
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from headwater.core.asset_key import AssetKey as CoreAssetKey
from headwater.errors import HeadwaterError
from headwater.selection.partition_keys import partition_keys_for
from headwater.selection.partition_status import MISSING, AssetPartitionStatus
from headwater.specs.partitions import (
    DynamicPartitionsSpec,
    MultiPartitionsSpec,
    PartitionsSpec,
    StaticPartitionsSpec,
    TimeWindowPartitionsSpec,
)
from headwater.storage.partition_status import partition_status_ranges
from headwater.storage.protocols import EventStore
from headwater.webserver.graphql.errors import InvalidRequestError, PythonError
from headwater.webserver.graphql.limits import page_size


@strawberry.enum(description="How an asset is partitioned.")
class PartitionDefinitionType(Enum):
    STATIC = "STATIC"
    TIME_WINDOW = "TIME_WINDOW"
    DYNAMIC = "DYNAMIC"
    MULTIPARTITIONED = "MULTIPARTITIONED"


_TYPES = {
    StaticPartitionsSpec: PartitionDefinitionType.STATIC,
    TimeWindowPartitionsSpec: PartitionDefinitionType.TIME_WINDOW,
    DynamicPartitionsSpec: PartitionDefinitionType.DYNAMIC,
    MultiPartitionsSpec: PartitionDefinitionType.MULTIPARTITIONED,
}


@strawberry.type(description="One dimension of a multi-partitioned asset.")
class DimensionDefinitionType:
    name: str
    type: PartitionDefinitionType
    description: str
    dynamic_partitions_definition_name: str | None


@strawberry.type(description="How an asset is partitioned (its spec).")
class PartitionDefinition:
    type: PartitionDefinitionType
    description: str
    cron_schedule: str | None
    timezone: str | None
    fmt: str | None
    dynamic_partitions_definition_name: str | None
    dimension_types: list[DimensionDefinitionType]

    @staticmethod
    def of(spec: PartitionsSpec) -> PartitionDefinition:
        dims = []
        if isinstance(spec, MultiPartitionsSpec):
            for dim in spec.dimensions:
                inner = dim.partitions
                dims.append(
                    DimensionDefinitionType(
                        name=dim.name,
                        type=_TYPES[type(inner)],
                        description=_describe(inner),
                        dynamic_partitions_definition_name=getattr(inner, "name", None)
                        if isinstance(inner, DynamicPartitionsSpec)
                        else None,
                    )
                )
        window = spec if isinstance(spec, TimeWindowPartitionsSpec) else None
        return PartitionDefinition(
            type=_TYPES[type(spec)],
            description=_describe(spec),
            cron_schedule=window.cron_schedule if window else None,
            timezone=window.timezone if window else None,
            fmt=window.fmt if window else None,
            dynamic_partitions_definition_name=spec.name if isinstance(spec, DynamicPartitionsSpec) else None,
            dimension_types=dims,
        )


def _describe(spec: PartitionsSpec) -> str:
    if isinstance(spec, StaticPartitionsSpec):
        return f"{len(spec.partition_keys)} static partitions"
    if isinstance(spec, TimeWindowPartitionsSpec):
        return f"Time windows of cron '{spec.cron_schedule}' ({spec.timezone}), keys formatted {spec.fmt}"
    if isinstance(spec, DynamicPartitionsSpec):
        return f"Dynamic partitions '{spec.name}'"
    return "Multi-partitioned: " + ", ".join(f"{d.name} ({_describe(d.partitions)})" for d in spec.dimensions)


@strawberry.type(description="A page of an asset's partition keys, in the definition's order.")
class PartitionKeys:
    keys: list[str]
    total_count: int
    cursor: str = strawberry.field(description="The offset of the next page (pass as cursor).")
    has_more: bool


PartitionKeysOrError = Annotated[
    PartitionKeys | InvalidRequestError | PythonError, strawberry.union("PartitionKeysOrError")
]


def all_keys(spec: PartitionsSpec, store: EventStore) -> list[str]:
    return list(partition_keys_for(spec).keys(None, store))


def partition_keys_page(
    spec: PartitionsSpec, store: EventStore, cursor: str | None, limit: int | None
) -> PartitionKeys | InvalidRequestError | PythonError:
    try:
        start = int(cursor) if cursor else 0
    except ValueError:
        return InvalidRequestError(message=f"Bad partition cursor {cursor!r}: pass the cursor of a page.")
    try:
        keys = all_keys(spec, store)
    except HeadwaterError as exc:
        return PythonError.from_exception(exc)
    size = page_size(limit, default=1000)
    page = keys[start : start + size]
    end = start + len(page)
    return PartitionKeys(keys=page, total_count=len(keys), cursor=str(end), has_more=end < len(keys))


@strawberry.type(description="How many of an asset's partitions are in each state (from the status index).")
class PartitionStats:
    num_partitions: int
    num_materialized: int
    num_failed: int
    num_materializing: int


@strawberry.enum(description="The state of a partition.")
class PartitionRangeStatus(Enum):
    MATERIALIZED = "MATERIALIZED"
    MATERIALIZING = "MATERIALIZING"
    FAILED = "FAILED"
    MISSING = "MISSING"


@strawberry.type(description="Consecutive partition keys (in the definition's order) in one state.")
class PartitionStatusRange:
    start_key: str
    end_key: str
    count: int
    status: PartitionRangeStatus


@strawberry.type(description="An asset's partitions as ranges of one state each.")
class PartitionStatusRanges:
    ranges: list[PartitionStatusRange]
    total_count: int


PartitionStatusRangesOrError = Annotated[
    PartitionStatusRanges | PythonError, strawberry.union("PartitionStatusRangesOrError")
]


_RANGE_STATUS = {
    MISSING: PartitionRangeStatus.MISSING,
    AssetPartitionStatus.MATERIALIZED.value: PartitionRangeStatus.MATERIALIZED,
    AssetPartitionStatus.FAILED.value: PartitionRangeStatus.FAILED,
    AssetPartitionStatus.IN_PROGRESS.value: PartitionRangeStatus.MATERIALIZING,
}


def partition_stats(key: CoreAssetKey, spec: PartitionsSpec, store: EventStore) -> PartitionStats:
    summary = partition_status_ranges(store, key, spec)
    return PartitionStats(
        num_partitions=summary.total,
        num_materialized=summary.materialized,
        num_failed=summary.failed,
        num_materializing=summary.in_progress,
    )


def partition_ranges(key: CoreAssetKey, spec: PartitionsSpec, store: EventStore) -> PartitionStatusRanges:
    summary = partition_status_ranges(store, key, spec)
    ranges = [
        PartitionStatusRange(
            start_key=r.start_key, end_key=r.end_key, count=r.count, status=_RANGE_STATUS[r.status]
        )
        for r in summary.ranges
    ]
    return PartitionStatusRanges(ranges=ranges, total_count=summary.total)
