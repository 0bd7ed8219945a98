"""HookContext: what a success_hook or failure_hook sees, and build_hook_context for tests."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from headwater.execution.log_manager import RunLogger


class HookContext:
    """What a success_hook or failure_hook sees."""

    __slots__ = (
        "_exit_stack",
        "_resources",
        "hook_def",
        "instance",
        "job_name",
        "log",
        "op",
        "op_exception",
        "op_output_values",
        "required_resource_keys",
        "run_id",
        "step_key",
    )

    def __init__(
        self,
        *,
        hook_def: Any,
        job_name: str,
        run_id: str,
        step_key: str,
        op: Any,
        resources: Any,
        log: RunLogger,
        op_exception: BaseException | None,
        op_output_values: Mapping[str, Any],
        instance: Any,
    ) -> None:
        self.hook_def = hook_def
        self.job_name = job_name
        self.run_id = run_id
        self.step_key = step_key
        self.op = op
        self._resources = resources
        self.log = log
        self.op_exception = op_exception
        self.op_output_values = dict(op_output_values)
        self.instance = instance
        self.required_resource_keys = set(getattr(hook_def, "required_resource_keys", ()) or ())
        self._exit_stack: contextlib.ExitStack | None = None

    @property
    def resources(self) -> Any:
        return self._resources

    def __enter__(self) -> HookContext:
        return self

    def __exit__(self, *exc: object) -> None:
        """Tear down the resources ``build_hook_context`` built (as a ``with`` block, like Dagster's)."""
        if self._exit_stack is not None:
            self._exit_stack.close()


def build_hook_context(
    resources: Mapping[str, Any] | None = None,
    op: Any = None,
    run_id: str | None = None,
    job_name: str | None = None,
    op_exception: BaseException | None = None,
    instance: Any = None,
) -> HookContext:
    from headwater.execution.standalone_resources import standalone_resources

    stack = contextlib.ExitStack()
    context = HookContext(
        hook_def=None,
        job_name=job_name or "ephemeral_job",
        run_id=run_id or "EPHEMERAL",
        step_key=getattr(op, "name", "") if op is not None else "",
        op=op,
        resources=standalone_resources(resources, None, instance, stack),
        log=RunLogger(None, None),
        op_exception=op_exception,
        op_output_values={},
        instance=instance,
    )
    context._exit_stack = stack
    return context
