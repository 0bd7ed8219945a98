"""A job as specs: a flat list of op nodes (nested graphs flattened) and where each input comes from.

Frozen msgspec Structs: their JSON (through ``core.codec``) is their fields, defaults left out.
"""

from __future__ import annotations

from enum import Enum

import msgspec

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey


class _Spec(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    pass


#: The default of empty set fields: msgspec leaves a field out of the JSON when it *is* its default,
#: so an empty set is replaced by this one.
NO_NAMES: frozenset[str] = frozenset()


class InputKind(str, Enum):
    SINGLE = "single"  # one upstream output
    FAN_IN = "fan_in"  # a list of upstream outputs
    COLLECT = "collect"  # all mapped values of a dynamic output, as a list
    UNCONNECTED = "unconnected"  # from config, a default, an input value, or an asset by key


class OutputRef(_Spec, frozen=True):
    node: str  # handle of the producing node, e.g. "outer.inner"
    output: str


class NodeInputSpec(_Spec, frozen=True):
    name: str
    kind: InputKind
    sources: tuple[OutputRef, ...] = ()
    is_nothing: bool = False
    has_default: bool = False
    asset_key: AssetKey | None = None
    type_name: str = "Any"


class NodeOutputSpec(_Spec, frozen=True):
    name: str
    is_required: bool = True
    is_dynamic: bool = False
    is_nothing: bool = False
    io_manager_key: str = "io_manager"
    asset_key: AssetKey | None = None
    check_key: AssetCheckKey | None = None
    type_name: str = "Any"


class NodeSpec(_Spec, frozen=True):
    handle: str
    op_name: str
    inputs: tuple[NodeInputSpec, ...] = ()
    outputs: tuple[NodeOutputSpec, ...] = ()
    tags: dict[str, str] = {}
    pool: str | None = None
    mapped_over: OutputRef | None = None
    required_resource_keys: frozenset[str] = NO_NAMES
    # Nodes that must succeed before this one runs, without passing data (e.g. blocking asset checks).
    after: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.required_resource_keys and self.required_resource_keys is not NO_NAMES:
            msgspec.structs.force_setattr(self, "required_resource_keys", NO_NAMES)

    @property
    def upstream_nodes(self) -> set[str]:
        return {s.node for i in self.inputs for s in i.sources} | set(self.after)


class JobSpec(_Spec, frozen=True):
    name: str
    nodes: tuple[NodeSpec, ...]  # parents before children
    description: str | None = None
    tags: dict[str, str] = {}
    is_asset_job: bool = False

    def node(self, handle: str) -> NodeSpec:
        for n in self.nodes:
            if n.handle == handle:
                return n
        raise KeyError(handle)
