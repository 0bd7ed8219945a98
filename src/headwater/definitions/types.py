"""Dagster types: a name and a type check applied to op and asset inputs and outputs.

A type check returns a ``TypeCheck`` (or a bool); a failing one fails the step with
``TypeCheckDidNotPass`` (``DagsterTypeCheckDidNotPass`` under compat) carrying its description and
metadata. Python annotations are turned into types by ``type_resolution.resolve_dagster_type``.
"""

from __future__ import annotations

import enum
import inspect
import logging
from collections.abc import Callable, Mapping
from typing import Any

from headwater.core.metadata import MetadataValue, normalize_metadata
from headwater.errors import InvalidDefinitionError, InvariantViolationError


class _NothingMarker:
    """``Nothing``: an input or output that carries ordering, not data."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Nothing"


Nothing: Any = _NothingMarker()


class DagsterTypeKind(enum.Enum):
    ANY = "ANY"
    SCALAR = "SCALAR"
    LIST = "LIST"
    NOTHING = "NOTHING"
    NULLABLE = "NULLABLE"
    REGULAR = "REGULAR"


class TypeCheck:
    """The result of a type check: success, an optional description and metadata (shown with the
    STEP_INPUT / STEP_OUTPUT event, and carried by ``TypeCheckDidNotPass`` when it fails)."""

    __slots__ = ("description", "metadata", "success")

    def __init__(
        self, success: bool, description: str | None = None, metadata: Mapping[str, Any] | None = None
    ) -> None:
        self.success = bool(success)
        self.description = description
        self.metadata: dict[str, MetadataValue[Any]] = normalize_metadata(metadata)

    def __repr__(self) -> str:
        return (
            f"TypeCheck(success={self.success}, description={self.description!r}, metadata={self.metadata!r})"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TypeCheck) and (self.success, self.description, self.metadata) == (
            other.success,
            other.description,
            other.metadata,
        )

    __hash__ = None  # type: ignore[assignment]


_PASSED = TypeCheck(True)


class StandaloneTypeCheckContext:
    """The context given to a type check run outside a step (``check_dagster_type``)."""

    __slots__ = ("log", "resources", "run_id")

    def __init__(self) -> None:
        self.log = logging.getLogger("headwater")
        self.resources: Any = None
        self.run_id = "EPHEMERAL"


def _check_fn_arity(fn: Callable[..., Any], name: str) -> None:
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        return
    if len(params) != 2:
        raise InvalidDefinitionError(
            f'type_check_fn argument on type "{name}" must take 2 arguments, received {len(params)}.'
        )


class DagsterType:
    """A named type check applied to inputs and outputs.

    ``type_check_fn(context, value)`` returns a bool or a ``TypeCheck``. ``loader`` (a
    ``DagsterTypeLoader``) builds the value of an unconnected input from run config.
    """

    __slots__ = (
        "_describe",
        "_name",
        "description",
        "is_builtin",
        "key",
        "kind",
        "loader",
        "metadata",
        "required_resource_keys",
        "type_check_fn",
        "typing_type",
    )

    def __init__(
        self,
        type_check_fn: Callable[[Any, Any], Any] | None,
        key: str | None = None,
        name: str | None = None,
        is_builtin: bool = False,
        description: str | None = None,
        loader: Any = None,
        required_resource_keys: set[str] | None = None,
        kind: DagsterTypeKind = DagsterTypeKind.REGULAR,
        typing_type: Any = Any,
        metadata: Mapping[str, Any] | None = None,
        *,
        describe_failure: Callable[[Any], str] | None = None,
    ) -> None:
        if name is None and key is None and kind is DagsterTypeKind.REGULAR:
            raise InvalidDefinitionError(
                "A DagsterType needs a name: DagsterType(type_check_fn, name='MyType')."
            )
        self._name = name
        self.key = key or name or "Any"
        if type_check_fn is not None:
            _check_fn_arity(type_check_fn, self.display_name)
        self.type_check_fn = type_check_fn
        self.is_builtin = is_builtin
        self.description = description
        self.loader = loader
        self.required_resource_keys = set(required_resource_keys or ()) | set(
            getattr(loader, "required_resource_keys", None) or ()
        )
        self.kind = kind
        self.typing_type = typing_type
        self.metadata = normalize_metadata(metadata)
        self._describe = describe_failure

    @property
    def name(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self._name or self.key

    @property
    def unique_name(self) -> str:
        return self.key

    @property
    def is_nothing(self) -> bool:
        return self.kind is DagsterTypeKind.NOTHING

    @property
    def is_any(self) -> bool:
        return self.kind is DagsterTypeKind.ANY

    @property
    def supports_fan_in(self) -> bool:
        return False

    def type_check(self, context: Any, value: Any) -> TypeCheck:
        """Run the check on ``value``; a TypeCheck whatever the function returned."""
        if self.type_check_fn is None:
            return _PASSED
        result = self.type_check_fn(context, value)
        if isinstance(result, bool):
            check = _PASSED if result else TypeCheck(False)
        elif isinstance(result, TypeCheck):
            check = result
        else:
            raise InvariantViolationError(
                f"You have returned {result!r} of type {type(result)} from the type check function of type "
                f'"{self.display_name}". Return value must be instance of TypeCheck or a bool.'
            )
        if not check.success and check.description is None and self._describe is not None:
            check = TypeCheck(False, self._describe(value), check.metadata)
        return check

    def __repr__(self) -> str:
        return f"DagsterType({self.display_name})"


ANY_TYPE = DagsterType(None, "Any", kind=DagsterTypeKind.ANY, is_builtin=True)


def _check_nothing(_context: Any, value: Any) -> TypeCheck:
    if value is None:
        return _PASSED
    return TypeCheck(False, f"Value must be None or unset, got a {type(value)}")


NOTHING_TYPE = DagsterType(_check_nothing, "Nothing", kind=DagsterTypeKind.NOTHING, is_builtin=True)


def scalar_type(check: Callable[[Any], bool], name: str, word: str, py_type: type) -> DagsterType:
    return DagsterType(
        lambda _c, v: check(v),
        name,
        kind=DagsterTypeKind.SCALAR,
        is_builtin=True,
        typing_type=py_type,
        describe_failure=lambda v: f'Value "{v}" of python type "{type(v).__name__}" must be a {word}.',
    )


def _type_label(py_type: type | tuple[type, ...]) -> str:
    if isinstance(py_type, tuple):
        return "Union[" + ", ".join(t.__name__ for t in py_type) + "]"
    return py_type.__name__


class PythonObjectDagsterType(DagsterType):
    """A type whose check is ``isinstance(value, python_type)`` (a class or a tuple of classes)."""

    __slots__ = ("python_type",)

    def __init__(
        self,
        python_type: type | tuple[type, ...],
        key: str | None = None,
        name: str | None = None,
        *,
        type_label: str | None = None,
        **kwargs: Any,
    ) -> None:
        if not (
            isinstance(python_type, type)
            or (isinstance(python_type, tuple) and all(isinstance(t, type) for t in python_type))
        ):
            raise InvalidDefinitionError(
                f"PythonObjectDagsterType takes a class or a tuple of classes; got {python_type!r}."
            )
        self.python_type = python_type
        if name is None and key is None:
            name = python_type.__name__ if isinstance(python_type, type) else None
            if name is None:
                raise InvalidDefinitionError("PythonObjectDagsterType of a tuple of classes needs a name.")
        type_name = name or key or ""
        label = type_label or _type_label(python_type)
        super().__init__(
            lambda _c, v: isinstance(v, python_type),
            key,
            name,
            typing_type=python_type,
            describe_failure=lambda v: (
                f"Value of type {type(v)} failed type check for Dagster type {type_name}, expected value "
                f"to be of Python type {label}."
            ),
            **kwargs,
        )
