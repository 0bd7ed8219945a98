"""Evaluating automation conditions over an asset graph: one tick, pure.

Assets are evaluated in topological order (so ``will_be_requested`` sees what upstream assets
requested on this tick), then checks. A condition is evaluated over a *candidate* subset of the
asset's partition keys and returns the subset it is true for, as Dagster does: ``&`` narrows the
candidates operand by operand, ``|`` joins, ``~`` takes the rest. The stateful operators (``since``,
``newly_true``) evaluate their operands over every partition and keep their state in the cursor, so
a partition outside today's candidates keeps its history. Every node's result is recorded: the
tree of an entity is the answer to "why was (or was not) this requested".

The work per node is a set operation over a whole asset's keys (frozensets of strings), never a
Python loop per partition — except partition mappings other than identity, all and last, which ask
the mapping per candidate key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import msgspec

from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.selection.automation.conditions import LeafEvaluator
from headwater.selection.automation.dep_mapping import map_to_child
from headwater.selection.automation.entities import Entity, KeysCache, check_entity
from headwater.selection.automation.records import (
    AutomationCursor,
    ConditionResult,
    EntityCursor,
    EntityEvaluation,
)
from headwater.selection.automation.state import AutomationStateSource
from headwater.selection.automation.subsets import EMPTY, NO_KEYS, KeyRanges, Subset, to_ranges
from headwater.selection.partition_keys import DynamicPartitionsStore
from headwater.specs.asset_graph import AssetGraph
from headwater.specs.automation_condition import (
    AllDepsCondition,
    AndAutomationCondition,
    AnyDepsCondition,
    AutomationCondition,
    NewlyTrueCondition,
    NotAutomationCondition,
    OrAutomationCondition,
    SinceCondition,
)

_ENCODE = msgspec.json.Encoder()


@dataclass
class AutomationOutcome:
    """What one evaluation tick decided."""

    evaluation_id: int
    timestamp: float
    evaluations: list[EntityEvaluation]
    # Requested partitions per asset, in the partitions' order (None: an unpartitioned asset).
    requested_assets: dict[AssetKey, list[str] | None] = field(default_factory=dict)
    requested_checks: list[AssetCheckKey] = field(default_factory=list)
    cursor: AutomationCursor = field(default_factory=AutomationCursor)

    @property
    def total_requested(self) -> int:
        """Requested asset partitions (an unpartitioned asset counts one) plus requested checks."""
        assets = sum(1 if keys is None else len(keys) for keys in self.requested_assets.values())
        return assets + len(self.requested_checks)


class _Target:
    """The per-entity bookkeeping of one evaluation: its previous cursor and its new states."""

    __slots__ = ("entity", "initial", "previous", "states")

    def __init__(self, entity: Entity, previous: EntityCursor | None, fingerprint: str) -> None:
        self.entity = entity
        self.initial = previous is None or previous.fingerprint != fingerprint
        self.previous = None if self.initial else previous
        self.states: dict[str, KeyRanges] = {}

    def previous_state(self, node_id: str, subject: Entity) -> Subset:
        if self.previous is None:
            return EMPTY
        stored = self.previous.states.get(node_id)
        return stored.keys(subject.keys, subject.index) if stored is not None else EMPTY


class AutomationEvaluator:
    """One evaluation of every asset and check with a condition in ``graph`` (or of ``targets``)."""

    def __init__(
        self,
        graph: AssetGraph,
        states: AutomationStateSource,
        cursor: AutomationCursor,
        now: float,
        *,
        storage_id: int | None = None,
        dynamic: DynamicPartitionsStore | None = None,
        targets: Iterable[AssetKey | AssetCheckKey] | None = None,
    ) -> None:
        self.graph = graph
        self.cursor = cursor
        self.now = now
        self.storage_id = storage_id
        self.dynamic = dynamic
        self.targets = set(targets) if targets is not None else None
        self._entities: dict[AssetKey, Entity] = {}
        self._keys = KeysCache(now, dynamic)
        self._requested: dict[str, Subset] = {}
        self.leaves = LeafEvaluator(states, cursor, now, self._requested)

    # -- entities --------------------------------------------------------------------------------------
    def asset(self, key: AssetKey) -> Entity:
        entity = self._entities.get(key)
        if entity is None:
            entity = self._keys.entity(self.graph.get(key))
            self._entities[key] = entity
        return entity

    def _wanted(self, key: AssetKey | AssetCheckKey) -> bool:
        return self.targets is None or key in self.targets

    # -- the tick ----------------------------------------------------------------------------------------
    def evaluate(self) -> AutomationOutcome:
        evaluation_id = self.cursor.evaluation_id + 1
        outcome = AutomationOutcome(evaluation_id, self.now, [])
        new_entities: dict[str, EntityCursor] = {}
        entities: list[Entity] = []
        for key in self.graph.toposorted():
            node = self.graph.nodes[key]
            if node.automation_condition is not None and node.is_materializable and self._wanted(key):
                entities.append(self.asset(key))
        for check in self.graph.checks.values():
            if check.automation_condition is not None and self._wanted(check.key):
                entities.append(check_entity(check, self.graph))
        for entity in entities:
            condition = entity.condition
            assert condition is not None
            fingerprint = condition.fingerprint
            target = _Target(entity, self.cursor.entities.get(entity.id), fingerprint)
            true, result = self._eval(condition, entity, target, entity.all, "0")
            self._requested[entity.id] = true
            requested = to_ranges(true, entity.keys, entity.index)
            digest = hashlib.blake2b(_ENCODE.encode(result), digest_size=8).hexdigest()
            previous = target.previous
            new_entities[entity.id] = EntityCursor(fingerprint, requested, target.states, digest)
            outcome.evaluations.append(
                EntityEvaluation(
                    entity_key=entity.id,
                    is_check=entity.check_key is not None,
                    evaluation_id=evaluation_id,
                    timestamp=self.now,
                    partitioned=entity.partitioned,
                    num_candidates=len(entity.all),
                    requested=requested,
                    result=result,
                    changed=previous is None or previous.result_digest != digest,
                )
            )
            if not true:
                continue
            if entity.check_key is not None:
                outcome.requested_checks.append(entity.check_key)
            elif entity.partitioned:
                # plain strings: a multi-partition key is a str subclass that JSON does not take
                outcome.requested_assets[entity.asset_key] = [str(k) for k in entity.keys if k in true]
            else:
                outcome.requested_assets[entity.asset_key] = None
        outcome.cursor = AutomationCursor(
            evaluation_id=evaluation_id,
            timestamp=self.now,
            storage_id=self.storage_id if self.storage_id is not None else self.cursor.storage_id,
            entities=new_entities,
        )
        return outcome

    # -- one node ---------------------------------------------------------------------------------------
    def _eval(
        self,
        condition: AutomationCondition,
        subject: Entity,
        target: _Target,
        candidate: Subset,
        node_id: str,
        dep_key: str | None = None,
    ) -> tuple[Subset, ConditionResult]:
        children: list[ConditionResult] = []
        true: Subset
        if isinstance(condition, AndAutomationCondition):
            true = candidate
            for i, operand in enumerate(condition.operands):
                true, child = self._eval(operand, subject, target, true, f"{node_id}.{i}")
                children.append(child)
        elif isinstance(condition, OrAutomationCondition):
            found: set[str] = set()
            for i, operand in enumerate(condition.operands):
                part, child = self._eval(operand, subject, target, candidate, f"{node_id}.{i}")
                found.update(part)
                children.append(child)
            true = frozenset(found)
        elif isinstance(condition, NotAutomationCondition):
            inner, child = self._eval(condition.operand, subject, target, candidate, f"{node_id}.0")
            children.append(child)
            true = candidate - inner
        elif isinstance(condition, SinceCondition):
            trigger, t_result = self._eval(condition.trigger, subject, target, subject.all, f"{node_id}.0")
            reset, r_result = self._eval(condition.reset, subject, target, subject.all, f"{node_id}.1")
            children += [t_result, r_result]
            state = (target.previous_state(node_id, subject) | trigger) - reset
            target.states[node_id] = to_ranges(state, subject.keys, subject.index)
            true = state & candidate
        elif isinstance(condition, NewlyTrueCondition):
            now_true, child = self._eval(condition.operand, subject, target, subject.all, f"{node_id}.0")
            children.append(child)
            before = target.previous_state(node_id, subject)
            if now_true:
                target.states[node_id] = to_ranges(now_true, subject.keys, subject.index)
            true = (now_true - before) & candidate
        elif isinstance(condition, (AnyDepsCondition, AllDepsCondition)):
            true = self._deps(condition, subject, target, candidate, node_id, children)
        else:
            true = self.leaves.evaluate(condition, subject, target.initial, candidate)
        result = ConditionResult(
            node_id=node_id,
            name=condition.name,
            description=condition.description,
            true=to_ranges(true, subject.keys, subject.index),
            candidates=len(candidate),
            label=condition.label,
            dep_key=dep_key,
            children=tuple(children),
        )
        return true, result

    def _deps(
        self,
        condition: AnyDepsCondition | AllDepsCondition,
        subject: Entity,
        target: _Target,
        candidate: Subset,
        node_id: str,
        children: list[ConditionResult],
    ) -> Subset:
        is_all = isinstance(condition, AllDepsCondition)
        matched: Subset = candidate if is_all else EMPTY
        for dep_key in sorted(subject.deps, key=AssetKey.to_user_string):
            if not self.graph.has(dep_key):
                continue
            dep = self.asset(dep_key)
            name = dep_key.to_user_string()
            dep_true, child = self._eval(
                condition.operand, dep, target, dep.all, f"{node_id}[{name}]", dep_key=name
            )
            children.append(child)
            mapped = map_to_child(
                dep_true,
                dep.spec,
                dep.keys,
                subject.spec,
                matched if is_all else candidate,
                subject.mapping_for(dep_key),
                self.now,
                self.dynamic,
            )
            matched = mapped if is_all else matched | mapped
        return matched


def evaluate_conditions(
    graph: AssetGraph,
    states: AutomationStateSource,
    cursor: AutomationCursor | None,
    now: float,
    *,
    storage_id: int | None = None,
    dynamic: DynamicPartitionsStore | None = None,
    targets: Iterable[AssetKey | AssetCheckKey] | None = None,
) -> AutomationOutcome:
    """One evaluation of the conditions of ``graph`` at ``now`` after ``cursor`` (None: the first)."""
    return AutomationEvaluator(
        graph,
        states,
        cursor or AutomationCursor(),
        now,
        storage_id=storage_id,
        dynamic=dynamic,
        targets=targets,
    ).evaluate()


__all__ = ["NO_KEYS", "AutomationEvaluator", "AutomationOutcome", "evaluate_conditions"]
