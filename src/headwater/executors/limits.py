"""Concurrency limits inside one run: op/asset pools, Dagster's tag limits, step priority.

A step's pool is its op's ``pool=`` (or the legacy ``dagster/concurrency_key`` tag). ``pool_limits``
caps how many steps of each pool run at once in this run; instance-wide pool limits
(``headwater instance concurrency set``) are claimed per step through ``execution.pool_slots``.
``tag_concurrency_limits`` are Dagster's executor config: ``{"key": k, "limit": n}`` caps every step
tagged ``k``; with ``"value": v`` only those tagged ``k=v``; with
``"value": {"applyLimitPerUniqueValue": True}`` each distinct value of ``k`` separately.
Ready steps start highest ``dagster/priority`` tag first, then in plan order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from headwater.errors import ConfigErrorEntry, InvalidConfigError
from headwater.execution.pool_slots import step_pool
from headwater.planning.active_execution import StepInstance
from headwater.specs.job import NodeSpec

PRIORITY_TAG = "dagster/priority"


@dataclass(frozen=True, slots=True)
class TagLimit:
    key: str
    value: str | None
    per_unique_value: bool
    limit: int

    @staticmethod
    def parse(raw: Any, index: int) -> TagLimit:
        where = ("execution", "config", "tag_concurrency_limits", str(index))
        if not isinstance(raw, Mapping) or "key" not in raw or "limit" not in raw:
            raise InvalidConfigError(
                "Error in multiprocess executor config",
                [
                    ConfigErrorEntry(
                        f"A tag concurrency limit is a dict with 'key' and 'limit' (and optionally "
                        f"'value'); got {raw!r}.",
                        where,
                    )
                ],
            )
        unknown = sorted(set(raw) - {"key", "value", "limit"})
        if unknown:
            raise InvalidConfigError(
                "Error in multiprocess executor config",
                [
                    ConfigErrorEntry(
                        f"Unexpected entries {unknown} in a tag concurrency limit; expected key, value, "
                        "limit.",
                        where,
                    )
                ],
            )
        value = raw.get("value")
        per_unique = False
        if isinstance(value, Mapping):
            per_unique = bool(value.get("applyLimitPerUniqueValue", False))
            value = None
        elif value is not None:
            value = str(value)
        return TagLimit(str(raw["key"]), value, per_unique, _check_limit(raw["limit"], where))


def _check_limit(limit: Any, where: Sequence[str]) -> int:
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise InvalidConfigError(
            "Error in multiprocess executor config",
            [
                ConfigErrorEntry(
                    f"A concurrency limit must be an integer of at least 1; got {limit!r}.", where
                )
            ],
        )
    return limit


def parse_pool_limits(raw: Mapping[str, Any] | None) -> dict[str, int]:
    return {str(k): _check_limit(v, ("execution", "config", "pools", str(k))) for k, v in (raw or {}).items()}


def pool_of(node: NodeSpec) -> str | None:
    return step_pool(node)


def _priority(inst: StepInstance) -> int:
    raw = inst.step.node.tags.get(PRIORITY_TAG)
    try:
        return int(raw) if raw is not None else 0
    except ValueError:
        return 0


class ConcurrencyLimiter:
    """Counts running steps per pool and per tag limit; says whether a step may start now."""

    def __init__(self, pool_limits: Mapping[str, int], tag_limits: Sequence[TagLimit]) -> None:
        self._pool_limits = dict(pool_limits)
        self._tag_limits = tuple(tag_limits)
        self._running: dict[tuple[int, str | None], int] = {}  # (-1, pool) or (tag limit index, value)
        self.active = bool(self._pool_limits or self._tag_limits)

    def _slots(self, node: NodeSpec) -> list[tuple[tuple[int, str | None], int]]:
        slots: list[tuple[tuple[int, str | None], int]] = []
        pool = pool_of(node)
        if pool is not None and pool in self._pool_limits:
            slots.append(((-1, pool), self._pool_limits[pool]))
        for i, tl in enumerate(self._tag_limits):
            tag = node.tags.get(tl.key)
            if tag is None or (tl.value is not None and tag != tl.value):
                continue
            slots.append(((i, tag if tl.per_unique_value else None), tl.limit))
        return slots

    def can_start(self, node: NodeSpec) -> bool:
        if not self.active:
            return True
        return all(self._running.get(slot, 0) < limit for slot, limit in self._slots(node))

    def start(self, node: NodeSpec) -> None:
        if self.active:
            for slot, _limit in self._slots(node):
                self._running[slot] = self._running.get(slot, 0) + 1

    def finish(self, node: NodeSpec) -> None:
        if self.active:
            for slot, _limit in self._slots(node):
                self._running[slot] -= 1


def by_priority(pending: Iterable[StepInstance]) -> list[StepInstance]:
    """Highest ``dagster/priority`` first; plan order among equals (a stable sort)."""
    items = list(pending)
    if any(PRIORITY_TAG in inst.step.node.tags for inst in items):
        items.sort(key=_priority, reverse=True)
    return items
