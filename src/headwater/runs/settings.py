"""The run sections of ``headwater.yaml``: ``run_coordinator``, ``run_launcher``, ``run_monitoring``.

```yaml
run_coordinator:
  queued:                          # or `immediate: {}` (the default: launch at once)
    max_concurrent_runs: 10        # -1: no limit
    tag_concurrency_limits:
      - {key: database, value: redshift, limit: 2}
      - {key: team, value: {applyLimitPerUniqueValue: true}, limit: 1}
      - {key: heavy, limit: 1}     # every run with the tag, whatever its value
run_launcher:
  default: {}                      # a detached `headwater run-worker` process on this machine
run_monitoring:
  enabled: true
  heartbeat_interval_seconds: 5    # how often a run worker writes its heartbeat
  heartbeat_timeout_seconds: 60    # a STARTING/STARTED run silent this long is marked FAILURE
  cancel_grace_period_seconds: 10  # SIGTERM -> SIGKILL
  poll_interval_seconds: 30        # how often the daemon checks the runs in progress
```

Dagster's form is accepted too: ``run_coordinator: {module: ..., class: QueuedRunCoordinator,
config: {...}}`` (``DefaultRunCoordinator`` = immediate), likewise ``class: DefaultRunLauncher``.
Unknown keys are errors naming the key and what is allowed.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from headwater.storage.errors import StorageConfigError

SECTIONS = ("run_coordinator", "run_launcher", "run_monitoring")
_COORDINATORS = {"immediate": "immediate", "queued": "queued"}
_DAGSTER_COORDINATORS = {
    "DefaultRunCoordinator": "immediate",
    "ImmediateRunCoordinator": "immediate",
    "SyncInMemoryRunCoordinator": "immediate",
    "QueuedRunCoordinator": "queued",
}
_QUEUE_KEYS = (
    "max_concurrent_runs",
    "tag_concurrency_limits",
    "dequeue_interval_seconds",
    "max_user_code_failure_retries",
    "user_code_failure_retry_delay",
    "dequeue_use_threads",
    "dequeue_num_workers",
    "block_op_concurrency_limited_runs",
)
_LIMIT_KEYS = ("key", "value", "limit")
_MONITORING_KEYS = (
    "enabled",
    "heartbeat_interval_seconds",
    "heartbeat_timeout_seconds",
    "cancel_grace_period_seconds",
    "start_timeout_seconds",
    "cancel_timeout_seconds",
    "poll_interval_seconds",
    "max_resume_run_attempts",
)


class RunsConfigError(StorageConfigError):
    """A run section of ``headwater.yaml`` is malformed."""


@dataclass(frozen=True, slots=True)
class TagConcurrencyLimit:
    """At most ``limit`` runs in progress with tag ``key`` (= ``value`` if given; per distinct value if
    ``per_unique_value``)."""

    key: str
    limit: int
    value: str | None = None
    per_unique_value: bool = False

    @staticmethod
    def parse(raw: Any, where: str) -> TagConcurrencyLimit:
        _check_keys(raw, where, _LIMIT_KEYS)
        key, limit, value = raw.get("key"), raw.get("limit"), raw.get("value")
        if not isinstance(key, str) or not key:
            raise RunsConfigError(f"{where}.key must be a non-empty string; got {key!r}.")
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            raise RunsConfigError(f"{where}.limit must be a non-negative integer; got {limit!r}.")
        if isinstance(value, Mapping):
            _check_keys(value, f"{where}.value", ("applyLimitPerUniqueValue",))
            per_unique = value.get("applyLimitPerUniqueValue")
            if not isinstance(per_unique, bool):
                raise RunsConfigError(f"{where}.value.applyLimitPerUniqueValue must be true or false.")
            return TagConcurrencyLimit(key, limit, None, per_unique)
        if value is not None and not isinstance(value, str):
            raise RunsConfigError(
                f"{where}.value must be a string or {{applyLimitPerUniqueValue: true}}; got {value!r}."
            )
        return TagConcurrencyLimit(key, limit, value)


@dataclass(frozen=True, slots=True)
class RunsSettings:
    coordinator: str = "immediate"  # "immediate" | "queued"
    max_concurrent_runs: int = -1
    tag_concurrency_limits: tuple[TagConcurrencyLimit, ...] = ()
    dequeue_interval_seconds: float = 2.0
    monitoring_enabled: bool = True
    heartbeat_interval_seconds: float = 5.0
    heartbeat_timeout_seconds: float = 60.0
    cancel_grace_period_seconds: float = 10.0
    #: How often the daemon's run monitoring loop checks the runs in progress.
    monitoring_poll_interval_seconds: float = 30.0
    extra: Mapping[str, Any] = field(default_factory=dict)

    @staticmethod
    def from_config(config: Mapping[str, Any] | None) -> RunsSettings:
        """Settings from the whole ``headwater.yaml`` mapping (other sections are ignored here)."""
        config = config or {}
        values: dict[str, Any] = {}
        coordinator = config.get("run_coordinator")
        if coordinator is not None:
            kind, settings = _pick(coordinator, "run_coordinator", _COORDINATORS, _DAGSTER_COORDINATORS)
            values["coordinator"] = kind
            if kind == "queued":
                values.update(_queue_settings(settings))
            elif settings:
                _check_keys(settings, "run_coordinator.immediate", ())
        launcher = config.get("run_launcher")
        if launcher is not None:
            _, settings = _pick(
                launcher, "run_launcher", {"default": "default"}, {"DefaultRunLauncher": "default"}
            )
            if settings:
                _check_keys(settings, "run_launcher.default", ())
        monitoring = config.get("run_monitoring")
        if monitoring is not None:
            values.update(_monitoring_settings(monitoring))
        return RunsSettings(**values)


def _unknown(key: object, where: str, allowed: tuple[str, ...]) -> RunsConfigError:
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return RunsConfigError(
        f"Unknown key {key!r} at {where} in headwater.yaml.{hint} "
        f"Allowed here: {', '.join(allowed) or 'none'}."
    )


def _check_keys(section: Any, where: str, allowed: tuple[str, ...]) -> None:
    if not isinstance(section, Mapping):
        raise RunsConfigError(f"{where} in headwater.yaml must be a mapping; got {section!r}.")
    for key in section:
        if key not in allowed:
            raise _unknown(key, where, allowed)


def _pick(
    section: Any, where: str, kinds: Mapping[str, str], dagster: Mapping[str, str]
) -> tuple[str, Mapping[str, Any]]:
    """``{kind: settings}`` or Dagster's ``{module, class, config}`` -> (kind, settings)."""
    _check_keys(section, where, (*kinds, "module", "class", "config"))
    if "class" in section:
        name = section["class"]
        if name not in dagster:
            raise RunsConfigError(
                f"{where}.class {name!r} is not supported; use one of {', '.join(dagster)}."
            )
        return dagster[name], section.get("config") or {}
    if len(section) != 1:
        raise RunsConfigError(f"{where} must name exactly one of {', '.join(kinds)}; got {list(section)}.")
    [(name, settings)] = section.items()
    return kinds[name], settings or {}


