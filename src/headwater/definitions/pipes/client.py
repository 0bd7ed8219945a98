"""``PipesSubprocessClient``: run a command as a Pipes process from an asset or op (a resource).

::

    @asset
    def orders(context: AssetExecutionContext, pipes_subprocess_client: PipesSubprocessClient):
        return pipes_subprocess_client.run(
            command=[sys.executable, "orders.py"], context=context, extras={"day": "2024-01-01"}
        ).get_materialize_result()

The child gets ``DAGSTER_PIPES_CONTEXT`` / ``DAGSTER_PIPES_MESSAGES`` and, on ``PYTHONPATH``, the folder
of the ``dagster_pipes`` alias of ``headwater.pipes`` (``HEADWATER_PIPES_ALIAS=0``: not). Its log lines
reach the run while it runs; a non-zero exit fails the step (``PipesExecutionError``, a ``Failure``:
RetryPolicy retries it).
"""

from __future__ import annotations

import abc
import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from headwater.definitions.pipes.session import PipesSession, open_pipes_session
from headwater.definitions.pipes.transport import (
    PipesContextInjector,
    PipesMessageReader,
    PipesTempFileContextInjector,
    PipesTempFileMessageReader,
)
from headwater.definitions.results import Failure
from headwater.errors import InvalidDefinitionError, InvalidInvocationError

#: The folder holding ``dagster_pipes.py``, a loader of the standalone ``headwater/pipes.py``.
PIPES_ALIAS_PATH = str(Path(__file__).resolve().parent.parent.parent / "_pipes_alias")
_POLL_SECONDS = 0.05


class PipesExecutionError(Failure):
    """The external process of a Pipes session failed (non-zero exit, or reported an exception)."""


class TreatAsResourceParam:
    """Marks a class whose instances a compute function takes as a resource parameter by annotation."""


class PipesClient(TreatAsResourceParam, abc.ABC):
    """Runs an external process in a Pipes session; ``run`` returns the completed invocation."""

    @abc.abstractmethod
    def run(self, *, context: Any, extras: Mapping[str, Any] | None = None, **kwargs: Any) -> Any: ...


class PipesClientCompletedInvocation:
    """What a finished external process reported."""

    def __init__(self, session: PipesSession, metadata: Mapping[str, Any] | None = None) -> None:
        self._session = session
        self.metadata = dict(metadata or {})

    def get_results(self) -> Sequence[Any]:
        """Every ``MaterializeResult`` and ``AssetCheckResult`` reported (return them from the asset)."""
        return self._session.get_results()

    def get_materialize_result(self) -> Any:
        """The one ``MaterializeResult`` (with the check results of its asset attached)."""
        from headwater.definitions.results import AssetCheckResult, MaterializeResult

        results = self.get_results()
        materializations = [r for r in results if isinstance(r, MaterializeResult)]
        if len(materializations) != 1:
            raise InvalidInvocationError(
                f"get_materialize_result expects exactly one materialization, got {len(materializations)}: "
                "use get_results() when the process reports several (or none)."
            )
        [result] = materializations
        checks = [r for r in results if isinstance(r, AssetCheckResult)]
        if checks:
            result.check_results = [*result.check_results, *checks]
        return result

    def get_asset_check_result(self) -> Any:
        from headwater.definitions.results import AssetCheckResult

        checks = [r for r in self.get_results() if isinstance(r, AssetCheckResult)]
        if len(checks) != 1:
            raise InvalidInvocationError(
                f"get_asset_check_result expects exactly one check result, got {len(checks)}."
            )
        return checks[0]

    def get_custom_messages(self) -> Sequence[Any]:
        return self._session.get_custom_messages()


def wait_polling(
    process: subprocess.Popen[Any],
    session: PipesSession,
    context: Any,
    forward_termination: bool,
    timeout: float,
) -> None:
    """Wait for ``process``, taking in its messages as they come; on an interrupt, SIGINT it first."""
    try:
        while process.poll() is None:
            session.poll()
            try:
                process.wait(_POLL_SECONDS)
            except subprocess.TimeoutExpired:
                pass
    except BaseException:
        if forward_termination and process.poll() is None:
            context.log.info("[pipes] execution interrupted, sending SIGINT to subprocess.")
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
        raise


def child_env(session: PipesSession, *envs: Mapping[str, str] | None) -> dict[str, str]:
    """The environment of a Pipes child: ours, ``envs``, the bootstrap variables and the alias path."""
    env = dict(os.environ)
    for extra in envs:
        env.update(extra or {})
    env.update(session.get_bootstrap_env_vars())
    if env.get("HEADWATER_PIPES_ALIAS", "1") != "0":
        path = env.get("PYTHONPATH")
        env["PYTHONPATH"] = PIPES_ALIAS_PATH + (os.pathsep + path if path else "")
    return env


class PipesSubprocessClient(PipesClient):
    """Runs a command in a subprocess with the Pipes env vars (context in a temp file, messages read
    back from a temp file, by default)."""

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        context_injector: PipesContextInjector | None = None,
        message_reader: PipesMessageReader | None = None,
        forward_termination: bool = True,
        forward_stdio: bool = True,
        termination_timeout_seconds: float = 20,
    ) -> None:
        if env is not None and not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
            raise InvalidDefinitionError("PipesSubprocessClient(env=...) takes a dict of str -> str.")
        self.env = dict(env or {})
        self.cwd = cwd
        self.context_injector = context_injector or PipesTempFileContextInjector()
        self.message_reader = message_reader or PipesTempFileMessageReader()
        self.forward_termination = forward_termination
        self.forward_stdio = forward_stdio
        self.termination_timeout_seconds = termination_timeout_seconds

    def run(  # type: ignore[override]
        self,
        *,
        context: Any,
        command: str | Sequence[str],
        extras: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
    ) -> PipesClientCompletedInvocation:
        """Run ``command`` to completion in a Pipes session for the step of ``context``."""
        if not command:
            raise InvalidInvocationError("PipesSubprocessClient.run needs a command (a list of arguments).")
        with open_pipes_session(context, self.context_injector, self.message_reader, extras) as session:
            out = None if self.forward_stdio else subprocess.DEVNULL
            try:
                process = subprocess.Popen(
                    command,
                    cwd=cwd or self.cwd,
                    env=child_env(session, self.env, env),
                    stdout=out,
                    stderr=out,
                    shell=isinstance(command, str),
                )
            except OSError as exc:
                raise PipesExecutionError(f"Could not start the external process {command!r}: {exc}") from exc
            wait_polling(
                process, session, context, self.forward_termination, self.termination_timeout_seconds
            )
            if process.returncode != 0:
                raise PipesExecutionError(
                    f"External execution process failed with code {process.returncode}",
                    metadata={"return_code": process.returncode},
                )
        return PipesClientCompletedInvocation(session)
