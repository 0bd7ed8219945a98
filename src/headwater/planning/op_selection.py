"""Dagster's op selection syntax over a job's nodes: ``name``, ``*name``, ``+name``, ``name+``, ``name*``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

from headwater.errors import InvalidSubsetError
from headwater.specs.job import JobSpec

_CLAUSE = re.compile(r"^(?P<up>\*|\+*)(?P<name>[A-Za-z0-9_.\-]+)(?P<down>\*|\+*)$")


def _top(handle: str) -> str:
    return handle.split(".", 1)[0]


def resolve_op_selection(job: JobSpec, selection: Sequence[str]) -> set[str]:
    """Leaf step handles selected by ``selection`` (clauses are ORed; ``a,b`` inside one clause too)."""
    tops: dict[str, list[str]] = {}
    parents: dict[str, set[str]] = {}
    for node in job.nodes:
        top = _top(node.handle)
        tops.setdefault(top, []).append(node.handle)
        parents.setdefault(top, set())
        for up in node.upstream_nodes:
            if _top(up) != top:
                parents[top].add(_top(up))
    children: dict[str, set[str]] = {t: set() for t in tops}
    for top, ups in parents.items():
        for up in ups:
            children[up].add(top)
    selected: set[str] = set()
    for clause in _clauses(selection):
        match = _CLAUSE.match(clause)
        if match is None:
            raise InvalidSubsetError(f"Invalid op selection clause {clause!r}: use name, *name, +name, name+ or name*.")
        name = match["name"]
        if name not in tops:
            hint = difflib.get_close_matches(name, list(tops), n=1)
            raise InvalidSubsetError(
                f"No qualified ops to execute found for op_selection={list(selection)}: op {name!r} is not in job "
                f"'{job.name}'." + (f" Did you mean {hint[0]!r}?" if hint else "")
            )
        chosen = {name}
        chosen |= _walk(name, parents, _depth(match["up"]))
        chosen |= _walk(name, children, _depth(match["down"]))
        selected |= chosen
    return {h for top in selected for h in tops[top]}


def _clauses(selection: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in selection:
        out.extend(part.strip() for part in item.split(",") if part.strip())
    return out


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