def _number(value: Any, where: str, *, minimum: float = 0.0) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or value < minimum:
        raise RunsConfigError(f"{where} must be a number >= {minimum:g}; got {value!r}.")
    return float(value)


def _queue_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    where = "run_coordinator.queued"
    _check_keys(settings, where, _QUEUE_KEYS)
    out: dict[str, Any] = {}
    if "max_concurrent_runs" in settings:
        limit = settings["max_concurrent_runs"]
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < -1:
            raise RunsConfigError(f"{where}.max_concurrent_runs must be an integer >= -1; got {limit!r}.")
        out["max_concurrent_runs"] = limit
    raw_limits = settings.get("tag_concurrency_limits") or []
    if not isinstance(raw_limits, list):
        raise RunsConfigError(f"{where}.tag_concurrency_limits must be a list; got {raw_limits!r}.")
    out["tag_concurrency_limits"] = tuple(
        TagConcurrencyLimit.parse(raw, f"{where}.tag_concurrency_limits[{i}]")
        for i, raw in enumerate(raw_limits)
    )
    if "dequeue_interval_seconds" in settings:
        out["dequeue_interval_seconds"] = _number(
            settings["dequeue_interval_seconds"], f"{where}.dequeue_interval_seconds"
        )
    return out


def _monitoring_settings(section: Any) -> dict[str, Any]:
    where = "run_monitoring"
    _check_keys(section, where, _MONITORING_KEYS)
    out: dict[str, Any] = {}
    if "enabled" in section:
        if not isinstance(section["enabled"], bool):
            raise RunsConfigError(f"{where}.enabled must be true or false.")
        out["monitoring_enabled"] = section["enabled"]
    for key in ("heartbeat_interval_seconds", "heartbeat_timeout_seconds", "cancel_grace_period_seconds"):
        if key in section:
            out[key] = _number(section[key], f"{where}.{key}", minimum=0.01)
    if "poll_interval_seconds" in section:
        out["monitoring_poll_interval_seconds"] = _number(
            section["poll_interval_seconds"], f"{where}.poll_interval_seconds", minimum=0.01
        )
    return out
