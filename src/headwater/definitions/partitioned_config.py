"""``PartitionedConfig`` and the ``*_partitioned_config`` decorators: a job's run config computed from
the partition a run targets (Dagster's names and arguments)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from headwater.core.partition_keys import PARTITION_SET_TAG
from headwater.definitions.partitions_definition import (
    DynamicPartitionsDefinition,
    PartitionsDefinition,
    StaticPartitionsDefinition,
)
from headwater.definitions.time_window_partitions import (
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    TimeWindowPartitionsDefinition,
    WeeklyPartitionsDefinition,
)
from headwater.errors import InvalidDefinitionError, InvalidInvocationError


class Partition(NamedTuple):
    """A partition handed to the deprecated ``run_config_for_partition_fn``: its key as ``name``."""

    value: Any
    name: str


class PartitionedConfig:
    """Run config for each partition of ``partitions_def``: ``run_config_for_partition_key_fn(key)``
    gives a run's config (and ``tags_for_partition_key_fn(key)`` extra tags)."""

    def __init__(
        self,
        partitions_def: PartitionsDefinition,
        run_config_for_partition_fn: Callable[[Partition], Mapping[str, Any]] | None = None,
        decorated_fn: Callable[..., Any] | None = None,
        tags_for_partition_fn: Callable[[Partition], Mapping[str, str]] | None = None,
        run_config_for_partition_key_fn: Callable[[str], Any] | None = None,
        tags_for_partition_key_fn: Callable[[str], Mapping[str, str]] | None = None,
    ) -> None:
        if not isinstance(partitions_def, PartitionsDefinition):
            raise InvalidDefinitionError(
                f"PartitionedConfig needs a partitions definition; got {partitions_def!r}."
            )
        if (run_config_for_partition_fn is None) == (run_config_for_partition_key_fn is None):
            raise InvalidDefinitionError(
                "Must provide exactly one of run_config_for_partition_fn or run_config_for_partition_key_fn"
            )
        if tags_for_partition_fn is not None and tags_for_partition_key_fn is not None:
            raise InvalidDefinitionError(
                "Cannot provide both of tags_for_partition_fn or tags_for_partition_key_fn"
            )
        self._partitions_def = partitions_def
        self._decorated_fn = decorated_fn
        self._run_config_for_partition_fn = run_config_for_partition_fn
        self._run_config_for_partition_key_fn = run_config_for_partition_key_fn
        self._tags_for_partition_fn = tags_for_partition_fn
        self._tags_for_partition_key_fn = tags_for_partition_key_fn

    @property
    def partitions_def(self) -> PartitionsDefinition:
        return self._partitions_def

    @property
    def run_config_for_partition_key_fn(self) -> Callable[[str], Any] | None:
        return self._run_config_for_partition_key_fn

    @property
    def tags_for_partition_key_fn(self) -> Callable[[str], Mapping[str, str]] | None:
        return self._tags_for_partition_key_fn

    def get_partition_keys(self, current_time: datetime | None = None) -> Sequence[str]:
        return self._partitions_def.get_partition_keys(current_time)

    def get_run_config_for_partition_key(self, partition_key: str) -> dict[str, Any]:
        """The run config of ``partition_key`` (a copy; a RunConfig becomes its dict)."""
        if self._run_config_for_partition_key_fn is not None:
            config = self._run_config_for_partition_key_fn(partition_key)
        else:
            assert self._run_config_for_partition_fn is not None
            config = self._run_config_for_partition_fn(Partition(partition_key, partition_key))
        if hasattr(config, "to_config_dict"):
            config = config.to_config_dict()
        if config is None:
            config = {}
        if not isinstance(config, Mapping):
            raise InvalidInvocationError(
                f"The partitioned config of partition {partition_key!r} returned {config!r}; it must return "
                "a run config dict (or a RunConfig)."
            )
        return copy.deepcopy(dict(config))

    def get_tags_for_partition_key(self, partition_key: str, job_name: str | None = None) -> dict[str, str]:
        """The user's tags for ``partition_key`` plus the partition tags (and the partition set tag)."""
        if self._tags_for_partition_key_fn is not None:
            user = dict(self._tags_for_partition_key_fn(partition_key))
        elif self._tags_for_partition_fn is not None:
            user = dict(self._tags_for_partition_fn(Partition(partition_key, partition_key)))
        else:
            user = {}
        system = dict(self._partitions_def.get_tags_for_partition_key(partition_key))
        if job_name:
            system[PARTITION_SET_TAG] = f"{job_name}_partition_set"
        return {**user, **system}

    @classmethod
    def from_flexible_config(cls, config: Any, partitions_def: PartitionsDefinition) -> PartitionedConfig:
        if isinstance(config, PartitionedConfig):
            if config.partitions_def != partitions_def:
                raise InvalidDefinitionError(
                    "Can't supply a PartitionedConfig for 'config' with a different PartitionsDefinition "
                    "than supplied for 'partitions_def'."
                )
            return config
        fixed = config or {}
        return cls(partitions_def, run_config_for_partition_key_fn=lambda _key: fixed)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._decorated_fn is None:
            raise InvalidInvocationError(
                "Only PartitionedConfig objects created using one of the partitioned config decorators can "
                "be directly invoked."
            )
        return self._decorated_fn(*args, **kwargs)


