"""Checks of partitions when definitions load, so a mismatch is reported before any run starts:

* every dependency between two assets is mapped by a partition mapping that fits their partitions
  (the declared one, or the default Dagster infers);
* the assets an asset job materializes share one partitions definition (or have none).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidDefinitionError
from headwater.selection.partition_keys import partition_keys_for
from headwater.selection.partition_mapping import infer_partition_mapping, mapping_problem
from headwater.specs.asset_graph import AssetNodeSpec
from headwater.specs.partitions import PartitionsSpec


def describe_partitions(spec: PartitionsSpec | None) -> str:
    return "not partitioned" if spec is None else partition_keys_for(spec).kind()


def check_partition_mappings(nodes: Mapping[AssetKey, AssetNodeSpec]) -> None:
    """Raise InvalidDefinitionError for a dependency whose partition mapping cannot map the two
    assets' partitions, naming both assets, the mapping and what would fit."""
    for node in nodes.values():
        for dep in node.deps:
            upstream = nodes.get(dep)
            if upstream is None or upstream.partitions is None:
                continue
            declared = node.partition_mapping_for(dep)
            mapping = infer_partition_mapping(declared, node.partitions, upstream.partitions)
            problem = mapping_problem(mapping, upstream.partitions, node.partitions)
            if problem is None:
                continue
            how = "its partition_mapping" if declared is not None else "the default partition mapping"
            raise InvalidDefinitionError(
                f"Asset {node.key.to_user_string()!r} depends on asset {dep.to_user_string()!r} through "
                f"{how} {mapping!r}, which cannot map between their partitions: {problem}. Upstream "
                f"{dep.to_user_string()!r}: {describe_partitions(upstream.partitions)}; downstream "
                f"{node.key.to_user_string()!r}: {describe_partitions(node.partitions)}. Pass a "
                "partition_mapping that fits (AssetIn(partition_mapping=...) or AssetDep(..., "
                "partition_mapping=...)): AllPartitionMapping, LastPartitionMapping, "
                "TimeWindowPartitionMapping between time windows, StaticPartitionMapping between static "
                "partitions, MultiToSingleDimensionPartitionMapping between a multi-partitioned asset and "
                "one of its dimensions."
            )


def job_partitions_def(
    job_name: str,
    selected: Iterable[AssetKey],
    nodes: Mapping[AssetKey, AssetNodeSpec],
    defs_by_key: Mapping[AssetKey, Any],
    partitions_def: Any,
) -> Any:
    """The partitions definition of an asset job over ``selected``: the one its assets share (or
    ``partitions_def`` when given, which they must match); an error naming the assets otherwise."""
    groups: dict[Any, list[AssetKey]] = {}
    for key in sorted(selected):
        node = nodes.get(key)
        if node is not None and node.partitions is not None:
            groups.setdefault(node.partitions, []).append(key)
    if partitions_def is not None:
        wanted = (
            partitions_def.to_partitions_spec() if hasattr(partitions_def, "to_partitions_spec") else None
        )
        for spec, keys in groups.items():
            if spec != wanted:
                raise InvalidDefinitionError(
                    f"Executable asset {keys[0].to_user_string()!r} has a different partitions definition "
                    f"than the one specified for job '{job_name}'. Specified partitions definition: "
                    f"{describe_partitions(wanted)}. Asset partitions definition: "
                    f"{describe_partitions(spec)}."
                )
        return partitions_def
    if len(groups) > 1:
        lines = "\n".join(
            f"  {describe_partitions(spec)}: {', '.join(repr(k.to_user_string()) for k in keys)}"
            for spec, keys in groups.items()
        )
        raise InvalidDefinitionError(
            f'Error resolving selection for asset job "{job_name}": Selected assets must have the same '
            "partitions definitions, but the selected assets have different partitions definitions:\n"
            f"{lines}\nMaterialize each group in its own job (or run), or give them one partitions "
            "definition."
        )
    if not groups:
        return None
    key = next(iter(groups.values()))[0]
    return defs_by_key.get(key)


__all__ = ["check_partition_mappings", "describe_partitions", "job_partitions_def"]
