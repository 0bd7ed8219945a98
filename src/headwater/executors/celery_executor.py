"""The Celery executor: each step a Celery task, run by workers of ``headwater celery worker``.

``celery_executor`` (Dagster's ``dagster_celery.celery_executor``) takes Dagster's config, in code
(``celery_executor.configured({...})``) or in run config::

    execution:
      config:
        broker: redis://broker-host:6379/0   # default $HEADWATER_CELERY_BROKER, else pyamqp://guest@localhost//
        backend: redis://broker-host:6379/1  # default $HEADWATER_CELERY_BACKEND, else rpc://
        include: [my_project.tasks]          # modules the workers import
        config_source: {broker_transport_options: {visibility_timeout: 600}}   # any Celery setting
        retries: {enabled: {}}

Op tags route steps: ``dagster-celery/queue`` (default queue ``dagster``) and
``dagster-celery/priority`` (an integer, higher first; default 5). The run's store must be shared
with the workers (PostgreSQL or MySQL across machines), and so must the IO managers' storage.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from headwater.definitions.config_chain import ConfigChain, is_config_fn
from headwater.definitions.executor_definition import ExecutorDefinition
from headwater.errors import ConfigErrorEntry, InvalidConfigError, UnmetExecutorRequirementsError
from headwater.execution.run_context import RunContext
from headwater.executors import celery_app
from headwater.executors.limits import ConcurrencyLimiter
from headwater.executors.remote_driver import RemoteDriver, check_shared_store, started_event
from headwater.executors.run_checks import check_io_managers, fail_run
from headwater.executors.step_task import StepDone, StepTask, decode_done, encode_task
from headwater.planning.active_execution import StepInstance

QUEUE_TAG = "dagster-celery/queue"
PRIORITY_TAG = "dagster-celery/priority"
_KEYS = ("broker", "backend", "include", "config_source", "retries")
_PREAMBLE = "Error in celery executor config"
_FAILED = ("FAILURE", "REVOKED")


def _config_error(message: str, *path: str) -> InvalidConfigError:
    return InvalidConfigError(_PREAMBLE, [ConfigErrorEntry(message, ("execution", "config", *path))])


class CeleryExecutor(ExecutorDefinition):
    """Runs each step as a Celery task (see the module docstring)."""

    def __init__(
        self,
        broker: str | None = None,
        backend: str | None = None,
        include: Sequence[str] = (),
        config_source: Mapping[str, Any] | None = None,
        *,
        name: str = "celery",
    ) -> None:
        super().__init__(name, description="Execute each step as a Celery task.")
        self.broker = broker
        self.backend = backend
        self.include = tuple(include)
        self.config_source = dict(config_source or {})
        self._config_fn: tuple[Any, ConfigChain] | None = None

    def __repr__(self) -> str:
        return f"CeleryExecutor(broker={self.broker!r}, backend={self.backend!r})"

    def configured(
        self,
        config_or_config_fn: Any,
        name: str | None = None,
        config_schema: Any = None,
        description: str | None = None,
    ) -> CeleryExecutor:
        """A copy with Dagster's celery executor config applied, or a function of run config."""
        out = CeleryExecutor(
            self.broker, self.backend, self.include, self.config_source, name=name or self.name
        )
        if is_config_fn(config_or_config_fn):
            out._config_fn = (config_or_config_fn, ConfigChain(config_schema))
        else:
            out._config_fn = self._config_fn
            out._apply(config_or_config_fn)
        return out

    def _apply(self, config: Any) -> None:
        if not isinstance(config, Mapping):
            raise _config_error(f"Executor config must be a dict; got {config!r}.")
        unknown = sorted(set(config) - set(_KEYS))
        if unknown:
            raise _config_error(
                f"Unexpected entries {unknown} in the celery executor config; expected {list(_KEYS)}."
            )
        for key in ("broker", "backend"):
            if key in config:
                value = config[key]
                if value is not None and not isinstance(value, str):
                    raise _config_error(f"{key} must be a URL string; got {value!r}.", key)
                setattr(self, key, value)
        if "include" in config:
            include = config["include"] or []
            if not isinstance(include, list | tuple) or not all(isinstance(m, str) for m in include):
                raise _config_error(f"include must be a list of module names; got {include!r}.", "include")
            self.include = tuple(include)
        if "config_source" in config:
            source = config["config_source"] or {}
            if not isinstance(source, Mapping):
                raise _config_error(
                    f"config_source must be a dict of Celery settings; got {source!r}.", "config_source"
                )
            self.config_source = dict(source)

    def _for_run(self, run: RunContext) -> CeleryExecutor:
        execution = run.run_config.get("execution") or {}
        config = execution.get("config") if isinstance(execution, Mapping) else None
        if self._config_fn is not None:
            fn, chain = self._config_fn
            return self.configured(
                fn(chain.process(config, path=("execution", "config"), preamble=_PREAMBLE)) or {}
            )
        return self.configured(config) if config else self

    def app(self) -> Any:
        return celery_app.make_app(self.broker, self.backend, self.include, self.config_source)

    def execute(self, run: RunContext) -> None:
        settings = self._for_run(run)
        try:
            check_shared_store(run, "celery")
            check_io_managers(run, "celery")
            app = settings.app()
        except UnmetExecutorRequirementsError as exc:
            fail_run(run, exc)
            raise
        transport = CeleryTransport(app)
        driver = RemoteDriver(run, transport, ConcurrencyLimiter({}, ()), "celery")
        started_event(
            run, "celery", f"broker {_safe(app.conf.broker_url)}", {"broker": _safe(app.conf.broker_url)}
        )
        driver.drive()


