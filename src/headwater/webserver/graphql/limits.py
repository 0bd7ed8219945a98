"""Bounds on what one request may ask for: page sizes, query depth, and an estimate of its cost.

* Every list that can grow is paged: ``limit`` is clamped to ``MAX_PAGE`` (``page_size``).
* Depth: at most ``MAX_DEPTH`` levels of selections (Strawberry's ``QueryDepthLimiter``).
* Cost: ``estimate_cost`` walks the operation, counting one per field and multiplying what a list field
  selects by its ``limit`` argument (``MAX_PAGE`` for a paged list without one, ``LIST_GUESS`` for the
  other lists); an operation over ``MAX_COST`` is refused before it runs. The 10,000-asset catalog
  with a dozen fields per asset costs about 10^5; runs x their events x their steps does not fit.
"""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

MAX_PAGE = 10_000
MAX_DEPTH = 15
MAX_COST = 1_000_000
MAX_ALIASES = 50
MAX_TOKENS = 20_000
#: Fields that return lists without a limit argument: what one of them is assumed to hold.
LIST_GUESS = 10
#: Lists that stay short whatever the size of the project.
_SHORT_LISTS = {
    "locationEntries": 5,
    "repositories": 1,
    "jobs": 50,
    "pipelines": 50,
    "schedules": 20,
    "sensors": 20,
}
#: List fields whose size is the number of assets (unpaged: the catalog and the graph).
_WHOLE_LISTS = frozenset({"assetNodes", "assetsOrError", "nodes", "results", "events", "messages"})


class QueryTooCostlyError(Exception):
    pass


def page_size(limit: int | None, *, default: int) -> int:
    """``limit`` clamped to 1..MAX_PAGE (``default`` when not given)."""
    if limit is None:
        return default
    return max(1, min(int(limit), MAX_PAGE))


def estimate_cost(document: DocumentNode, variables: dict[str, object] | None = None) -> int:
    """An upper estimate of the fields an operation resolves (see the module docstring)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    total = 0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            total += _selection_cost(definition.selection_set, fragments, variables or {}, 0, False)
    return total


def _limit_of(field: FieldNode, variables: dict[str, object]) -> int | None:
    for argument in field.arguments or ():
        if argument.name.value not in ("limit", "first"):
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            return int(given) if isinstance(given, int) else None
    return None


def _selection_cost(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, object],
    depth: int,
    limited: bool,
) -> int:
    """``limited``: the enclosing field had a limit argument, which already counted the page that a
    ``results``/``events``/``nodes`` list directly inside it holds."""
    if selection_set is None or depth > 3 * MAX_DEPTH:
        return 0
    cost = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.selection_set is None:
                cost += 1
                continue
            limit = _limit_of(selection, variables)
            name = selection.name.value
            if limit is not None:
                multiplier = max(1, min(limit, MAX_PAGE))
            elif name in _SHORT_LISTS:
                multiplier = _SHORT_LISTS[name]
            elif name in _WHOLE_LISTS:
                multiplier = 1 if limited else MAX_PAGE
            else:
                multiplier = LIST_GUESS if name.endswith("s") else 1
            inner = _selection_cost(
                selection.selection_set, fragments, variables, depth + 1, limit is not None
            )
            cost += 1 + multiplier * inner
        elif isinstance(selection, InlineFragmentNode):
            cost += _selection_cost(selection.selection_set, fragments, variables, depth + 1, limited)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                cost += _selection_cost(fragment.selection_set, fragments, variables, depth + 1, limited)
    return cost