def static_partitioned_config(
    partition_keys: Sequence[str],
    tags_for_partition_fn: Callable[[str], Mapping[str, str]] | None = None,
    tags_for_partition_key_fn: Callable[[str], Mapping[str, str]] | None = None,
) -> Callable[[Callable[[str], Any]], PartitionedConfig]:
    """Run config per key of a static list: the decorated function takes a key, returns run config."""
    partitions_def = StaticPartitionsDefinition(partition_keys)
    tags = tags_for_partition_key_fn or tags_for_partition_fn

    def inner(fn: Callable[[str], Any]) -> PartitionedConfig:
        return PartitionedConfig(
            partitions_def,
            run_config_for_partition_key_fn=fn,
            decorated_fn=fn,
            tags_for_partition_key_fn=tags,
        )

    return inner


def dynamic_partitioned_config(
    partition_fn: Callable[[datetime | None], Sequence[str]],
    tags_for_partition_fn: Callable[[str], Mapping[str, str]] | None = None,
    tags_for_partition_key_fn: Callable[[str], Mapping[str, str]] | None = None,
) -> Callable[[Callable[[str], Any]], PartitionedConfig]:
    """Run config per key of ``partition_fn(current_time)``; the decorated function takes a key."""
    partitions_def = DynamicPartitionsDefinition(partition_fn)
    tags = tags_for_partition_key_fn or tags_for_partition_fn

    def inner(fn: Callable[[str], Any]) -> PartitionedConfig:
        return PartitionedConfig(
            partitions_def,
            run_config_for_partition_key_fn=fn,
            decorated_fn=fn,
            tags_for_partition_key_fn=tags,
        )

    return inner


def _time_window_config(
    partitions_def: TimeWindowPartitionsDefinition,
    fn: Callable[[datetime, datetime], Any],
    tags_fn: Callable[[datetime, datetime], Mapping[str, str]] | None,
) -> PartitionedConfig:
    def run_config(key: str) -> Any:
        window = partitions_def.time_window_for_partition_key(key)
        return fn(window.start, window.end)

    def tags(key: str) -> Mapping[str, str]:
        if tags_fn is None:
            return {}
        window = partitions_def.time_window_for_partition_key(key)
        return tags_fn(window.start, window.end)

    return PartitionedConfig(
        partitions_def,
        run_config_for_partition_key_fn=run_config,
        decorated_fn=fn,
        tags_for_partition_key_fn=tags,
    )


_WindowFn = Callable[[datetime, datetime], Any]
_WindowTags = Callable[[datetime, datetime], Mapping[str, str]] | None


def hourly_partitioned_config(
    start_date: datetime | str,
    minute_offset: int = 0,
    timezone: str | None = None,
    fmt: str | None = None,
    end_offset: int = 0,
    tags_for_partition_fn: _WindowTags = None,
    exclusions: Sequence[Any] | None = None,
) -> Callable[[_WindowFn], PartitionedConfig]:
    """Run config per hour: the decorated function takes the window's (start, end)."""
    pdef = HourlyPartitionsDefinition(
        start_date,
        minute_offset=minute_offset,
        timezone=timezone,
        fmt=fmt,
        end_offset=end_offset,
        exclusions=exclusions,
    )
    return lambda fn: _time_window_config(pdef, fn, tags_for_partition_fn)


def daily_partitioned_config(
    start_date: datetime | str,
    minute_offset: int = 0,
    hour_offset: int = 0,
    timezone: str | None = None,
    fmt: str | None = None,
    end_offset: int = 0,
    tags_for_partition_fn: _WindowTags = None,
    exclusions: Sequence[Any] | None = None,
) -> Callable[[_WindowFn], PartitionedConfig]:
    """Run config per day: the decorated function takes the window's (start, end)."""
    pdef = DailyPartitionsDefinition(
        start_date,
        minute_offset=minute_offset,
        hour_offset=hour_offset,
        timezone=timezone,
        fmt=fmt,
        end_offset=end_offset,
        exclusions=exclusions,
    )
    return lambda fn: _time_window_config(pdef, fn, tags_for_partition_fn)


def weekly_partitioned_config(
    start_date: datetime | str,
    minute_offset: int = 0,
    hour_offset: int = 0,
    day_offset: int = 0,
    timezone: str | None = None,
    fmt: str | None = None,
    end_offset: int = 0,
    tags_for_partition_fn: _WindowTags = None,
    exclusions: Sequence[Any] | None = None,
) -> Callable[[_WindowFn], PartitionedConfig]:
    """Run config per week: the decorated function takes the window's (start, end)."""
    pdef = WeeklyPartitionsDefinition(
        start_date,
        minute_offset=minute_offset,
        hour_offset=hour_offset,
        day_offset=day_offset,
        timezone=timezone,
        fmt=fmt,
        end_offset=end_offset,
        exclusions=exclusions,
    )
    return lambda fn: _time_window_config(pdef, fn, tags_for_partition_fn)


def monthly_partitioned_config(
    start_date: datetime | str,
    minute_offset: int = 0,
    hour_offset: int = 0,
    day_offset: int = 1,
    timezone: str | None = None,
    fmt: str | None = None,
    end_offset: int = 0,
    tags_for_partition_fn: _WindowTags = None,
    exclusions: Sequence[Any] | None = None,
) -> Callable[[_WindowFn], PartitionedConfig]:
    """Run config per month: the decorated function takes the window's (start, end)."""
    pdef = MonthlyPartitionsDefinition(
        start_date,
        minute_offset=minute_offset,
        hour_offset=hour_offset,
        day_offset=day_offset,
        timezone=timezone,
        fmt=fmt,
        end_offset=end_offset,
        exclusions=exclusions,
    )
    return lambda fn: _time_window_config(pdef, fn, tags_for_partition_fn)


__all__ = [
    "Partition",
    "PartitionedConfig",
    "daily_partitioned_config",
    "dynamic_partitioned_config",
    "hourly_partitioned_config",
    "monthly_partitioned_config",
    "static_partitioned_config",
    "weekly_partitioned_config",
]
