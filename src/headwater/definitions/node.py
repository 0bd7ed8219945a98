"""What ops and graphs share as nodes of a graph: names, inputs, outputs, invocation in composition."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from headwater.definitions.inputs import In
from headwater.definitions.outputs import Out
from headwater.errors import InvalidDefinitionError, InvariantViolationError

_NAME = re.compile(r"^[A-Za-z0-9_]+$")
RESERVED_NAMES = frozenset(
    {
        "context",
        "conf",
        "config",
        "meta",
        "arg_dict",
        "dict",
        "input_arg_dict",
        "input",
        "inputs",
        "output",
        "outputs",
        "result",
        "solid",
        "op",
    }
)


def check_valid_name(name: str, *, what: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidDefinitionError(
            f'"{name}" is not a valid name in Headwater. Names must be in regex ^[A-Za-z0-9_]+$.'
        )
    return name


class NodeDefinition:
    """Base of OpDefinition and GraphDefinition."""

    name: str
    description: str | None
    tags: Mapping[str, str]
    ins: Mapping[str, In]
    outs: Mapping[str, Out]

    @property
    def input_names(self) -> list[str]:
        return list(self.ins)

    @property
    def output_names(self) -> list[str]:
        return list(self.outs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from headwater.definitions.composition import current_frame

        frame = current_frame()
        if frame is not None:
            return frame.invoke(self, self.name, args, kwargs, tags=None, hooks=None, retry_policy=None)
        return self.direct_invoke(*args, **kwargs)

    def direct_invoke(self, *args: Any, **kwargs: Any) -> Any:
        raise InvariantViolationError(
            f"Attempted to call graph '{self.name}' outside of a composition function. Invoking graphs is "
            "only "
            "valid in a function decorated with @job or @graph."
        )

    # Pending invocations for composition: alias, tag, with_hooks, with_retry_policy.
    def alias(self, name: str) -> PendingInvocation:
        return PendingInvocation(self, name=check_valid_name(name, what="Alias"))

    def tag(self, tags: Mapping[str, str]) -> PendingInvocation:
        return PendingInvocation(self, tags=tags)

    def with_hooks(self, hook_defs: Any) -> PendingInvocation:
        return PendingInvocation(self, hooks=set(hook_defs))

    def with_retry_policy(self, retry_policy: Any) -> PendingInvocation:
        return PendingInvocation(self, retry_policy=retry_policy)


class PendingInvocation:
    """A node with an alias, tags, hooks or a retry policy, waiting to be called inside a graph."""

    __slots__ = ("hooks", "name", "node_def", "retry_policy", "tags")

    def __init__(
        self,
        node_def: NodeDefinition,
        *,
        name: str | None = None,
        tags: Mapping[str, str] | None = None,
        hooks: set[Any] | None = None,
        retry_policy: Any = None,
    ) -> None:
        self.node_def = node_def
        self.name = name
        self.tags = dict(tags) if tags else None
        self.hooks = hooks
        self.retry_policy = retry_policy

    def alias(self, name: str) -> PendingInvocation:
        self.name = check_valid_name(name, what="Alias")
        return self

    def tag(self, tags: Mapping[str, str]) -> PendingInvocation:
        self.tags = {**(self.tags or {}), **tags}
        return self

    def with_hooks(self, hook_defs: Any) -> PendingInvocation:
        self.hooks = (self.hooks or set()) | set(hook_defs)
        return self

    def with_retry_policy(self, retry_policy: Any) -> PendingInvocation:
        self.retry_policy = retry_policy
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from headwater.definitions.composition import current_frame

        frame = current_frame()
        if frame is None:
            return self.node_def.direct_invoke(*args, **kwargs)
        return frame.invoke(
            self.node_def,
            self.name or self.node_def.name,
            args,
            kwargs,
            tags=self.tags,
            hooks=self.hooks,
            retry_policy=self.retry_policy,
        )
