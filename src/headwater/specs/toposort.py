"""Iterative topological sort with cycle reporting: no recursion that depends on graph depth."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from headwater.errors import CircularDependencyError

T = TypeVar("T", bound=Hashable)


def toposort(
    nodes: Iterable[T], parents_of: Callable[[T], Iterable[T]], describe: Callable[[T], str] = str
) -> list[T]:
    """Return ``nodes`` ordered parents-first, stable in input order.

    Raises CircularDependencyError naming the nodes of a cycle when there is one.
    """
    order_index: dict[T, int] = {}
    for i, node in enumerate(nodes):
        order_index[node] = i
    indegree: dict[T, int] = dict.fromkeys(order_index, 0)
    children: dict[T, list[T]] = {n: [] for n in order_index}
    for node in order_index:
        for parent in parents_of(node):
            if parent in order_index:
                indegree[node] += 1
                children[parent].append(node)
    ready = deque(n for n in order_index if indegree[n] == 0)
    out: list[T] = []
    while ready:
        node = ready.popleft()
        out.append(node)
        for child in children[node]:
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    if len(out) != len(order_index):
        remaining = {n for n, d in indegree.items() if d > 0}
        cycle = _find_cycle(remaining, parents_of)
        path = " -> ".join(describe(n) for n in cycle)
        raise CircularDependencyError(
            f"Circular dependency detected: {path}. Remove one of these dependencies to break the cycle."
        )
    return out


def _find_cycle(remaining: set[T], parents_of: Callable[[T], Iterable[T]]) -> list[T]:
    start = next(iter(remaining))
    seen: dict[T, int] = {}
    path: list[T] = []
    node = start
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = next(p for p in parents_of(node) if p in remaining)
    cycle = [*path[seen[node] :], node]
    cycle.reverse()
    return cycle
