"""EnvVar: a reference to an environment variable, resolved when config is processed at run time.

``EnvVar("TOKEN")`` is a ``str`` subclass (as in Dagster) so it can sit in a ``str`` config field of a
``Config`` or ``ConfigurableResource``; its value is looked up only when the run's config and
resources are processed. Reading it as a string directly is an error: call ``get_value()``.
"""

from __future__ import annotations

import os


class EnvVarUnsetError(LookupError):
    """An environment variable referenced by ``EnvVar`` is not set."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f'You have attempted to fetch the environment variable "{name}" which is not set. '
            "In order for this execution to succeed it must be set in this environment."
        )
        self.name = name


def _direct_access_error(cls_name: str, name: str) -> RuntimeError:
    return RuntimeError(
        f'Attempted to directly retrieve environment variable {cls_name}("{name}"). {cls_name} defers '
        "resolution of the environment variable value until run time, and should only be used as input "
        "to config or resources.\n\nTo access the environment variable value, call `get_value` on the "
        f"{cls_name}, or use os.getenv directly."
    )


class EnvVar(str):
    """A string-valued environment variable, resolved at run time: ``EnvVar("DB_PASSWORD")``."""

    __slots__ = ()

    @classmethod
    def int(cls, name: str) -> IntEnvVar:
        """An integer-valued environment variable, for ``int`` config fields."""
        return IntEnvVar.create(name)

    @property
    def env_var_name(self) -> str:
        return str.__str__(self)

    def __str__(self) -> str:
        raise _direct_access_error(type(self).__name__, self.env_var_name)

    def __repr__(self) -> str:
        return f"EnvVar({self.env_var_name!r})"

    def get_value(self, default: str | None = None) -> str | None:
        """The variable's value, or ``default`` when it is not set."""
        return os.environ.get(self.env_var_name, default)

    def resolve(self) -> str:
        """The variable's value; raises ``EnvVarUnsetError`` naming the variable when it is not set."""
        value = os.environ.get(self.env_var_name)
        if value is None:
            raise EnvVarUnsetError(self.env_var_name)
        return value

    def __reduce__(self) -> tuple[type[EnvVar], tuple[str]]:
        return (EnvVar, (self.env_var_name,))


class IntEnvVar(int):
    """An integer-valued environment variable (``EnvVar.int("N")``); an ``int`` subclass worth 0."""

    name: str

    @classmethod
    def create(cls, name: str) -> IntEnvVar:
        var = cls(0)
        var.name = name
        return var

    @property
    def env_var_name(self) -> str:
        return self.name

    def __int__(self) -> int:
        raise _direct_access_error(type(self).__name__, self.name)

    def __str__(self) -> str:
        raise _direct_access_error(type(self).__name__, self.name)

    def __repr__(self) -> str:
        return f"EnvVar.int({self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IntEnvVar) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("IntEnvVar", self.name))

    def get_value(self, default: int | None = None) -> int | None:
        """The variable's value as an int, or ``default`` when it is not set."""
        value = os.environ.get(self.name)
        return int(value) if value else default

    def resolve(self) -> str:
        """The variable's raw string value; raises ``EnvVarUnsetError`` when it is not set."""
        value = os.environ.get(self.name)
        if value is None:
            raise EnvVarUnsetError(self.name)
        return value

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (IntEnvVar.create, (self.name,))


def is_env_var(value: object) -> bool:
    return isinstance(value, (EnvVar, IntEnvVar))
