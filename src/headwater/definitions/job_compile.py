"""Flattening a job's graph into leaf op nodes: the shape planning and execution work on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.definitions.composition import (
    CollectRef,
    FanInRef,
    GraphInputRef,
    Invocation,
    NodeOutputRef,
    Source,
)
from headwater.definitions.graph import GraphDefinition
from headwater.definitions.op import OpDefinition
from headwater.errors import InvalidDefinitionError
from headwater.specs.job import InputKind, JobSpec, NodeInputSpec, NodeOutputSpec, NodeSpec, OutputRef


class ResolvedInput(msgspec.Struct):
    kind: InputKind
    sources: tuple[OutputRef, ...] = ()
    graph_default: Any = None
    has_graph_default: bool = False


class CompiledNode(msgspec.Struct):
    """A leaf op of a job with everything execution needs besides the spec."""

    handle: str
    op_def: OpDefinition
    config_path: tuple[str, ...]
    tags: dict[str, str]
    hooks: set[Any]
    retry_policy: Any
    inputs: dict[str, ResolvedInput]
    mapped_over: OutputRef | None


class CompiledGraph(msgspec.Struct):
    nodes: dict[str, CompiledNode] = msgspec.field(default_factory=dict)
    # (top-level node, input name) -> leaf inputs it feeds, for graph-backed assets and top-level inputs
    input_targets: dict[tuple[str, str], list[tuple[str, str]]] = msgspec.field(default_factory=dict)
    # top-level graph inputs -> leaf inputs
    graph_input_targets: dict[str, list[tuple[str, str]]] = msgspec.field(default_factory=dict)

    def resolve_output(self, graph: GraphDefinition, ref: NodeOutputRef, prefix: str = "") -> OutputRef:
        return _resolve_output(graph, ref, prefix)


def _resolve_output(graph: GraphDefinition, ref: NodeOutputRef, prefix: str) -> OutputRef:
    current_graph, current_ref, current_prefix = graph, ref, prefix
    while True:
        inv = current_graph.invocations[current_ref.node]
        if isinstance(inv.node_def, OpDefinition):
            return OutputRef(current_prefix + inv.name, current_ref.output)
        inner = inv.node_def
        assert isinstance(inner, GraphDefinition)
        mapped = inner.output_mappings.get(current_ref.output)
        if mapped is None:
            raise InvalidDefinitionError(f"Graph '{inner.name}' has no output named '{current_ref.output}'.")
        current_graph, current_ref, current_prefix = inner, mapped, f"{current_prefix}{inv.name}."


def compile_graph(graph: GraphDefinition) -> CompiledGraph:
    out = CompiledGraph()
    _compile_into(out, graph, "", (), {}, None, top_level=True)
    return out


def _compile_into(
    out: CompiledGraph,
    graph: GraphDefinition,
    prefix: str,
    path: tuple[str, ...],
    bindings: Mapping[str, ResolvedInput | None],
    inherited_mapped: OutputRef | None,
    *,
    top_level: bool,
    inherited_hooks: frozenset[Any] = frozenset(),
) -> None:
    """Flatten ``graph`` into ``out``; hooks on a graph's invocation apply to every op inside it (Dagster)."""
    for name in graph.toposorted_names():
        inv = graph.invocations[name]
        resolved: dict[str, ResolvedInput] = {}
        for input_name in inv.node_def.ins:
            source = inv.inputs.get(input_name)
            if source is None:
                resolved[input_name] = ResolvedInput(InputKind.UNCONNECTED)
                continue
            r = _resolve_source(graph, source, prefix, bindings)
            resolved[input_name] = r if r is not None else ResolvedInput(InputKind.UNCONNECTED)
            if top_level and isinstance(source, GraphInputRef):
                out.graph_input_targets.setdefault(source.name, []).append((prefix + name, input_name))
        mapped = _resolve_output(graph, inv.mapped_over, prefix) if inv.mapped_over else inherited_mapped
        if isinstance(inv.node_def, OpDefinition):
            handle = prefix + name
            out.nodes[handle] = CompiledNode(
                handle=handle,
                op_def=inv.node_def,
                config_path=(*path, name),
                tags={**inv.node_def.tags, **inv.tags},
                hooks={*inherited_hooks, *inv.hooks},
                retry_policy=inv.retry_policy,
                inputs=resolved,
                mapped_over=mapped,
            )
            if top_level:
                for input_name in inv.node_def.ins:
                    out.input_targets[(name, input_name)] = [(handle, input_name)]
        else:
            inner = inv.node_def
            assert isinstance(inner, GraphDefinition)
            inner_bindings: dict[str, ResolvedInput | None] = {}
            for input_name, in_def in inner.ins.items():
                r = resolved.get(input_name)
                if (r is None or r.kind is InputKind.UNCONNECTED) and in_def.has_default:
                    r = ResolvedInput(
                        InputKind.UNCONNECTED, graph_default=in_def.default_value, has_graph_default=True
                    )
                inner_bindings[input_name] = r
            before = set(out.nodes)
            _compile_into(
                out,
                inner,
                f"{prefix}{name}.",
                (*path, name),
                inner_bindings,
                mapped,
                top_level=False,
                inherited_hooks=inherited_hooks | frozenset(inv.hooks),
            )
            if top_level:
                _record_graph_input_targets(out, inner, name, before)


