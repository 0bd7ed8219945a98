"""Tracing the body of a @graph or @job: calls to nodes are recorded, not executed."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from headwater.errors import InvalidDefinitionError, InvariantViolationError

if TYPE_CHECKING:
    from headwater.definitions.node import NodeDefinition


class NodeOutputRef(msgspec.Struct, frozen=True):
    node: str
    output: str


class GraphInputRef(msgspec.Struct, frozen=True):
    name: str


class FanInRef(msgspec.Struct, frozen=True):
    sources: tuple[NodeOutputRef | GraphInputRef, ...]


class CollectRef(msgspec.Struct, frozen=True):
    source: NodeOutputRef


Source = NodeOutputRef | GraphInputRef | FanInRef | CollectRef


class Invocation(msgspec.Struct):
    """One node inside a graph: its definition, its name in the graph, and where its inputs come from."""

    name: str
    node_def: NodeDefinition
    inputs: dict[str, Source] = msgspec.field(default_factory=dict)
    tags: dict[str, str] = msgspec.field(default_factory=dict)
    hooks: set[Any] = msgspec.field(default_factory=set)
    retry_policy: Any = None
    mapped_over: NodeOutputRef | None = None


class OutputHandle:
    """What calling a node inside a graph body returns: a reference to one of its outputs."""

    __slots__ = ("frame", "is_dynamic", "mapped_over", "ref")

    def __init__(
        self,
        frame: CompositionFrame,
        ref: NodeOutputRef,
        *,
        is_dynamic: bool,
        mapped_over: NodeOutputRef | None,
    ) -> None:
        self.frame = frame
        self.ref = ref
        self.is_dynamic = is_dynamic
        self.mapped_over = mapped_over

    @property
    def node_name(self) -> str:
        return self.ref.node

    @property
    def output_name(self) -> str:
        return self.ref.output

    def map(self, fn: Callable[[OutputHandle], Any]) -> Any:
        if not self.is_dynamic:
            raise InvalidDefinitionError(
                f"Output '{self.ref.output}' of '{self.ref.node}' is not dynamic; only a DynamicOut (or the "
                "output "
                "of a mapped node) can be mapped."
            )
        source = self.mapped_over or self.ref
        mapped = OutputHandle(self.frame, self.ref, is_dynamic=True, mapped_over=source)
        return fn(mapped)

    def collect(self) -> CollectHandle:
        if not self.is_dynamic:
            raise InvalidDefinitionError(
                f"Output '{self.ref.output}' of '{self.ref.node}' is not dynamic, so it cannot be collected."
            )
        return CollectHandle(self.ref)

    def __iter__(self) -> Any:
        raise InvariantViolationError(
            f"Attempted to iterate over an InvokedNodeOutputHandle. This object represents the output "
            f'"{self.ref.output}" from the op/graph "{self.ref.node}". Consider defining multiple Outs if '
            "you seek "
            "to pass different parts of this output to different op/graph."
        )

    def __repr__(self) -> str:
        return f"OutputHandle({self.ref.node}.{self.ref.output})"


class CollectHandle:
    __slots__ = ("ref",)

    def __init__(self, ref: NodeOutputRef) -> None:
        self.ref = ref


class GraphInputHandle:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"GraphInputHandle({self.name})"


class MultiOutputHandles(tuple):  # type: ignore[type-arg]
    """Several outputs: unpack as a tuple or read by name (``res.a``)."""

    _names: tuple[str, ...]

    def __new__(cls, handles: Sequence[OutputHandle], names: Sequence[str]) -> MultiOutputHandles:
        obj = super().__new__(cls, handles)
        obj._names = tuple(names)
        return obj

    def __getattr__(self, name: str) -> OutputHandle:
        try:
            idx = self._names.index(name)
        except ValueError:
            raise AttributeError(f"No output named '{name}'; outputs: {', '.join(self._names)}") from None
        handle: OutputHandle = self[idx]
        return handle

    def _asdict(self) -> dict[str, OutputHandle]:
        return dict(zip(self._names, self, strict=True))


def _kind(node_def: NodeDefinition) -> str:
    return "graph" if hasattr(node_def, "invocations") else "op"


class CompositionFrame:
    """Collects the invocations made while a graph body runs."""

    def __init__(self, graph_name: str, decorator: str = "graph") -> None:
        self.graph_name = graph_name
        self.where = f"@{decorator} {graph_name}"
        self.invocations: dict[str, Invocation] = {}
        self._name_counts: dict[str, int] = {}

    def _unique_name(self, name: str, aliased: bool) -> str:
        if name not in self.invocations:
            self._name_counts.setdefault(name, 1)
            return name
        if aliased:
            raise InvalidDefinitionError(
                f"Graph '{self.graph_name}' invokes two nodes named '{name}'; give each a distinct alias."
            )
        count = self._name_counts.get(name, 1) + 1
        while f"{name}_{count}" in self.invocations:
            count += 1
        self._name_counts[name] = count
        return f"{name}_{count}"

    def invoke(
        self,
        node_def: NodeDefinition,
        name: str,
        args: Sequence[Any],
        kwargs: Mapping[str, Any],
        *,
        tags: Mapping[str, str] | None,
        hooks: set[Any] | None,
        retry_policy: Any,
    ) -> Any:
        node_name = self._unique_name(name, aliased=name != node_def.name)
        input_names = list(node_def.ins)
        positional = getattr(node_def, "positional_inputs", input_names)
        if len(args) > len(positional):
            raise InvalidDefinitionError(
                f"In {self.where}, received too many inputs for invocation {node_name}. Only "
                f"{len(positional)} "
                f"defined, received {len(args)}"
            )
        bound: dict[str, Any] = dict(zip(positional, args, strict=False))
        for key, value in kwargs.items():
            if key not in node_def.ins:
                raise InvalidDefinitionError(
                    f'Invalid dependencies: {_kind(node_def)} "{node_name}" does not have input "{key}". '
                    f"Available inputs: {input_names}"
                )
            if key in bound:
                raise InvalidDefinitionError(
                    f"In graph '{self.graph_name}', input '{key}' of '{node_name}' was passed twice."
                )
            bound[key] = value
        inv = Invocation(
            name=node_name,
            node_def=node_def,
            tags=dict(tags or {}),
            hooks=set(hooks or ()),
            retry_policy=retry_policy,
        )
        for input_name, value in bound.items():
            inv.inputs[input_name] = self._to_source(node_name, input_name, value, inv)
        self.invocations[node_name] = inv
        outs = list(node_def.outs)
        handles = [
            OutputHandle(
                self,
                NodeOutputRef(node_name, o),
                is_dynamic=bool(node_def.outs[o].is_dynamic) or inv.mapped_over is not None,
                mapped_over=inv.mapped_over,
            )
            for o in outs
        ]
        if not handles:
            return None
        if len(handles) == 1:
            return handles[0]
        return MultiOutputHandles(handles, outs)

    def _to_source(self, node_name: str, input_name: str, value: Any, inv: Invocation) -> Source:
        if isinstance(value, OutputHandle):
            if value.is_dynamic:
                if value.mapped_over is None:
                    raise InvalidDefinitionError(
                        f"In {self.where}, received the dynamic output {value.ref.output} from op "
                        f"'{value.ref.node}' directly. Dynamic output must be unpacked by invoking map or "
                        "collect."
                    )
                if inv.mapped_over is not None and inv.mapped_over != value.mapped_over:
                    raise InvalidDefinitionError(
                        f"'{node_name}' is mapped over two different dynamic outputs; Headwater, like "
                        "Dagster, maps "
                        "a node over one dynamic output only."
                    )
                inv.mapped_over = value.mapped_over
            return value.ref
        if isinstance(value, CollectHandle):
            return CollectRef(value.ref)
        if isinstance(value, GraphInputHandle):
            return GraphInputRef(value.name)
        if (
            isinstance(value, (list, tuple))
            and value
            and all(isinstance(v, (OutputHandle, GraphInputHandle)) for v in value)
        ):
            return FanInRef(
                tuple(v.ref if isinstance(v, OutputHandle) else GraphInputRef(v.name) for v in value)
            )
        raise InvalidDefinitionError(
            f'In {self.where}, received invalid type {type(value)} for input "{input_name}" in '
            f'{_kind(inv.node_def)} invocation "{node_name}". Must pass the output from previous node '
            "invocations "
            "or inputs to the composition function as inputs when invoking nodes during composition."
        )


_frame: contextvars.ContextVar[CompositionFrame | None] = contextvars.ContextVar(
    "headwater_composition", default=None
)


def current_frame() -> CompositionFrame | None:
    return _frame.get()


def trace_body(
    graph_name: str, fn: Callable[..., Any], args: Sequence[Any], decorator: str = "graph"
) -> tuple[CompositionFrame, Any]:
    frame = CompositionFrame(graph_name, decorator)
    token = _frame.set(frame)
    try:
        result = fn(*args)
    finally:
        _frame.reset(token)
    return frame, result
