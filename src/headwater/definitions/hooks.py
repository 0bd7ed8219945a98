"""success_hook and failure_hook: functions run after an op succeeds or fails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, overload

from headwater.errors import InvalidDefinitionError

HookKind = Literal["success", "failure"]


class HookDefinition:
    """A function called with a HookContext after a step ends the way ``kind`` says."""

    __slots__ = ("decorated_fn", "kind", "name", "required_resource_keys")

    def __init__(
        self,
        *,
        name: str,
        decorated_fn: Callable[..., Any],
        kind: HookKind,
        required_resource_keys: set[str] | None = None,
    ) -> None:
        self.name = name
        self.decorated_fn = decorated_fn
        self.kind = kind
        self.required_resource_keys = set(required_resource_keys or ())

    def should_fire(self, step_succeeded: bool) -> bool:
        return step_succeeded if self.kind == "success" else not step_succeeded

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Decorating a job or op (``@my_hook``) attaches the hook; otherwise call the function."""
        if len(args) == 1 and not kwargs and hasattr(args[0], "with_hooks"):
            return args[0].with_hooks({self})
        return self.decorated_fn(*args, **kwargs)

    def __hash__(self) -> int:
        return hash((self.name, id(self.decorated_fn)))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, HookDefinition)
            and other.name == self.name
            and other.decorated_fn is self.decorated_fn
        )

    def __repr__(self) -> str:
        return f"<HookDefinition {self.name} ({self.kind})>"


def _hook(
    kind: HookKind,
    hook_fn: Callable[..., Any] | None,
    name: str | None,
    required_resource_keys: set[str] | None,
) -> HookDefinition | Callable[[Callable[..., Any]], HookDefinition]:
    def build(fn: Callable[..., Any]) -> HookDefinition:
        if not callable(fn):
            raise InvalidDefinitionError(f"@{kind}_hook expects a function, got {fn!r}.")
        return HookDefinition(
            name=name or fn.__name__,
            decorated_fn=fn,
            kind=kind,
            required_resource_keys=required_resource_keys,
        )

    if hook_fn is not None:
        return build(hook_fn)
    return build


@overload
def success_hook(hook_fn: Callable[..., Any], /) -> HookDefinition: ...


@overload
def success_hook(
    hook_fn: None = None, /, *, name: str | None = None, required_resource_keys: set[str] | None = None
) -> Callable[[Callable[..., Any]], HookDefinition]: ...


def success_hook(
    hook_fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    required_resource_keys: set[str] | None = None,
) -> HookDefinition | Callable[[Callable[..., Any]], HookDefinition]:
    """A hook run after each op it is attached to succeeds: ``@success_hook`` or ``@success_hook(...)``."""
    return _hook("success", hook_fn, name, required_resource_keys)


@overload
def failure_hook(hook_fn: Callable[..., Any], /) -> HookDefinition: ...


@overload
def failure_hook(
    hook_fn: None = None, /, *, name: str | None = None, required_resource_keys: set[str] | None = None
) -> Callable[[Callable[..., Any]], HookDefinition]: ...


def failure_hook(
    hook_fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    required_resource_keys: set[str] | None = None,
) -> HookDefinition | Callable[[Callable[..., Any]], HookDefinition]:
    """A hook run after each op it is attached to fails: ``@failure_hook`` or ``@failure_hook(...)``."""
    return _hook("failure", hook_fn, name, required_resource_keys)
