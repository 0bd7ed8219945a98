"""``AssetSelection``: a query over the assets and asset checks of a code location (Dagster's API).

Build selections with the constructors (``AssetSelection.groups("marketing")``), the methods
(``.upstream()``, ``.sinks()``) and the operators ``|``, ``&`` and ``-``, or parse Dagster's
selection syntax with :meth:`AssetSelection.from_string`. A selection is an immutable, hashable
tree (see ``headwater.selection.nodes``); :meth:`AssetSelection.resolve` turns it into asset keys and
:meth:`AssetSelection.resolve_checks` into check keys, against a spec-level ``AssetGraph``.
Selecting assets also selects the checks that target them, unless ``.without_checks()``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Union

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.selection.arguments import (
    CoercibleToAssets,
    CoercibleToChecks,
    as_depth,
    as_flag,
    as_graph,
    as_prefix,
    as_text,
    coerce_asset_keys,
    coerce_check_keys,
    describe,
)
from headwater.selection.context import ResolveContext
from headwater.selection.filters import GroupsNode, KindNode, OwnerNode, TagNode
from headwater.selection.lexer import InvalidAssetSelectionError
from headwater.selection.nodes import (
    AllChecksNode,
    AllNode,
    CheckKeysNode,
    ChecksForAssetsNode,
    KeyPrefixesNode,
    KeysNode,
    KeySubstringNode,
    SelectionNode,
    SubtractNode,
    and_nodes,
    or_nodes,
)
from headwater.selection.syntax import parse_selection
from headwater.selection.traversals import (
    DownstreamNode,
    MaterializableNode,
    ParentSourcesNode,
    RequiredNeighborsNode,
    RootsNode,
    SinksNode,
    UpstreamNode,
)
from headwater.specs.asset_graph import AssetGraph

# A string in the selection syntax, keys or asset definitions, or a selection.
CoercibleToAssetSelection = Union[str, Sequence[str], Sequence[CoercibleToAssets], "AssetSelection"]

__all__ = ["AssetSelection", "CoercibleToAssetSelection", "InvalidAssetSelectionError"]


class AssetSelection:
    """A query over a set of assets and asset checks, resolved later against an asset graph.

    Examples::

        AssetSelection.groups("marketing") | AssetSelection.assets("promotion")
        AssetSelection.groups("marketing") & AssetSelection.assets("leads").downstream()
        AssetSelection.all() - AssetSelection.groups("marketing")
        AssetSelection.from_string('+key:"warehouse/orders" and not tag:pii')
    """

    __slots__ = ("_node",)

    _node: SelectionNode

    def __init__(self, node: SelectionNode) -> None:
        object.__setattr__(self, "_node", node)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("AssetSelection is immutable; its methods and operators return new selections")

    @property
    def node(self) -> SelectionNode:
        """The selection's tree (``headwater.selection.nodes``), for code that inspects or serializes it."""
        return self._node

    # -- constructors ------------------------------------------------------------------------------

    @staticmethod
    def all(include_sources: bool = False) -> AssetSelection:
        """All materializable assets (and external ones if ``include_sources``) and their checks."""
        return AssetSelection(AllNode(as_flag(include_sources, "include_sources")))

    @staticmethod
    def all_asset_checks() -> AssetSelection:
        """Every asset check, and no assets."""
        return AssetSelection(AllChecksNode())

    @staticmethod
    def assets(*assets_defs: CoercibleToAssets) -> AssetSelection:
        """The given assets and their checks: AssetKeys, strings (``"a/b"`` is the key ``["a", "b"]``),
        lists of key parts, or definitions (anything with ``.keys``, like an AssetsDefinition, or a
        ``.key``, like an AssetSpec). Unknown keys raise ``InvalidSubsetError`` when resolved."""
        return AssetSelection(KeysNode(coerce_asset_keys(assets_defs, "AssetSelection.assets")))

    @staticmethod
    def keys(*asset_keys: CoercibleToAssets) -> AssetSelection:
        """Deprecated in Dagster: use :meth:`assets`, which takes the same arguments."""
        warnings.warn("AssetSelection.keys is deprecated; use AssetSelection.assets", DeprecationWarning, 2)
        return AssetSelection(KeysNode(coerce_asset_keys(asset_keys, "AssetSelection.keys")))

    @staticmethod
    def key_prefixes(*key_prefixes: str | Sequence[str], include_sources: bool = False) -> AssetSelection:
        """Assets whose key starts with any prefix: ``"a"`` (one part, not split) or ``["a", "b"]``."""
        prefixes = tuple(as_prefix(p) for p in key_prefixes)
        return AssetSelection(KeyPrefixesNode(prefixes, as_flag(include_sources, "include_sources")))

    @staticmethod
    def key_substring(key_substring: str, include_sources: bool = False) -> AssetSelection:
        """Assets whose ``a/b`` key string contains ``key_substring``."""
        substring = as_text(key_substring, "AssetSelection.key_substring")
        return AssetSelection(KeySubstringNode(substring, as_flag(include_sources, "include_sources")))

    @staticmethod
    def groups(*group_strs: str, include_sources: bool = False) -> AssetSelection:
        """Assets in any of the groups, and their checks."""
        groups = tuple(as_text(g, "AssetSelection.groups") for g in group_strs)
        return AssetSelection(GroupsNode(groups, as_flag(include_sources, "include_sources")))

    @staticmethod
    def tag(key: str, value: str, include_sources: bool = False) -> AssetSelection:
        """Assets whose tag ``key`` has exactly ``value`` (``""`` matches only an empty value)."""
        tag_key, tag_value = as_text(key, "AssetSelection.tag"), as_text(value, "AssetSelection.tag")
        return AssetSelection(TagNode(tag_key, tag_value, as_flag(include_sources, "include_sources")))

    @staticmethod
    def tag_string(string: str, include_sources: bool = False) -> AssetSelection:
        """``"key=value"`` or ``"key"`` (the tag with an empty value)."""
        parts = as_text(string, "AssetSelection.tag_string").split("=")
        if len(parts) > 2:
            raise InvalidDefinitionError(
                f"Invalid tag selection string {string!r}: use 'key' or 'key=value'."
            )
        return AssetSelection.tag(parts[0], parts[1] if len(parts) == 2 else "", include_sources)

    @staticmethod
    def owner(owner: str | None) -> AssetSelection:
        """Assets owned by ``owner`` (a user email or ``team:name``), external assets included."""
        return AssetSelection(OwnerNode(None if owner is None else as_text(owner, "AssetSelection.owner")))

    @staticmethod
    def kind(kind: str | None, include_sources: bool = False) -> AssetSelection:
        """Assets of ``kind``; ``None`` selects assets that have no kind."""
        value = None if kind is None else as_text(kind, "AssetSelection.kind")
        return AssetSelection(KindNode(value, as_flag(include_sources, "include_sources")))

    @staticmethod
    def checks_for_assets(*assets_defs: CoercibleToAssets) -> AssetSelection:
        """The checks that target the given assets (same arguments as :meth:`assets`), not the assets."""
        return AssetSelection(
            ChecksForAssetsNode(coerce_asset_keys(assets_defs, "AssetSelection.checks_for_assets"))
        )

    @staticmethod
    def checks(*assets_defs_or_check_keys: CoercibleToChecks) -> AssetSelection:
        """The given checks: AssetCheckKeys, or definitions with ``.check_keys`` (or ``.check_key``)."""
        return AssetSelection(CheckKeysNode(coerce_check_keys(assets_defs_or_check_keys)))

    @staticmethod
    def from_string(string: str, include_sources: bool = False) -> AssetSelection:
        """Parse Dagster's selection syntax, e.g. ``'+key:"a/b" or group:sales and not tag:pii'``.

        Raises ``InvalidAssetSelectionError`` showing the position of the problem and what was expected.
        """
        text = as_text(string, "AssetSelection.from_string")
        return AssetSelection(parse_selection(text, as_flag(include_sources, "include_sources")))

    @staticmethod
    def from_coercible(selection: CoercibleToAssetSelection) -> AssetSelection:
        """A selection from a string, a sequence of strings, keys or definitions, or a selection."""
        if isinstance(selection, AssetSelection):
            return selection
        if isinstance(selection, str):
            return AssetSelection.from_string(selection)
        if isinstance(selection, Sequence) and selection:
            strings = [item for item in selection if isinstance(item, str)]
            if len(strings) == len(selection):
                parsed = [AssetSelection.from_string(item)._node for item in strings]
                return AssetSelection(parsed[0] if len(parsed) == 1 else or_nodes(*parsed))
            return AssetSelection.assets(*selection)
        raise InvalidDefinitionError(
            "A selection must be a selection string, a non-empty sequence of strings, AssetKeys or asset "
            f"definitions, or an AssetSelection; got {describe(selection)}."
        )

    # -- derived selections ------------------------------------------------------------------------

    def upstream(self, depth: int | None = None, include_self: bool = True) -> AssetSelection:
        """Add the materializable ancestors (up to ``depth`` levels); ``include_self=False`` drops
        this selection's own assets."""
        return AssetSelection(
            UpstreamNode(self._node, as_depth(depth), as_flag(include_self, "include_self"))
        )

    def downstream(self, depth: int | None = None, include_self: bool = True) -> AssetSelection:
        """Add the descendants (up to ``depth`` levels); ``include_self=False`` drops this selection's own."""
        return AssetSelection(
            DownstreamNode(self._node, as_depth(depth), as_flag(include_self, "include_self"))
        )

    def sinks(self) -> AssetSelection:
        """The assets of this selection with no descendant inside it."""
        return AssetSelection(SinksNode(self._node))

    def roots(self) -> AssetSelection:
        """The assets of this selection with no ancestor inside it."""
        return AssetSelection(RootsNode(self._node))

    def sources(self) -> AssetSelection:
        """Deprecated in Dagster: the same as :meth:`roots`."""
        warnings.warn("AssetSelection.sources is deprecated; use AssetSelection.roots", DeprecationWarning, 2)
        return self.roots()

    def required_multi_asset_neighbors(self) -> AssetSelection:
        """Add the assets computed by the same multi-asset as a selected one (assumed not subsettable)."""
        return AssetSelection(RequiredNeighborsNode(self._node))

    def materializable(self) -> AssetSelection:
        """Only the materializable assets of this selection."""
        return AssetSelection(MaterializableNode(self._node))

    def upstream_source_assets(self) -> AssetSelection:
        """The external (non-materializable) assets among this selection and all its ancestors."""
        return AssetSelection(ParentSourcesNode(self._node))

    def without_checks(self) -> AssetSelection:
        """The same assets, with no asset checks."""
        return self - AssetSelection.all_asset_checks()

    def __or__(self, other: object) -> AssetSelection:
        if not isinstance(other, AssetSelection):
            return NotImplemented
        return AssetSelection(or_nodes(self._node, other._node))

    def __and__(self, other: object) -> AssetSelection:
        if not isinstance(other, AssetSelection):
            return NotImplemented
        return AssetSelection(and_nodes(self._node, other._node))

    def __sub__(self, other: object) -> AssetSelection:
        if not isinstance(other, AssetSelection):
            return NotImplemented
        return AssetSelection(SubtractNode(self._node, other._node))

    # -- resolution --------------------------------------------------------------------------------

    def resolve(self, graph: AssetGraph, allow_missing: bool = False) -> set[AssetKey]:
        """The asset keys this selects in ``graph``.

        Raises ``InvalidSubsetError`` for keys named in :meth:`assets` that ``graph`` lacks, unless
        ``allow_missing`` (then they are left out).
        """
        ctx = ResolveContext(as_graph(graph), allow_missing=allow_missing)
        return set(ctx.keys_of(self._node))

    def resolve_checks(self, graph: AssetGraph, allow_missing: bool = False) -> set[AssetCheckKey]:
        """The asset check keys this selects in ``graph``."""
        ctx = ResolveContext(as_graph(graph), allow_missing=allow_missing)
        return set(self._node.compute_checks(ctx))

    def resolve_assets_and_checks(
        self, graph: AssetGraph, allow_missing: bool = False
    ) -> tuple[set[AssetKey], set[AssetCheckKey]]:
        """Both :meth:`resolve` and :meth:`resolve_checks`, sharing one pass over ``graph``."""
        ctx = ResolveContext(as_graph(graph), allow_missing=allow_missing)
        return set(ctx.keys_of(self._node)), set(self._node.compute_checks(ctx))

    # -- text, equality ----------------------------------------------------------------------------

    def to_selection_str(self) -> str:
        """This selection in the selection syntax; raises if the syntax cannot express it."""
        text = self._node.syntax()
        if text is None:
            raise InvalidInvocationError(
                f"{self!r} has no selection-string form (key prefixes, checks and multi-asset neighbors "
                "have none); use it as a Python object."
            )
        return text

    def __str__(self) -> str:
        """The selection string (as Dagster prints it) when there is one, else the Python expression."""
        text = self._node.syntax()
        return text if text is not None else self._node.python()

    def __repr__(self) -> str:
        return self._node.python()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssetSelection) and self._node == other._node

    def __hash__(self) -> int:
        return hash(self._node)

    def __reduce__(self) -> tuple[type[AssetSelection], tuple[SelectionNode]]:
        return (AssetSelection, (self._node,))
