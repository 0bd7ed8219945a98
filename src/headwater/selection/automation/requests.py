"""What one automation evaluation launches: runs, or one backfill.

As Dagster's automation sensors do by default (``emit_backfills=True``): when some asset has more than
one partition requested, everything requested goes into one backfill; otherwise each run materializes
the assets requested for one partition key (assets of one partitions definition together), and the
unpartitioned assets requested go together in one run. Checks requested without their asset run
together in one checks-only run (a check whose asset is requested runs in its asset's run).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.specs.asset_graph import AssetGraph
from headwater.specs.automation_condition import ASSET_EVALUATION_ID_TAG, AUTOMATION_CONDITION_TAG
from headwater.specs.instigation import RunRequestData


def automation_tags(evaluation_id: int) -> dict[str, str]:
    return {AUTOMATION_CONDITION_TAG: "true", ASSET_EVALUATION_ID_TAG: str(evaluation_id)}


def needs_backfill(requested: Mapping[AssetKey, list[str] | None]) -> bool:
    """More than one partition of some asset requested."""
    return any(keys is not None and len(keys) > 1 for keys in requested.values())


def run_requests(
    graph: AssetGraph, requested: Mapping[AssetKey, list[str] | None], evaluation_id: int
) -> list[RunRequestData]:
    """One run per (partitions definition, partition key), one for the unpartitioned assets."""
    tags = automation_tags(evaluation_id)
    groups: dict[tuple[bytes, str | None], list[AssetKey]] = {}
    for key in graph.toposorted():
        if key not in requested:
            continue
        keys = requested[key]
        spec = msgspec.json.encode(graph.get(key).partitions)
        for partition in keys if keys is not None else [None]:
            groups.setdefault((spec, partition), []).append(key)
    return [
        RunRequestData(tags=tags, asset_selection=tuple(assets), partition_key=partition)
        for (_, partition), assets in groups.items()
    ]


def check_run_request(checks: Sequence[AssetCheckKey], evaluation_id: int) -> RunRequestData:
    """One checks-only run of the checks requested without their asset."""
    return RunRequestData(
        tags=automation_tags(evaluation_id), asset_selection=(), asset_check_keys=tuple(checks)
    )


__all__ = ["automation_tags", "check_run_request", "needs_backfill", "run_requests"]
