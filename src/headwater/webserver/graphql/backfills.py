"""Backfills: the types the backfill work will fill. Until then every backfill field answers
``NotAvailableError`` (typed; nothing is made up)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from headwater.webserver.graphql.asset_keys import AssetKey
from headwater.webserver.graphql.errors import NotAvailableError, PythonError
from headwater.webserver.graphql.tags import PipelineTag


@strawberry.enum(description="Where a backfill stands.")
class BulkActionStatus(Enum):
    REQUESTED = "REQUESTED"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELING = "CANCELING"
    CANCELED = "CANCELED"


@strawberry.type(description="A backfill: many partitions of assets or a job, run by the daemon.")
class PartitionBackfill:
    id: strawberry.ID
    status: BulkActionStatus
    timestamp: float
    num_partitions: int | None
    partition_names: list[str] | None
    asset_selection: list[AssetKey] | None
    tags: list[PipelineTag]
    error: PythonError | None


@strawberry.type(description="A page of backfills.")
class PartitionBackfills:
    results: list[PartitionBackfill]


PartitionBackfillsOrError = Annotated[
    PartitionBackfills | NotAvailableError | PythonError, strawberry.union("PartitionBackfillsOrError")
]
PartitionBackfillOrError = Annotated[
    PartitionBackfill | NotAvailableError | PythonError, strawberry.union("PartitionBackfillOrError")
]
