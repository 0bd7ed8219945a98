"""Executors as definitions: ``ExecutorDefinition``, the ``@executor`` decorator, ``InitExecutorContext``
and the ``Executor`` base class a user executor subclasses (Dagster's names).

An ``@executor`` function receives an ``InitExecutorContext`` (its ``executor_config`` comes from run
config ``execution: {config: ...}``, checked against the definition's schema) and returns an
``Executor``. Its ``execute(plan_context, execution_plan)`` drives the run's steps through the plan
context (``headwater.execution.orchestration.PlanOrchestrationContext``): it picks which ready steps
run and in what order; each step runs through the one step runner of this process.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping, Sequence
from typing import Any, overload

from headwater.definitions.config_chain import ConfigChain, is_config_fn
from headwater.errors import InvalidDefinitionError, InvalidInvocationError


class Executor(abc.ABC):
    """What an ``@executor`` function returns: drives the steps of one run."""

    @abc.abstractmethod
    def execute(self, plan_context: Any, execution_plan: Any) -> Any:
        """Run the plan's steps: ``plan_context.get_steps_to_execute()`` gives the ready steps,
        ``plan_context.execute_step(step)`` runs one. May return None or an iterator (consumed)."""


class InitExecutorContext:
    """What an ``@executor`` function receives."""

    def __init__(
        self,
        job: Any,
        executor_def: ExecutorDefinition,
        executor_config: Mapping[str, Any] | None = None,
        instance: Any = None,
    ) -> None:
        self.job = job
        self.executor_def = executor_def
        self.executor_config: Mapping[str, Any] = dict(executor_config or {})
        self.instance = instance

    @property
    def job_def(self) -> Any:
        return self.job


ExecutorCreationFunction = Callable[[InitExecutorContext], Executor]


class ExecutorDefinition:
    """An executor: a name, a config schema and a function of an ``InitExecutorContext`` returning an
    ``Executor``. Set it with ``@job(executor_def=...)`` or ``Definitions(executor=...)``."""

    def __init__(
        self,
        name: str,
        config_schema: Any = None,
        requirements: Any = None,
        executor_creation_fn: ExecutorCreationFunction | None = None,
        description: str | None = None,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise InvalidDefinitionError(f"An executor needs a name (a non-empty str); got {name!r}.")
        if executor_creation_fn is not None and not callable(executor_creation_fn):
            raise InvalidDefinitionError(
                f"executor_creation_fn of executor '{name}' must be a function of an InitExecutorContext; "
                f"got {executor_creation_fn!r}."
            )
        self._name = name
        self._config_schema = config_schema
        self._requirements = requirements
        self._executor_creation_fn = executor_creation_fn
        self._description = description
        self.config_chain = ConfigChain(config_schema)

    @property
    def name(self) -> str:
        return self._name

    @property
    def description(self) -> str | None:
        return self._description

    @property
    def config_schema(self) -> Any:
        return self._config_schema

    @property
    def executor_creation_fn(self) -> ExecutorCreationFunction | None:
        return self._executor_creation_fn

    def get_requirements(self, executor_config: Mapping[str, Any]) -> Sequence[Any]:
        req = self._requirements
        return list(req(executor_config) if callable(req) else req or ())

    def configured(
        self,
        config_or_config_fn: Any,
        name: str | None = None,
        config_schema: Any = None,
        description: str | None = None,
    ) -> ExecutorDefinition:
        """A copy (named ``name``, else this one's name) whose config is fixed, or computed by a function
        from config checked against ``config_schema``."""
        out = ExecutorDefinition(
            name or self.name,
            config_schema if is_config_fn(config_or_config_fn) else None,
            self._requirements,
            self._executor_creation_fn,
            description or self.description,
        )
        out.config_chain = self.config_chain.configured(config_or_config_fn, config_schema)
        return out

    def execute(self, run: Any) -> None:
        """Drive ``run`` (the execution layer's RunContext) with the executor this definition creates."""
        if self._executor_creation_fn is None:
            raise InvalidInvocationError(
                f"Executor '{self.name}' has no executor_creation_fn: it cannot run steps."
            )
        run.execute_with_definition(self)

    @staticmethod
    def hardcoded_executor(executor: Executor) -> ExecutorDefinition:
        return ExecutorDefinition("__executor__", executor_creation_fn=lambda _context: executor)

    def __repr__(self) -> str:
        return f"<ExecutorDefinition {self.name}>"


@overload
def executor(name: ExecutorCreationFunction) -> ExecutorDefinition: ...


@overload
def executor(
    name: str | None = None,
    config_schema: Any = None,
    requirements: Any = None,
) -> Callable[[ExecutorCreationFunction], ExecutorDefinition]: ...


def executor(
    name: str | ExecutorCreationFunction | None = None,
    config_schema: Any = None,
    requirements: Any = None,
) -> ExecutorDefinition | Callable[[ExecutorCreationFunction], ExecutorDefinition]:
    """``@executor`` or ``@executor(name=..., config_schema=...)`` on a function of an
    ``InitExecutorContext`` returning an ``Executor``."""
    if callable(name):
        fn = name
        return ExecutorDefinition(fn.__name__, executor_creation_fn=fn, description=fn.__doc__)

    def build(fn: ExecutorCreationFunction) -> ExecutorDefinition:
        return ExecutorDefinition(
            name or fn.__name__,
            config_schema=config_schema,
            requirements=requirements,
            executor_creation_fn=fn,
            description=fn.__doc__,
        )

    return build
