"""``@repository`` / ``RepositoryDefinition``: the code location of legacy Dagster projects.

A repository function returns a list of definitions (jobs, graphs, assets, source assets, asset checks,
asset jobs, schedules, sensors) or a dict ``{"jobs": {...}, "schedules": {...}, "sensors": {...}}``
whose values may be zero-argument functions building the definition. The result wraps a
``Definitions``, so everything that loads a ``Definitions`` (the CLI, the code-location server) loads a
repository too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, overload

from headwater.core.metadata import normalize_metadata
from headwater.definitions.asset_job import UnresolvedAssetJobDefinition
from headwater.definitions.asset_spec import SourceAsset
from headwater.definitions.assets import AssetsDefinition
from headwater.definitions.definitions import Definitions
from headwater.definitions.graph import GraphDefinition
from headwater.definitions.job import JobDefinition
from headwater.errors import InvalidDefinitionError, InvariantViolationError

_LIST_TYPES = (
    "JobDefinition, GraphDefinition, ScheduleDefinition, SensorDefinition, AssetsDefinition, SourceAsset, "
    "or AssetChecksDefinition"
)
_DICT_KEYS = {"jobs", "schedules", "sensors"}


def _kind(obj: Any) -> str | None:
    if isinstance(obj, (JobDefinition, GraphDefinition, UnresolvedAssetJobDefinition)):
        return "jobs"
    if isinstance(obj, (AssetsDefinition, SourceAsset)):
        return "assets"
    names = {c.__name__ for c in type(obj).__mro__}
    if "ScheduleDefinition" in names:
        return "schedules"
    if "SensorDefinition" in names:
        return "sensors"
    return None


def _from_list(items: Sequence[Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {"jobs": [], "assets": [], "schedules": [], "sensors": []}
    for i, item in enumerate(items):
        kind = _kind(item)
        if kind is None:
            raise InvalidDefinitionError(
                "Bad return value from repository construction function: all elements of list must be of "
                f"type {_LIST_TYPES}.Got value of type {type(item)} at index {i}."
            )
        if not any(existing is item for existing in out[kind]):
            out[kind].append(item)
    return out


def _from_dict(items: Mapping[str, Any]) -> dict[str, list[Any]]:
    extra = sorted(set(items) - _DICT_KEYS)
    if extra:
        raise InvalidDefinitionError(
            "Bad return value from repository construction function: dict must not contain keys other than "
            f"{{'schedules', 'sensors', 'jobs'}}: found '{extra[0]}'"
        )
    out: dict[str, list[Any]] = {"jobs": [], "assets": [], "schedules": [], "sensors": []}
    for key in sorted(_DICT_KEYS):
        for name, value in (items.get(key) or {}).items():
            built = value() if callable(value) and _kind(value) is None else value
            if _kind(built) != key:
                raise InvalidDefinitionError(
                    f"Bad return value from repository construction function: {key}['{name}'] must be a "
                    f"{key[:-1]} definition (or a function returning one); got {type(built).__name__}."
                )
            if getattr(built, "name", name) != name:
                raise InvalidDefinitionError(
                    f"Bad constructor for {key[:-1]} '{name}': name in {type(built).__name__} does not "
                    f"match: got '{built.name}'"
                )
            out[key].append(built)
    return out


class RepositoryDefinition:
    """A named set of definitions (a legacy code location); see ``@repository``."""

    def __init__(
        self,
        name: str,
        definitions: Definitions,
        *,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self._name = name
        self._definitions = definitions
        self._description = description
        self._metadata = normalize_metadata(metadata) if metadata else {}

    @property
    def name(self) -> str:
        return self._name

    @property
    def description(self) -> str | None:
        return self._description

    @property
    def metadata(self) -> dict[str, Any]:
        return dict(self._metadata)

    @property
    def definitions(self) -> Definitions:
        """The ``Definitions`` this repository holds (what loaders serve)."""
        return self._definitions

    # -- jobs
    def get_all_jobs(self) -> list[JobDefinition]:
        return self._definitions.resolve_all_job_defs()

    @property
    def job_names(self) -> list[str]:
        return [j.name for j in self.get_all_jobs()]

    def has_job(self, name: str) -> bool:
        return name in self.job_names

    def get_job(self, name: str) -> JobDefinition:
        return self._definitions.resolve_job_def(name)

    def get_implicit_global_asset_job_def(self) -> JobDefinition:
        return self._definitions.resolve_implicit_global_asset_job_def()

    # -- schedules and sensors
    @property
    def schedule_defs(self) -> list[Any]:
        return list(self._definitions.schedules)

    @property
    def sensor_defs(self) -> list[Any]:
        return list(self._definitions.sensors)

    def has_schedule_def(self, name: str) -> bool:
        return any(getattr(s, "name", None) == name for s in self.schedule_defs)

    def has_sensor_def(self, name: str) -> bool:
        return any(getattr(s, "name", None) == name for s in self.sensor_defs)

    def get_schedule_def(self, name: str) -> Any:
        return self._definitions.get_schedule_def(name)

    def get_sensor_def(self, name: str) -> Any:
        return self._definitions.get_sensor_def(name)

    # -- assets
    @property
    def assets_defs_by_key(self) -> dict[Any, AssetsDefinition]:
        collection = self._definitions.collection
        return {key: collection.producer[key] for key in collection.producer}

    @property
    def asset_graph(self) -> Any:
        return self._definitions.resolve_asset_graph()

    def load_asset_value(self, asset_key: Any, **kwargs: Any) -> Any:
        return self._definitions.load_asset_value(asset_key, **kwargs)

    def get_asset_value_loader(self, instance: Any = None) -> Any:
        return self._definitions.get_asset_value_loader(instance)

    def __repr__(self) -> str:
        return f"<RepositoryDefinition {self.name}>"


RepositoryFunction = Callable[[], Any]


def _build(
    fn: RepositoryFunction,
    name: str | None,
    description: str | None,
    metadata: Mapping[str, Any] | None,
    executor: Any,
    loggers: Mapping[str, Any] | None,
    resources: Mapping[str, Any] | None,
) -> RepositoryDefinition:
    value = fn()
    if isinstance(value, (list, tuple)):
        parts = _from_list(value)
    elif isinstance(value, Mapping):
        parts = _from_dict(value)
    else:
        raise InvalidDefinitionError(
            f"Bad return value of type {type(value)} from repository construction function: must return "
            "list, dict, or RepositoryData. See the @repository decorator docstring for details and examples"
        )
    defs = Definitions(
        assets=parts["assets"],
        jobs=parts["jobs"],
        schedules=parts["schedules"],
        sensors=parts["sensors"],
        resources=resources,
        executor=executor,
        loggers=loggers,
    )
    return RepositoryDefinition(
        name or fn.__name__, defs, description=description or fn.__doc__, metadata=metadata
    )


@overload
def repository(definitions_fn: RepositoryFunction, /) -> RepositoryDefinition: ...


@overload
def repository(
    *,
    name: str | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    default_executor_def: Any = None,
    default_logger_defs: Mapping[str, Any] | None = None,
    top_level_resources: Mapping[str, Any] | None = None,
    resource_key_mapping: Mapping[int, str] | None = None,
) -> Callable[[RepositoryFunction], RepositoryDefinition]: ...


def repository(
    definitions_fn: RepositoryFunction | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    default_executor_def: Any = None,
    default_logger_defs: Mapping[str, Any] | None = None,
    top_level_resources: Mapping[str, Any] | None = None,
    resource_key_mapping: Mapping[int, str] | None = None,
) -> RepositoryDefinition | Callable[[RepositoryFunction], RepositoryDefinition]:
    """``@repository`` (or ``@repository(name=...)``) on a function returning a list or dict of
    definitions. Legacy: new projects use ``Definitions``."""
    if definitions_fn is not None and not callable(definitions_fn):
        raise InvariantViolationError(f"@repository decorates a function; got {definitions_fn!r}.")

    def build(fn: RepositoryFunction) -> RepositoryDefinition:
        return _build(
            fn, name, description, metadata, default_executor_def, default_logger_defs, top_level_resources
        )

    return build(definitions_fn) if definitions_fn is not None else build
