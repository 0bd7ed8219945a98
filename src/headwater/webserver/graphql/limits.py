"""Bounds on what one request may ask for: page sizes, query depth, and an estimate of its cost.

* Every list that can grow is paged: ``limit`` is clamped to ``MAX_PAGE`` (``page_size``).
* Depth: at most ``MAX_DEPTH`` levels of selections (Strawberry's ``QueryDepthLimiter``).
* Cost: ``estimate_cost`` walks the operation with the schema's types, counting one per field and
  multiplying what a list field selects by its size: its ``limit`` argument, or the ``limit`` of the
  connection around it (``runsOrError(limit: 50) { ... on Runs { results {...} } }``), or that
  connection's default page (``DEFAULT_PAGES``), or ``LIST_GUESS``. An operation over ``MAX_COST`` is
  refused before it runs: the 10,000-asset catalog with a dozen fields per asset costs about 10^5;
  runs x their events x their steps does not fit.
"""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

MAX_PAGE = 10_000
MAX_DEPTH = 15
MAX_COST = 1_000_000
MAX_ALIASES = 50
MAX_TOKENS = 20_000
#: Lists whose size nothing bounds in the query: what one of them is assumed to hold.
LIST_GUESS = 10
#: The page a field returns when the query gives no limit (it bounds the list inside it, or itself).
DEFAULT_PAGES = {
    "assetNodes": MAX_PAGE,
    "runsOrError": 100,
    "runs": 25,
    "logsForRun": 1000,
    "eventConnection": 1000,
    "assetsOrError": 1000,
    "partitionKeys": 1000,
    "assetMaterializations": 25,
    "assetObservations": 25,
    "executions": 25,
    "locationEntries": 5,
    "repositories": 1,
    "jobs": 50,
    "pipelines": 50,
    "schedules": 20,
    "sensors": 20,
}


class QueryTooCostlyError(Exception):
    pass


def page_size(limit: int | None, *, default: int) -> int:
    """``limit`` clamped to 1..MAX_PAGE (``default`` when not given)."""
    if limit is None:
        return default
    return max(1, min(int(limit), MAX_PAGE))


def estimate_cost(
    schema: GraphQLSchema, document: DocumentNode, variables: dict[str, object] | None = None
) -> int:
    """An upper estimate of the fields an operation resolves (see the module docstring)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    roots = {
        "query": schema.query_type,
        "mutation": schema.mutation_type,
        "subscription": schema.subscription_type,
    }
    total = 0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            root = roots.get(definition.operation.value)
            if root is not None:
                total += _cost(schema, definition.selection_set, root, fragments, variables or {}, None, 0)
    return total


def _limit_of(field: FieldNode, variables: dict[str, object]) -> int | None:
    for argument in field.arguments or ():
        if argument.name.value not in ("limit", "first"):
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return max(1, min(int(value.value), MAX_PAGE))
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            return max(1, min(given, MAX_PAGE)) if isinstance(given, int) else None
    return None


def _cost(
    schema: GraphQLSchema,
    selection_set: SelectionSetNode | None,
    parent: GraphQLNamedType,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, object],
    page: int | None,
    depth: int,
) -> int:
    """``page``: the limit (or default page) of the connection field around this selection."""
    if selection_set is None or depth > 3 * MAX_DEPTH:
        return 0
    cost = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            fields = getattr(parent, "fields", None) or {}
            definition = fields.get(selection.name.value)
            if definition is None or selection.selection_set is None:
                cost += 1
                continue
            name = selection.name.value
            limit = _limit_of(selection, variables)
            inner_type = (
                definition.type.of_type if isinstance(definition.type, GraphQLNonNull) else definition.type
            )
            if isinstance(inner_type, GraphQLList):
                multiplier = limit or page or DEFAULT_PAGES.get(name, LIST_GUESS)
                child_page = None
            else:
                multiplier = 1
                child_page = limit or DEFAULT_PAGES.get(name) or page
            named = get_named_type(definition.type)
            inner = _cost(schema, selection.selection_set, named, fragments, variables, child_page, depth + 1)
            cost += 1 + multiplier * inner
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            target = schema.get_type(condition.name.value) if condition is not None else parent
            cost += _cost(
                schema, selection.selection_set, target or parent, fragments, variables, page, depth + 1
            )
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                target = schema.get_type(fragment.type_condition.name.value) or parent
                cost += _cost(schema, fragment.selection_set, target, fragments, variables, page, depth + 1)
    return cost
