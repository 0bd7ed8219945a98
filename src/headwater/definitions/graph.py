"""Graphs: nodes wired together, built by tracing a @graph body or from explicit dependencies."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

from headwater.definitions.composition import (
    CollectRef,
    FanInRef,
    GraphInputHandle,
    GraphInputRef,
    Invocation,
    MultiOutputHandles,
    NodeOutputRef,
    OutputHandle,
    Source,
    trace_body,
)
from headwater.definitions.inputs import In, NoValue
from headwater.definitions.node import NodeDefinition, check_valid_name
from headwater.definitions.outputs import Out
from headwater.errors import InvalidDefinitionError
from headwater.specs.toposort import toposort

if TYPE_CHECKING:
    from headwater.definitions.job import JobDefinition


class DependencyDefinition:
    """An input fed by output ``output`` of node ``node``."""

    __slots__ = ("description", "node", "output")

    def __init__(self, node: str, output: str = "result", description: str | None = None) -> None:
        self.node = node
        self.output = output
        self.description = description

    # a value, as Dagster's (a NamedTuple there)
    def _key(self) -> tuple[str, str, str | None]:
        return (self.node, self.output, self.description)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DependencyDefinition) and other._key() == self._key()

    def is_fan_in(self) -> bool:
        return False

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        node, output, description = self._key()
        return f"DependencyDefinition(node={node!r}, output={output!r}, description={description!r})"


class MultiDependencyDefinition:
    """A fan-in input fed by several outputs."""

    __slots__ = ("dependencies",)

    def __init__(self, dependencies: Sequence[DependencyDefinition]) -> None:
        self.dependencies = list(dependencies)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MultiDependencyDefinition) and other.dependencies == self.dependencies

    def is_fan_in(self) -> bool:
        return True

    def __hash__(self) -> int:
        return hash(tuple(self.dependencies))

    def __repr__(self) -> str:
        return f"MultiDependencyDefinition(dependencies={self.dependencies!r})"


class NodeInvocation:
    """Names a node in a ``dependencies`` dict, with an alias, tags, hooks or a retry policy."""

    __slots__ = ("alias", "hook_defs", "name", "retry_policy", "tags")

    def __init__(
        self,
        name: str,
        alias: str | None = None,
        tags: Mapping[str, str] | None = None,
        hook_defs: set[Any] | None = None,
        retry_policy: Any = None,
    ) -> None:
        self.name = name
        self.alias = alias
        self.tags = dict(tags or {})
        self.hook_defs = set(hook_defs or ())
        self.retry_policy = retry_policy


class GraphIn:
    __slots__ = ("description",)

    def __init__(self, description: str | None = None) -> None:
        self.description = description


class GraphOut:
    __slots__ = ("description", "name")

    def __init__(self, description: str | None = None) -> None:
        self.description = description
        self.name = None


class GraphDefinition(NodeDefinition):
    """A set of nodes and the dependencies between them; graphs nest inside graphs."""

    def __init__(
        self,
        name: str,
        *,
        description: str | None = None,
        node_defs: Sequence[NodeDefinition] | None = None,
        dependencies: Mapping[str | NodeInvocation, Mapping[str, Any]] | None = None,
        tags: Mapping[str, str] | None = None,
        invocations: Mapping[str, Invocation] | None = None,
        ins: Mapping[str, In] | None = None,
        output_mappings: Mapping[str, NodeOutputRef] | None = None,
        outs: Mapping[str, Out] | None = None,
        config: Any = None,
    ) -> None:
        self.name = check_valid_name(name, what="Graph")
        self.description = description
        self.tags = dict(tags or {})
        self.config = config
        if invocations is None:
            invocations = _invocations_from_dependencies(name, node_defs or [], dependencies or {})
        self.invocations: dict[str, Invocation] = dict(invocations)
        self.ins: dict[str, In] = dict(ins or {})
        self.output_mappings: dict[str, NodeOutputRef] = dict(output_mappings or {})
        self.outs: dict[str, Out] = dict(outs or {n: Out() for n in self.output_mappings})
        self._validate()
        self.positional_inputs = list(self.ins)

    @property
    def node_defs(self) -> list[NodeDefinition]:
        seen: dict[int, NodeDefinition] = {}
        for inv in self.invocations.values():
            seen.setdefault(id(inv.node_def), inv.node_def)
        return list(seen.values())

    @property
    def nodes(self) -> list[Invocation]:
        return list(self.invocations.values())

    def _validate(self) -> None:
        for inv in self.invocations.values():
            for input_name, source in inv.inputs.items():
                for ref in _refs(source):
                    if isinstance(ref, NodeOutputRef):
                        upstream = self.invocations.get(ref.node)
                        if upstream is None:
                            raise InvalidDefinitionError(
                                f'Invalid dependencies: node "{ref.node}" not found in node list. Listed as '
                                f'dependency for node "{inv.name}" input "{input_name}" '
                            )
                        if ref.output not in upstream.node_def.outs:
                            raise InvalidDefinitionError(
                                f"In graph '{self.name}', input '{input_name}' of node '{inv.name}' depends "
                                "on output "
                                f"'{ref.output}' of node '{ref.node}', which has outputs: "
                                f"{', '.join(upstream.node_def.outs) or 'none'}."
                            )
        self._order = toposort(
            self.invocations,
            lambda n: [
                r.node
                for s in self.invocations[n].inputs.values()
                for r in _refs(s)
                if isinstance(r, NodeOutputRef)
            ],
        )
        for out_name, ref in self.output_mappings.items():
            if ref.node not in self.invocations:
                raise InvalidDefinitionError(
                    f"Graph '{self.name}' maps output '{out_name}' to unknown node '{ref.node}'."
                )

    def toposorted_names(self) -> list[str]:
        """Node names with every upstream node first (computed once, when the graph was validated)."""
        return list(self._order)

    def to_job(
        self,
        name: str | None = None,
        description: str | None = None,
        resource_defs: Mapping[str, Any] | None = None,
        config: Any = None,
        tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        executor_def: Any = None,
        hooks: set[Any] | None = None,
        op_retry_policy: Any = None,
        partitions_def: Any = None,
        input_values: Mapping[str, Any] | None = None,
        logger_defs: Mapping[str, Any] | None = None,
    ) -> JobDefinition:
        from headwater.definitions.job import JobDefinition

        return JobDefinition(
            graph_def=self,
            name=name or self.name,
            description=description or self.description,
            resource_defs=resource_defs,
            config=config,
            tags=tags,
            metadata=metadata,
            executor_def=executor_def,
            hook_defs=hooks,
            op_retry_policy=op_retry_policy,
            partitions_def=partitions_def,
            input_values=input_values,
            logger_defs=logger_defs,
        )

    def execute_in_process(
        self,
        run_config: Any = None,
        instance: Any = None,
        resources: Mapping[str, Any] | None = None,
        raise_on_error: bool = True,
        op_selection: Sequence[str] | None = None,
        run_id: str | None = None,
        input_values: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> Any:
        job = self.to_job(resource_defs=resources, input_values=input_values)
        return job.execute_in_process(
            run_config=run_config,
            instance=instance,
            raise_on_error=raise_on_error,
            op_selection=op_selection,
            run_id=run_id,
            tags=tags,
        )

    def __repr__(self) -> str:
        return f"<GraphDefinition {self.name}>"


def _refs(source: Source) -> tuple[NodeOutputRef | GraphInputRef, ...]:
    if isinstance(source, FanInRef):
        return source.sources
    if isinstance(source, CollectRef):
        return (source.source,)
    return (source,)


def _invocations_from_dependencies(
    graph_name: str,
    node_defs: Sequence[NodeDefinition],
    dependencies: Mapping[str | NodeInvocation, Mapping[str, Any]],
) -> dict[str, Invocation]:
    by_name: dict[str, NodeDefinition] = {}
    for nd in node_defs:
        if nd.name in by_name and by_name[nd.name] is not nd:
            raise InvalidDefinitionError(
                f"Graph '{graph_name}' has two different node definitions named '{nd.name}'; names must be "
                "unique."
            )
        by_name[nd.name] = nd
    invocations: dict[str, Invocation] = {}
    explicit: dict[str, tuple[NodeInvocation | None, Mapping[str, Any]]] = {}
    for key, deps in dependencies.items():
        if isinstance(key, NodeInvocation):
            explicit[key.alias or key.name] = (key, deps)
        else:
            explicit[key] = (None, deps)
    for node_name, (ni, deps) in explicit.items():
        def_name = ni.name if ni else node_name
        node_def = by_name.get(def_name)
        if node_def is None:
            raise InvalidDefinitionError(
                f"Graph '{graph_name}' has dependencies for node '{def_name}', which is not in node_defs "
                f"({', '.join(sorted(by_name)) or 'none'})."
            )
        inv = Invocation(
            name=node_name,
            node_def=node_def,
            tags=dict(ni.tags) if ni else {},
            hooks=set(ni.hook_defs) if ni else set(),
            retry_policy=ni.retry_policy if ni else None,
        )
        for input_name, dep in deps.items():
            if input_name not in node_def.ins:
                kind = "graph" if isinstance(node_def, GraphDefinition) else "op"
                raise InvalidDefinitionError(
                    f'Invalid dependencies: {kind} "{node_name}" does not have input "{input_name}". '
                    f"Available inputs: {list(node_def.ins)}"
                )
            if isinstance(dep, DependencyDefinition):
                inv.inputs[input_name] = NodeOutputRef(dep.node, dep.output)
            elif isinstance(dep, MultiDependencyDefinition):
                refs = tuple(NodeOutputRef(d.node, d.output) for d in dep.dependencies)
                for ref in refs:
                    if refs.count(ref) > 1:
                        raise InvalidDefinitionError(
                            f'Duplicate dependencies on node "{ref.node}" output "{ref.output}" used in the '
                            "same "
                            "MultiDependencyDefinition."
                        )
                inv.inputs[input_name] = FanInRef(refs)
            else:
                raise InvalidDefinitionError(
                    f"Graph '{graph_name}': dependency of input '{input_name}' of '{node_name}' must be a "
                    f"DependencyDefinition or MultiDependencyDefinition, got {dep!r}."
                )
        invocations[node_name] = inv
    for nd in node_defs:
        if nd.name not in invocations and not any(i.node_def is nd for i in invocations.values()):
            invocations[nd.name] = Invocation(name=nd.name, node_def=nd)
    return invocations


def build_graph_from_fn(
    fn: Callable[..., Any],
    *,
    name: str,
    description: str | None,
    ins: Mapping[str, GraphIn] | None,
    out: GraphOut | Mapping[str, GraphOut] | None,
    tags: Mapping[str, str] | None,
    config: Any = None,
    decorator: str = "graph",
) -> GraphDefinition:
    params = [p for p in inspect.signature(fn).parameters.values()]
    input_names = [p.name for p in params]
    graph_ins = {n: In(description=(ins or {}).get(n, GraphIn()).description) for n in input_names}
    for p in params:
        if p.default is not inspect.Parameter.empty:
            graph_ins[p.name] = In(default_value=p.default)
    frame, result = trace_body(name, fn, [GraphInputHandle(n) for n in input_names], decorator)
    output_mappings: dict[str, NodeOutputRef] = {}
    declared = list(out) if isinstance(out, Mapping) else None
    if result is None:
        pass
    elif isinstance(result, OutputHandle):
        output_mappings[declared[0] if declared and len(declared) == 1 else "result"] = result.ref
    elif isinstance(result, Mapping):
        for key, value in result.items():
            if not isinstance(value, OutputHandle):
                raise InvalidDefinitionError(
                    f"@graph '{name}' returned {value!r} for output '{key}'; return node outputs."
                )
            output_mappings[key] = value.ref
    elif isinstance(result, (tuple, MultiOutputHandles)):
        if declared is None or len(declared) != len(result):
            raise InvalidDefinitionError(
                f"@graph '{name}' returned a tuple of {len(result)} outputs; declare them with out={{...}} "
                "(one GraphOut per output) and return a dict."
            )
        for key, value in zip(declared, result, strict=True):
            output_mappings[key] = value.ref
    else:
        raise InvalidDefinitionError(
            f"@{decorator} '{name}' returned problematic value of type {type(result)}. Expected return "
            "value from "
            "invoked node or dict mapping output name to return values from invoked nodes"
        )
    if declared is not None:
        missing = [d for d in declared if d not in output_mappings]
        if missing:
            raise InvalidDefinitionError(
                f"@graph '{name}' declares outputs {missing} but does not return them."
            )
    return GraphDefinition(
        name=name,
        description=description,
        tags=tags,
        invocations=frame.invocations,
        ins=graph_ins,
        output_mappings=output_mappings,
        config=config,
    )


@overload
def graph(compose_fn: Callable[..., Any], /) -> GraphDefinition: ...


@overload
def graph(
    compose_fn: None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    ins: Mapping[str, GraphIn] | None = None,
    out: GraphOut | Mapping[str, GraphOut] | None = None,
    tags: Mapping[str, str] | None = None,
    config: Any = None,
) -> Callable[[Callable[..., Any]], GraphDefinition]: ...


def graph(
    compose_fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    ins: Mapping[str, GraphIn] | None = None,
    out: GraphOut | Mapping[str, GraphOut] | None = None,
    tags: Mapping[str, str] | None = None,
    config: Any = None,
) -> GraphDefinition | Callable[[Callable[..., Any]], GraphDefinition]:
    """Define a graph by calling ops (and graphs) inside a function body."""

    def build(fn: Callable[..., Any]) -> GraphDefinition:
        return build_graph_from_fn(
            fn,
            name=name or fn.__name__,
            description=description or inspect.getdoc(fn),
            ins=ins,
            out=out,
            tags=tags,
            config=config,
        )

    if compose_fn is not None:
        return build(compose_fn)
    return build


__all__ = [
    "DependencyDefinition",
    "GraphDefinition",
    "GraphIn",
    "GraphOut",
    "MultiDependencyDefinition",
    "NoValue",
    "NodeInvocation",
    "graph",
]
