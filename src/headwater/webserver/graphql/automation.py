"""Declarative automation in GraphQL: each asset's (and check's) stored evaluations with the result
tree of its condition -- why it was or was not requested (Dagster's ``AssetConditionEvaluationRecord``
and ``AutomationConditionEvaluationNode`` names) -- and the condition an asset declares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import strawberry

from headwater.core.asset_key import AssetKey as CoreAssetKey
from headwater.selection.automation.records import ConditionResult
from headwater.selection.automation.subsets import KeyRanges
from headwater.specs.automation_condition import AutomationCondition as CoreCondition
from headwater.storage.automation import AutomationEvaluationRecord
from headwater.webserver.context import RequestContext
from headwater.webserver.graphql.asset_keys import AssetKey
from headwater.webserver.graphql.errors import PythonError
from headwater.webserver.graphql.limits import page_size


@strawberry.type(description="Keys start..end (inclusive, in the partitions' order).")
class PartitionKeyRange:
    start: str
    end: str


def _ranges(value: KeyRanges) -> list[PartitionKeyRange]:
    return [PartitionKeyRange(start=a, end=b) for a, b in value.ranges]


@strawberry.type(description="An asset's automation condition: its label and the tree as text.")
class AutomationCondition:
    label: str | None
    expanded_label: list[str]

    @staticmethod
    def of(condition: CoreCondition) -> AutomationCondition:
        return AutomationCondition(label=condition.label, expanded_label=list(_expanded(condition, 0)))


def _expanded(condition: CoreCondition, depth: int) -> Iterator[str]:
    label = f" ({condition.label})" if condition.label else ""
    yield "  " * depth + condition.name + label
    for child in condition.children:
        yield from _expanded(child, depth + 1)


@strawberry.type(description="One node of a condition's result tree on one evaluation.")
class AutomationConditionEvaluationNode:
    unique_id: str
    user_label: str | None
    name: str = strawberry.field(description="The kind of condition: AND, missing, ANY_DEPS_MATCH...")
    expanded_label: list[str]
    num_true: int
    num_candidates: int
    is_partitioned: bool
    child_unique_ids: list[str]
    dep_key: str | None = strawberry.field(description="For a dependency's subtree: the dependency.")
    true_partition_ranges: list[PartitionKeyRange]


def _nodes(root: ConditionResult, partitioned: bool) -> list[AutomationConditionEvaluationNode]:
    out: list[AutomationConditionEvaluationNode] = []
    stack = [root]
    while stack:
        node = stack.pop()
        out.append(
            AutomationConditionEvaluationNode(
                unique_id=node.node_id,
                user_label=node.label,
                name=node.name,
                expanded_label=[node.description],
                num_true=node.true.count,
                num_candidates=node.candidates,
                is_partitioned=partitioned,
                child_unique_ids=[c.node_id for c in node.children],
                dep_key=node.dep_key,
                true_partition_ranges=_ranges(node.true) if partitioned else [],
            )
        )
        stack.extend(reversed(node.children))
    return out


@strawberry.type(description="One evaluation of an asset's (or check's) automation condition.")
class AssetConditionEvaluationRecord:
    id: strawberry.ID
    evaluation_id: int
    entity_key: str = strawberry.field(description="The asset key ('a/b') or check key ('a/b:check').")
    asset_key: AssetKey | None
    is_check: bool
    timestamp: float
    num_requested: int
    num_candidates: int
    is_partitioned: bool
    requested_partition_ranges: list[PartitionKeyRange]
    run_ids: list[str] = strawberry.field(description="The runs (or the backfill) launched for it.")
    sensor_selector_id: str
    root_unique_id: str
    evaluation_nodes: list[AutomationConditionEvaluationNode]

    @staticmethod
    def of(record: AutomationEvaluationRecord) -> AssetConditionEvaluationRecord:
        e = record.evaluation
        return AssetConditionEvaluationRecord(
            id=strawberry.ID(str(record.id)),
            evaluation_id=e.evaluation_id,
            entity_key=e.entity_key,
            asset_key=None if e.is_check else AssetKey.of(CoreAssetKey.from_user_string(e.entity_key)),
            is_check=e.is_check,
            timestamp=e.timestamp,
            num_requested=e.requested.count,
            num_candidates=e.num_candidates,
            is_partitioned=e.partitioned,
            requested_partition_ranges=_ranges(e.requested) if e.partitioned else [],
            run_ids=list(record.run_ids),
            sensor_selector_id=record.selector_id,
            root_unique_id=e.result.node_id,
            evaluation_nodes=_nodes(e.result, e.partitioned),
        )


@strawberry.type
class AssetConditionEvaluationRecords:
    records: list[AssetConditionEvaluationRecord]
    cursor: str | None


AssetConditionEvaluationRecordsOrError = Annotated[
    AssetConditionEvaluationRecords | PythonError, strawberry.union("AssetConditionEvaluationRecordsOrError")
]


def evaluation_records(
    ctx: RequestContext, entity_key: str, limit: int | None, cursor: str | None
) -> AssetConditionEvaluationRecords | PythonError:
    try:
        before = int(cursor) if cursor else None
        records = ctx.storage.automation.get_evaluations(entity_key, page_size(limit, default=20), before)
    except (ValueError, TypeError) as exc:
        return PythonError.from_exception(exc)
    out = [AssetConditionEvaluationRecord.of(r) for r in records]
    return AssetConditionEvaluationRecords(records=out, cursor=str(records[-1].id) if records else cursor)


def latest_evaluations(ctx: RequestContext) -> list[AssetConditionEvaluationRecord]:
    return [AssetConditionEvaluationRecord.of(r) for r in ctx.storage.automation.get_latest_evaluations()]


__all__ = [
    "AssetConditionEvaluationRecord",
    "AssetConditionEvaluationRecords",
    "AssetConditionEvaluationRecordsOrError",
    "AutomationCondition",
    "AutomationConditionEvaluationNode",
    "evaluation_records",
    "latest_evaluations",
]
