"""ActiveExecution: which steps of a plan are ready, as steps succeed, fail or skip.

Incremental: each finished step touches only its dependents, so a 5,000-step chain costs O(steps).
Dynamic outputs expand mapped steps (``step[mapping_key]``) when their source step finishes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from enum import StrEnum

import msgspec

from headwater.planning.plan import ExecutionPlan, ExecutionStep
from headwater.specs.job import InputKind, OutputRef


class StepOutcome(StrEnum):
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    SKIPPED = "SKIPPED"
    ABANDONED = "ABANDONED"  # not run because something upstream failed


class StepInstance(msgspec.Struct, frozen=True):
    key: str  # "handle" or "handle[mapping_key]"
    step: ExecutionStep
    mapping_key: str | None = None

    def source_key(self, ref: OutputRef, mapped_handles: frozenset[str]) -> str:
        if ref.node in mapped_handles and self.mapping_key is not None:
            return f"{ref.node}[{self.mapping_key}]"
        return ref.node


def _group(handle: str) -> str:
    return f"{handle}[*]"


class ActiveExecution:
    def __init__(self, plan: ExecutionPlan) -> None:
        self.plan = plan
        self._steps = {s.key: s for s in plan.steps}
        self.mapped_handles = frozenset(s.key for s in plan.steps if s.mapped_over is not None)
        self._mapped_by_source: dict[OutputRef, list[ExecutionStep]] = {}
        for s in plan.steps:
            if s.mapped_over is not None:
                self._mapped_by_source.setdefault(s.mapped_over, []).append(s)
        self._instances: dict[str, StepInstance] = {}
        self._remaining: dict[str, int] = {}
        self._children: dict[str, list[str]] = {}
        self._outcome: dict[str, StepOutcome] = {}
        self._dep_failed: set[str] = set()
        self.produced: dict[str, set[str]] = {}
        self.dynamic_keys: dict[tuple[str, str], list[str]] = {}
        self._group_pending: dict[str, int] = {}
        self._group_members: dict[str, list[str]] = {}
        self._ready: deque[StepInstance] = deque()
        self._in_flight: set[str] = set()
        self.decisions: deque[tuple[StepInstance, StepOutcome]] = deque()
        for s in plan.steps:
            if s.mapped_over is None:
                deps = [*s.upstream, *(_group(c) for c in s.collects)]
                self._add_instance(StepInstance(s.key, s), deps)

    # --- building -------------------------------------------------------------------------
    def _add_instance(self, inst: StepInstance, deps: Iterable[str]) -> None:
        self._instances[inst.key] = inst
        count = 0
        for dep in deps:
            outcome = self._outcome.get(dep)
            if outcome is None:
                self._children.setdefault(dep, []).append(inst.key)
                count += 1
            elif outcome in (StepOutcome.FAILURE, StepOutcome.ABANDONED):
                self._dep_failed.add(inst.key)
        self._remaining[inst.key] = count
        if count == 0:
            self._decide(inst)

    def _decide(self, inst: StepInstance) -> None:
        if inst.key in self._dep_failed:
            self._finish(inst.key, StepOutcome.ABANDONED)
            self.decisions.append((inst, StepOutcome.ABANDONED))
            return
        if not self._inputs_available(inst):
            self._finish(inst.key, StepOutcome.SKIPPED)
            self.decisions.append((inst, StepOutcome.SKIPPED))
            return
        self._ready.append(inst)

    def _inputs_available(self, inst: StepInstance) -> bool:
        for inp in inst.step.inputs:
            if inp.kind is InputKind.SINGLE:
                ref = inp.sources[0]
                if ref.output not in self.produced.get(inst.source_key(ref, self.mapped_handles), ()):
                    return False
            elif inp.kind is InputKind.FAN_IN and not any(
                r.output in self.produced.get(inst.source_key(r, self.mapped_handles), ())
                for r in inp.sources
            ):
                return False
        return all(self._outcome.get(before) is not StepOutcome.SKIPPED for before in inst.step.node.after)

    # --- progress -------------------------------------------------------------------------
    def pop_ready(self, limit: int | None = None) -> list[StepInstance]:
        out: list[StepInstance] = []
        while self._ready and (limit is None or len(out) < limit):
            inst = self._ready.popleft()
            self._in_flight.add(inst.key)
            out.append(inst)
        return out

    def mark_success(
        self, key: str, outputs: Iterable[str], dynamic: Mapping[str, list[str]] | None = None
    ) -> None:
        self._in_flight.discard(key)
        self.produced[key] = set(outputs)
        inst = self._instances[key]
        for out_name, mapping_keys in (dynamic or {}).items():
            self.dynamic_keys[(key, out_name)] = list(mapping_keys)
            self.produced[key].add(out_name)
            self._expand(inst, out_name, mapping_keys)
        self._finish(key, StepOutcome.SUCCESS)

    def mark_failed(self, key: str) -> None:
        self._in_flight.discard(key)
        self._finish(key, StepOutcome.FAILURE)

    def mark_skipped(self, key: str) -> None:
        self._in_flight.discard(key)
        self._finish(key, StepOutcome.SKIPPED)

    def _expand(self, source: StepInstance, out_name: str, mapping_keys: list[str]) -> None:
        ref = OutputRef(source.step.key, out_name)
        for mapped in self._mapped_by_source.get(ref, ()):  # parents before children (plan order)
            members = [f"{mapped.key}[{k}]" for k in mapping_keys]
            self._group_members[mapped.key] = members
            self._group_pending[mapped.key] = len(members)
            for mk in mapping_keys:
                inst = StepInstance(f"{mapped.key}[{mk}]", mapped, mk)
                deps: list[str] = []
                for up in mapped.upstream:
                    if up == source.step.key:
                        continue
                    deps.append(f"{up}[{mk}]" if up in self.mapped_handles else up)
                for inp in mapped.inputs:
                    for src in inp.sources:
                        if src.node in self.mapped_handles and src.node != mapped.key:
                            deps.append(f"{src.node}[{mk}]")
                deps.extend(_group(c) for c in mapped.collects)
                self._add_instance(inst, dict.fromkeys(deps))
            if not members:
                self._finish(_group(mapped.key), StepOutcome.SUCCESS)

    def _finish(self, key: str, outcome: StepOutcome) -> None:
        stack: list[tuple[str, StepOutcome]] = [(key, outcome)]
        while stack:
            k, oc = stack.pop()
            if k in self._outcome:
                continue
            self._outcome[k] = oc
            inst = self._instances.get(k)
            if inst is not None and inst.step.mapped_over is not None and inst.mapping_key is not None:
                group = inst.step.key
                self._group_pending[group] -= 1
                if oc in (StepOutcome.FAILURE, StepOutcome.ABANDONED):
                    self._outcome.setdefault(f"{group}[*]!failed", oc)
                if self._group_pending[group] == 0:
                    failed = f"{group}[*]!failed" in self._outcome
                    stack.append((_group(group), StepOutcome.FAILURE if failed else StepOutcome.SUCCESS))
            elif inst is not None and inst.step.mapped_over is None and oc is not StepOutcome.SUCCESS:
                # A static step that did not succeed: its mapped dependents never expand.
                for mapped in self._mapped_over_step(inst.step.key):
                    stack.append(
                        (_group(mapped), oc if oc is not StepOutcome.SKIPPED else StepOutcome.SKIPPED)
                    )
            for child in self._children.pop(k, ()):
                if oc in (StepOutcome.FAILURE, StepOutcome.ABANDONED):
                    self._dep_failed.add(child)
                self._remaining[child] -= 1
                if self._remaining[child] == 0:
                    child_inst = self._instances[child]
                    if child in self._dep_failed:
                        self._outcome[child] = StepOutcome.ABANDONED
                        self.decisions.append((child_inst, StepOutcome.ABANDONED))
                        stack.append((child, StepOutcome.ABANDONED))
                        del self._outcome[child]
                    elif not self._inputs_available(child_inst):
                        self.decisions.append((child_inst, StepOutcome.SKIPPED))
                        stack.append((child, StepOutcome.SKIPPED))
                    else:
                        self._ready.append(child_inst)

    def _mapped_over_step(self, handle: str) -> list[str]:
        return [s.key for ref, steps in self._mapped_by_source.items() if ref.node == handle for s in steps]

    # --- queries --------------------------------------------------------------------------
    @property
    def has_ready(self) -> bool:
        return bool(self._ready)

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    @property
    def is_complete(self) -> bool:
        return not self._ready and not self._in_flight

    def outcome(self, key: str) -> StepOutcome | None:
        return self._outcome.get(key)

    def instances_of(self, handle: str) -> list[str]:
        return self._group_members.get(handle, [handle] if handle in self._instances else [])

    def source_keys(self, inst: StepInstance, ref: OutputRef) -> list[str]:
        """Instance keys whose output ``ref.output`` feeds ``inst`` (one, or every mapped instance)."""
        if ref.node in self.mapped_handles and inst.mapping_key is None:
            return [
                m for m in self._group_members.get(ref.node, []) if ref.output in self.produced.get(m, ())
            ]
        return [inst.source_key(ref, self.mapped_handles)]
