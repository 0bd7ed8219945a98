"""Dagster's op selection syntax over a job's nodes: ``name``, ``*name``, ``+name``, ``name+``, ``name*``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from headwater.errors import InvalidSubsetError
from headwater.specs.job import JobSpec

_CLAUSE = re.compile(r"^(?P<up>\*|\+*)(?P<name>[A-Za-z0-9_.\-]+)(?P<down>\*|\+*)$")


def _top(handle: str) -> str:
    return handle.split(".", 1)[0]


def resolve_op_selection(job: JobSpec, selection: Sequence[str]) -> set[str]:
    """Leaf step handles selected by ``selection`` (clauses are ORed).

    A clause names a top-level node (an op, or a graph: all its ops), or a node inside a graph by its
    dotted handle (``"g.inner_op"``); ``+``/``*`` walk the dependencies among nodes of that level.
    """
    tops: dict[str, list[str]] = {}
    parents: dict[str, set[str]] = {}
    leaf_parents: dict[str, set[str]] = {}
    for node in job.nodes:
        top = _top(node.handle)
        tops.setdefault(top, []).append(node.handle)
        parents.setdefault(top, set())
        leaf_parents[node.handle] = set(node.upstream_nodes)
        for up in node.upstream_nodes:
            if _top(up) != top:
                parents[top].add(_top(up))
    children = _reverse(parents)
    leaf_children: dict[str, set[str]] | None = None
    selected: set[str] = set()
    for clause in selection:
        match = _CLAUSE.match(clause.strip())
        if match is None:
            raise InvalidSubsetError(f"No qualified ops to execute found for op_selection={list(selection)}")
        name = match["name"]
        if name in tops:
            chosen = (
                {name}
                | _walk(name, parents, _depth(match["up"]))
                | _walk(name, children, _depth(match["down"]))
            )
            selected.update(h for top in chosen for h in tops[top])
            continue
        leaves = [h for h in leaf_parents if h == name or h.startswith(name + ".")]
        if not leaves:
            raise InvalidSubsetError(f"No qualified ops to execute found for op_selection={list(selection)}")
        if leaf_children is None:
            leaf_children = _reverse(leaf_parents)
        for leaf in leaves:
            selected.add(leaf)
            selected |= _walk(leaf, leaf_parents, _depth(match["up"]))
            selected |= _walk(leaf, leaf_children, _depth(match["down"]))
    return selected


def _reverse(parents: dict[str, set[str]]) -> dict[str, set[str]]:
    children: dict[str, set[str]] = {n: set() for n in parents}
    for node, ups in parents.items():
        for up in ups:
            children.setdefault(up, set()).add(node)
    return children


def _depth(marks: str) -> int | None:
    if marks == "*":
        return None
    return len(marks)


def _walk(start: str, edges: dict[str, set[str]], depth: int | None) -> set[str]:
    if depth == 0:
        return set()
    seen: set[str] = set()
    frontier = [start]
    level = 0
    while frontier and (depth is None or level < depth):
        nxt: list[str] = []
        for n in frontier:
            for m in edges.get(n, ()):
                if m not in seen:
                    seen.add(m)
                    nxt.append(m)
        frontier = nxt
        level += 1
    return seen