def _safe(url: str | None) -> str:
    """A broker URL without its password."""
    if not url or "@" not in url or "://" not in url:
        return url or ""
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}@{host}"


class CeleryTransport:
    """Step tasks through a Celery app: ``apply_async`` to the step's queue, results polled from the
    backend, revoked (terminating the running ones) on cancel."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.task = app.tasks[celery_app.TASK_NAME]
        self.broker = str(app.conf.broker_url or "")
        self._delay = 0.001

    def submit(self, task: StepTask, inst: StepInstance) -> Any:
        tags = inst.step.node.tags
        queue = tags.get(QUEUE_TAG) or self.app.conf.task_default_queue
        try:
            priority = int(tags.get(PRIORITY_TAG, celery_app.DEFAULT_PRIORITY))
        except ValueError:
            priority = celery_app.DEFAULT_PRIORITY
        return self.task.apply_async(
            (encode_task(task),),
            queue=queue,
            priority=celery_app.priority_for(self.broker, priority),
        )

    def wait(self, handles: dict[str, Any], timeout: float) -> list[tuple[str, StepDone | BaseException]]:
        deadline = time.monotonic() + timeout
        while True:
            out = self._finished(handles)
            if out:
                self._delay = 0.001
                return out
            now = time.monotonic()
            if now >= deadline:
                return out
            time.sleep(min(self._delay, deadline - now))
            self._delay = min(self._delay * 1.5, 0.05)

    def _finished(self, handles: dict[str, Any]) -> list[tuple[str, StepDone | BaseException]]:
        """The tasks among ``handles`` that ended: one MGET on a key-value backend (Redis), else one
        ``ready()`` per task (the rpc:// backend drains its reply queue once per call)."""
        backend = self.app.backend
        items = list(handles.items())
        ready: list[tuple[str, Any]] = []
        if hasattr(backend, "mget") and hasattr(backend, "get_key_for_task"):
            values = backend.mget([backend.get_key_for_task(r.id) for _, r in items])
            for (key, result), value in zip(items, values, strict=True):
                if value is None:
                    continue
                meta = backend.decode_result(value)
                if meta.get("status") == "SUCCESS":
                    ready.append((key, decode_done(meta["result"])))
                elif meta.get("status") in _FAILED:
                    ready.append((key, result))
        else:
            ready = [(key, result) for key, result in items if result.ready()]
        out: list[tuple[str, StepDone | BaseException]] = []
        for key, answer in ready:
            if isinstance(answer, StepDone):
                out.append((key, answer))
            elif answer.successful():
                out.append((key, decode_done(answer.result)))
            else:
                error = answer.result
                out.append((key, error if isinstance(error, BaseException) else RuntimeError(str(error))))
        return out

    def cancel(self, handles: Iterable[Any]) -> None:
        for result in handles:
            try:
                result.revoke(terminate=True, signal="SIGTERM")
            except Exception:
                pass


#: Dagster's ``dagster_celery.celery_executor``: ``@job(executor_def=celery_executor)``.
celery_executor = CeleryExecutor()