def _record_graph_input_targets(
    out: CompiledGraph, inner: GraphDefinition, top_name: str, before: set[str]
) -> None:
    prefix = f"{top_name}."
    # Leaf inputs fed by the inner graph's inputs: found by walking the inner graph's invocations.
    stack: list[tuple[GraphDefinition, str, dict[str, str]]] = [(inner, prefix, {n: n for n in inner.ins})]
    while stack:
        g, pre, names = stack.pop()
        for inv in g.invocations.values():
            for input_name, source in inv.inputs.items():
                if isinstance(source, GraphInputRef) and source.name in names:
                    outer_name = names[source.name]
                    if isinstance(inv.node_def, OpDefinition):
                        out.input_targets.setdefault((top_name, outer_name), []).append(
                            (pre + inv.name, input_name)
                        )
                    else:
                        assert isinstance(inv.node_def, GraphDefinition)
                        stack.append((inv.node_def, f"{pre}{inv.name}.", {input_name: outer_name}))


def _resolve_source(
    graph: GraphDefinition, source: Source, prefix: str, bindings: Mapping[str, ResolvedInput | None]
) -> ResolvedInput | None:
    if isinstance(source, NodeOutputRef):
        return ResolvedInput(InputKind.SINGLE, (_resolve_output(graph, source, prefix),))
    if isinstance(source, GraphInputRef):
        return bindings.get(source.name)
    if isinstance(source, CollectRef):
        return ResolvedInput(InputKind.COLLECT, (_resolve_output(graph, source.source, prefix),))
    if isinstance(source, FanInRef):
        refs: list[OutputRef] = []
        for s in source.sources:
            if isinstance(s, NodeOutputRef):
                refs.append(_resolve_output(graph, s, prefix))
            else:
                bound = bindings.get(s.name)
                if bound is not None:
                    refs.extend(bound.sources)
        return ResolvedInput(InputKind.FAN_IN, tuple(refs))
    raise InvalidDefinitionError(f"Unknown input source {source!r}")


def build_job_spec(
    name: str,
    compiled: CompiledGraph,
    *,
    description: str | None,
    tags: Mapping[str, str],
    io_manager_keys: Mapping[tuple[str, str], str] | None = None,
    output_asset_keys: Mapping[tuple[str, str], AssetKey] | None = None,
    output_check_keys: Mapping[tuple[str, str], AssetCheckKey] | None = None,
    input_asset_keys: Mapping[tuple[str, str], AssetKey] | None = None,
    after: Mapping[str, tuple[str, ...]] | None = None,
    is_asset_job: bool = False,
) -> JobSpec:
    io_keys = io_manager_keys or {}
    out_assets = output_asset_keys or {}
    out_checks = output_check_keys or {}
    in_assets = input_asset_keys or {}
    nodes: list[NodeSpec] = []
    for handle, node in compiled.nodes.items():
        op_def = node.op_def
        inputs = tuple(
            NodeInputSpec(
                name=input_name,
                kind=r.kind,
                sources=r.sources,
                is_nothing=op_def.input_types[input_name].is_nothing,
                has_default=op_def.ins[input_name].has_default or r.has_graph_default,
                asset_key=in_assets.get((handle, input_name)) or op_def.ins[input_name].asset_key,
                type_name=op_def.input_types[input_name].name,
            )
            for input_name, r in node.inputs.items()
        )
        outputs = tuple(
            NodeOutputSpec(
                name=out_name,
                is_required=out.is_required,
                is_dynamic=out.is_dynamic,
                is_nothing=op_def.output_types[out_name].is_nothing,
                io_manager_key=io_keys.get((handle, out_name)) or out.io_manager_key or "io_manager",
                asset_key=out_assets.get((handle, out_name)),
                check_key=out_checks.get((handle, out_name)),
                type_name=op_def.output_types[out_name].name,
            )
            for out_name, out in op_def.outs.items()
        )
        nodes.append(
            NodeSpec(
                handle=handle,
                op_name=op_def.name,
                inputs=inputs,
                outputs=outputs,
                tags=node.tags,
                pool=op_def.pool,
                mapped_over=node.mapped_over,
                required_resource_keys=frozenset(op_def.required_resource_keys),
                after=(after or {}).get(handle, ()),
            )
        )
    return JobSpec(
        name=name, nodes=tuple(nodes), description=description, tags=dict(tags), is_asset_job=is_asset_job
    )


__all__ = ["CompiledGraph", "CompiledNode", "Invocation", "build_job_spec", "compile_graph"]
