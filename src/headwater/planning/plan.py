"""ExecutionPlan: the steps of one run and where each step's inputs come from."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from headwater.core.asset_key import AssetKey
from headwater.errors import InvalidSubsetError
from headwater.specs.job import InputKind, JobSpec, NodeInputSpec, NodeSpec, OutputRef

#: Format version of a plan on the wire and stored with runs (its fields; see ``core.codec``).
PLAN_FORMAT_VERSION = 1


class StepInput(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """One input of a step: from in-plan step outputs, or loaded (asset by key, config, default)."""

    name: str
    kind: InputKind
    sources: tuple[OutputRef, ...]  # outputs of steps in this plan
    load_asset_key: AssetKey | None  # when the input is read from an asset not produced in this run
    is_nothing: bool
    has_default: bool
    unresolved_sources: tuple[OutputRef, ...] = ()  # outputs of steps outside the plan


class ExecutionStep(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    key: str
    node: NodeSpec
    inputs: tuple[StepInput, ...]
    upstream: frozenset[str]  # static in-plan steps this one waits for
    mapped_over: OutputRef | None
    collects: frozenset[str]  # mapped steps whose every instance this one waits for

    @property
    def handle(self) -> str:
        return self.node.handle


class ExecutionPlan(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    job_name: str
    steps: tuple[ExecutionStep, ...]  # parents before children
    is_subset: bool

    def step(self, key: str) -> ExecutionStep:
        for s in self.steps:
            if s.key == key:
                return s
        raise KeyError(key)

    @property
    def step_keys(self) -> list[str]:
        return [s.key for s in self.steps]


def build_plan(job: JobSpec, step_keys: Iterable[str] | None = None) -> ExecutionPlan:
    """Plan ``job``, restricted to ``step_keys`` (node handles) when given."""
    all_handles = {n.handle for n in job.nodes}
    if step_keys is None:
        selected = all_handles
        is_subset = False
    else:
        selected = set(step_keys)
        unknown = selected - all_handles
        if unknown:
            raise InvalidSubsetError(
                f"Step selection names steps that are not in job '{job.name}': {sorted(unknown)}. "
                f"Steps: {sorted(all_handles)}."
            )
        is_subset = selected != all_handles
    mapped_handles = {n.handle for n in job.nodes if n.mapped_over is not None}
    steps: list[ExecutionStep] = []
    for node in job.nodes:
        if node.handle not in selected:
            continue
        if node.mapped_over is not None and node.mapped_over.node not in selected:
            raise InvalidSubsetError(
                f"Step '{node.handle}' is mapped over the dynamic output of '{node.mapped_over.node}'; "
                "select that "
                "step too."
            )
        inputs: list[StepInput] = []
        upstream: set[str] = set()
        collects: set[str] = set()
        for spec in node.inputs:
            inputs.append(_plan_input(spec, selected))
            for src in spec.sources:
                if src.node not in selected:
                    continue
                if spec.kind is InputKind.COLLECT or (
                    src.node in mapped_handles and node.mapped_over is None
                ):
                    if src.node in mapped_handles:
                        collects.add(src.node)
                    else:
                        upstream.add(src.node)
                elif src.node in mapped_handles:
                    # mapped -> mapped over the same dynamic output: resolved per mapping key at run time
                    pass
                else:
                    upstream.add(src.node)
        for before in node.after:
            if before in selected:
                upstream.add(before)
        if node.mapped_over is not None:
            upstream.add(node.mapped_over.node)
        steps.append(
            ExecutionStep(
                key=node.handle,
                node=node,
                inputs=tuple(inputs),
                upstream=frozenset(upstream),
                mapped_over=node.mapped_over,
                collects=frozenset(collects),
            )
        )
    return ExecutionPlan(job_name=job.name, steps=tuple(steps), is_subset=is_subset)


def _plan_input(spec: NodeInputSpec, selected: set[str]) -> StepInput:
    inside = tuple(s for s in spec.sources if s.node in selected)
    outside = tuple(s for s in spec.sources if s.node not in selected)
    kind = spec.kind
    if spec.kind is not InputKind.UNCONNECTED and not inside:
        kind = InputKind.UNCONNECTED
    return StepInput(
        name=spec.name,
        kind=kind,
        sources=inside,
        load_asset_key=spec.asset_key if (outside or spec.kind is InputKind.UNCONNECTED) else None,
        is_nothing=spec.is_nothing,
        has_default=spec.has_default,
        unresolved_sources=outside,
    )
