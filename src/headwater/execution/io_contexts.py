"""Building the OutputContext and InputContext an IO manager receives."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater.core.asset_key import AssetKey
from headwater.definitions.input_context import InputContext
from headwater.definitions.output_context import OutputContext
from headwater.execution.context_partitions import _definition_of

if TYPE_CHECKING:
    from headwater.execution.run_context import RunContext
    from headwater.execution.step_runner import StepAttempt
    from headwater.specs.job import NodeOutputSpec


def make_output_context(
    run: RunContext,
    attempt: StepAttempt,
    spec: NodeOutputSpec,
    mapping_key: str | None,
    output_metadata: Mapping[str, Any] | None,
) -> OutputContext:
    op_def = attempt.op_def
    out = op_def.outs[spec.name]
    return OutputContext(
        step_key=attempt.key,
        name=spec.name,
        job_name=run.job_name,
        run_id=run.run_id,
        definition_metadata=_with_asset_metadata(run, attempt.key, spec.asset_key, out.metadata),
        mapping_key=mapping_key,
        dagster_type=op_def.output_types.get(spec.name),
        version=out.code_version,
        resources=run.resources,
        op_def=op_def,
        asset_key=spec.asset_key,
        partition_key=run.partition_key,
        output_metadata=output_metadata,
        **_asset_partitions(run, spec.asset_key),
    )


def _with_asset_metadata(
    run: RunContext, step_key: str, asset_key: AssetKey | None, metadata: Mapping[str, Any] | None
) -> Mapping[str, Any] | None:
    """An asset output's definition metadata is its asset's metadata (and its Out's), as in Dagster."""
    if asset_key is None:
        return metadata
    assets_def = run.assets_def_for(step_key)
    spec = assets_def.specs_by_key.get(asset_key) if assets_def is not None else None
    if spec is None or not spec.metadata:
        return metadata
    return {**spec.metadata, **(metadata or {})}


def _asset_metadata(run: RunContext, asset_key: AssetKey) -> Mapping[str, Any] | None:
    """The metadata of an upstream asset not materialized in this run (not selected, or a source
    asset): what its IO manager needs to find the stored value (``partition_expr``, ``schema``...)."""
    if run.layer is None:
        return None
    collection = run.layer.collection
    spec = collection.spec_for(asset_key)
    if spec is not None:
        return spec.metadata or None
    source = collection.source_by_key.get(asset_key)
    return getattr(source, "metadata", None) or None


def upstream_output_context(
    run: RunContext,
    step_key: str | None,
    output_name: str | None,
    asset_key: AssetKey | None,
    mapping_key: str | None,
    run_id: str | None = None,
) -> OutputContext:
    op_def = None
    definition_metadata: Mapping[str, Any] | None = None
    if step_key is not None:
        handle = step_key.split("[", 1)[0]
        compiled = run.compiled.get(handle)
        if compiled is not None:
            op_def = compiled.op_def
            if output_name in op_def.outs:
                definition_metadata = op_def.outs[output_name].metadata
        definition_metadata = _with_asset_metadata(run, step_key, asset_key, definition_metadata)
    elif asset_key is not None:
        definition_metadata = _asset_metadata(run, asset_key)
    return OutputContext(
        step_key=step_key,
        name=output_name or "result",
        job_name=run.job_name,
        run_id=run_id or run.run_id,
        definition_metadata=definition_metadata,
        mapping_key=mapping_key,
        resources=run.resources,
        op_def=op_def,
        asset_key=asset_key,
        partition_key=run.partition_key,
        **_asset_partitions(run, asset_key),
    )


def make_input_context(
    run: RunContext,
    attempt: StepAttempt,
    input_name: str,
    *,
    asset_key: AssetKey | None,
    upstream_step_key: str | None,
    upstream_output_name: str | None,
    upstream_mapping_key: str | None,
    upstream_io_manager_key: str,
    upstream_run_id: str | None = None,
) -> InputContext:
    """``upstream_run_id``: the run that produced the upstream output, when not this one (re-execution)."""
    op_def = attempt.op_def
    in_def = op_def.ins.get(input_name)
    return InputContext(
        name=input_name,
        job_name=run.job_name,
        op_def=op_def,
        definition_metadata=in_def.metadata if in_def is not None else None,
        upstream_output=upstream_output_context(
            run, upstream_step_key, upstream_output_name, asset_key, upstream_mapping_key, upstream_run_id
        ),
        dagster_type=op_def.input_types.get(input_name),
        resources=run.resources,
        asset_key=asset_key,
        partition_key=run.partition_key,
        instance=run.instance,
        **_input_partitions(run, attempt, asset_key),
    )


def _asset_partitions(run: RunContext, asset_key: AssetKey | None) -> dict[str, Any]:
    """The partitions an output for ``asset_key`` writes (none for an unpartitioned asset or run)."""
    if asset_key is None or run.partitions is None:
        return {}
    keys = run.input_partitions.asset_keys(asset_key)
    return {"asset_partition_keys": keys or [], "asset_partitions_def": _definition_of(run, asset_key)}


def _input_partitions(run: RunContext, attempt: StepAttempt, asset_key: AssetKey | None) -> dict[str, Any]:
    """The partitions of upstream asset ``asset_key`` this step reads (through its partition mapping)."""
    if asset_key is None or run.layer is None:
        return {}
    node = run.layer.asset_graph.nodes.get(asset_key)
    if node is None or node.partitions is None:
        return {"asset_partition_keys": []} if run.partitions is not None else {}
    outputs = [o.asset_key for o in attempt.node_spec.outputs if o.asset_key is not None]
    keys = run.input_partitions.upstream_keys(outputs[0] if outputs else None, asset_key)
    return {"asset_partition_keys": keys or [], "asset_partitions_def": _definition_of(run, asset_key)}
