"""A job as specs: a flat list of op nodes (nested graphs flattened) and where each input comes from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey


class InputKind(str, Enum):
    SINGLE = "single"  # one upstream output
    FAN_IN = "fan_in"  # a list of upstream outputs
    COLLECT = "collect"  # all mapped values of a dynamic output, as a list
    UNCONNECTED = "unconnected"  # from config, a default, an input value, or an asset by key


@dataclass(frozen=True, slots=True)
class OutputRef:
    node: str  # handle of the producing node, e.g. "outer.inner"
    output: str


@dataclass(frozen=True, slots=True)
class NodeInputSpec:
    name: str
    kind: InputKind
    sources: tuple[OutputRef, ...] = ()
    is_nothing: bool = False
    has_default: bool = False
    asset_key: AssetKey | None = None
    type_name: str = "Any"


@dataclass(frozen=True, slots=True)
class NodeOutputSpec:
    name: str
    is_required: bool = True
    is_dynamic: bool = False
    is_nothing: bool = False
    io_manager_key: str = "io_manager"
    asset_key: AssetKey | None = None
    check_key: AssetCheckKey | None = None
    type_name: str = "Any"


@dataclass(frozen=True, slots=True)
class NodeSpec:
    handle: str
    op_name: str
    inputs: tuple[NodeInputSpec, ...] = ()
    outputs: tuple[NodeOutputSpec, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)
    pool: str | None = None
    mapped_over: OutputRef | None = None
    required_resource_keys: frozenset[str] = frozenset()
    # Nodes that must succeed before this one runs, without passing data (e.g. blocking asset checks).
    after: tuple[str, ...] = ()

    @property
    def upstream_nodes(self) -> set[str]:
        return {s.node for i in self.inputs for s in i.sources} | set(self.after)


@dataclass(frozen=True, slots=True)
class JobSpec:
    name: str
    nodes: tuple[NodeSpec, ...]  # parents before children
    description: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    is_asset_job: bool = False

    def node(self, handle: str) -> NodeSpec:
        for n in self.nodes:
            if n.handle == handle:
                return n
        raise KeyError(handle)
