"""``Resources`` (the initialized resources, by attribute) and ``InitResourceContext`` (what a resource
function receives while it is built)."""

from __future__ import annotations

import logging
import typing as t
from collections.abc import Iterator, Mapping
from types import TracebackType

from headwater.errors import UnknownResourceError

_LOG = logging.getLogger("headwater")


class UnknownResourceAttributeError(UnknownResourceError, AttributeError):
    """A resource was read that is not among the available ones (also an AttributeError, for hasattr)."""


class Resources:
    """Initialized resources with attribute access: ``resources.db``; also ``get(key)`` and ``_asdict()``."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, t.Any] | None = None) -> None:
        object.__setattr__(self, "_values", dict(values or {}))

    def __getattr__(self, name: str) -> t.Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise UnknownResourceAttributeError(
                f"Unknown resource `{name}`. Specify `{name}` as a required resource on the compute / config "
                "function that accessed it."
            ) from None

    def __setattr__(self, name: str, value: t.Any) -> None:
        raise AttributeError("Resources are read-only")

    def __getitem__(self, key: str) -> t.Any:
        return self.__getattr__(key)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __dir__(self) -> list[str]:
        return [*self._values, "get", "original_resource_dict"]

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"Resources({inner})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Resources) and self._values == other._values

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[Resources], tuple[dict[str, t.Any]]]:
        return (Resources, (self._values,))

    def get(self, key: str, default: t.Any = None) -> t.Any:
        return self._values.get(key, default)

    def _asdict(self) -> dict[str, t.Any]:
        return dict(self._values)

    @property
    def original_resource_dict(self) -> dict[str, t.Any]:
        return dict(self._values)

    def subset(self, keys: t.Iterable[str]) -> Resources:
        """The resources for ``keys`` only (those that exist)."""
        values = self._values
        return Resources({k: values[k] for k in keys if k in values})


class InitResourceContext:
    """What a resource function receives: its processed config, the resources it requires, a logger,
    the instance and run id when running inside a run."""

    __slots__ = (
        "_all_resource_defs",
        "_exit_stack",
        "_instance",
        "_log",
        "_resource_config",
        "_resource_def",
        "_resources",
        "_run_id",
    )

    def __init__(
        self,
        resource_config: t.Any = None,
        resources: Resources | Mapping[str, t.Any] | None = None,
        resource_def: t.Any = None,
        instance: t.Any = None,
        log: logging.Logger | None = None,
        run_id: str | None = None,
        all_resource_defs: Mapping[str, t.Any] | None = None,
    ) -> None:
        self._resource_config = resource_config
        self._resources = resources if isinstance(resources, Resources) else Resources(resources)
        self._resource_def = resource_def
        self._instance = instance
        self._log = log
        self._run_id = run_id
        self._all_resource_defs = dict(all_resource_defs or {})
        self._exit_stack: t.Any = None

    @property
    def resource_config(self) -> t.Any:
        return self._resource_config

    @property
    def resources(self) -> Resources:
        return self._resources

    @property
    def resource_def(self) -> t.Any:
        return self._resource_def

    @property
    def all_resource_defs(self) -> dict[str, t.Any]:
        return self._all_resource_defs

    @property
    def instance(self) -> t.Any:
        return self._instance

    @property
    def log(self) -> logging.Logger:
        return self._log if self._log is not None else _LOG

    @property
    def log_manager(self) -> logging.Logger:
        return self.log

    @property
    def run_id(self) -> str | None:
        return self._run_id

    @property
    def dagster_run(self) -> None:
        return None

    def replace_config(self, config: t.Any) -> InitResourceContext:
        return InitResourceContext(
            resource_config=config,
            resources=self._resources,
            resource_def=self._resource_def,
            instance=self._instance,
            log=self._log,
            run_id=self._run_id,
            all_resource_defs=self._all_resource_defs,
        )

    def with_resource(
        self, resource_def: t.Any, resource_config: t.Any, resources: Resources
    ) -> InitResourceContext:
        return InitResourceContext(
            resource_config=resource_config,
            resources=resources,
            resource_def=resource_def,
            instance=self._instance,
            log=self._log,
            run_id=self._run_id,
            all_resource_defs=self._all_resource_defs,
        )

    # ``with build_init_resource_context(resources={...}) as context:`` tears the built resources down.
    def __enter__(self) -> InitResourceContext:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        stack, self._exit_stack = self._exit_stack, None
        if stack is not None:
            stack.__exit__(exc_type, exc, tb)

    def __del__(self) -> None:
        stack = getattr(self, "_exit_stack", None)
        if stack is not None:
            try:
                stack.close()
            except Exception:
                pass
