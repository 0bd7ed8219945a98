"""Which steps of a finished run did not succeed: what re-execution "from failure" runs again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def step_handle(step_key: str) -> str:
    """The step of a mapped step instance: ``"op[key]"`` -> ``"op"``."""
    return step_key.split("[", 1)[0]


def steps_not_succeeded(
    plan_step_keys: Sequence[str], succeeded: Iterable[str], failed: Iterable[str]
) -> list[str]:
    """The plan's step keys, in plan order, that did not succeed: failed, skipped or never started. A
    mapped step counts as one, retried when any of its instances failed."""
    done = {step_handle(k) for k in succeeded} - {step_handle(k) for k in failed}
    return [key for key in plan_step_keys if key not in done]
