"""A running dbt command: its structured log read line by line as the nodes finish."""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from headwater.integrations.dbt.asset_decorator import DbtAssetsInfo
from headwater.integrations.dbt.cli_event import DbtCliEventMessage
from headwater.integrations.dbt.errors import DbtCliRuntimeError


class DbtCliInvocation:
    """What ``DbtCliResource.cli`` returns: ``stream()`` the events, ``wait()``, ``get_artifact(name)``."""

    def __init__(
        self,
        process: subprocess.Popen[str],
        *,
        args: list[str],
        project_dir: Path,
        target_path: Path,
        info: DbtAssetsInfo | None,
        context: Any,
        raise_on_error: bool,
    ) -> None:
        self.process = process
        self.args = args
        self.project_dir = project_dir
        self.target_path = target_path
        self.info = info
        self.context = context
        self.raise_on_error = raise_on_error
        self._events: list[DbtCliEventMessage] | None = None
        self._errors: list[str] = []
        self._consumed = False

    @property
    def manifest(self) -> Any:
        return self.info.manifest.raw if self.info is not None else self.get_artifact("manifest.json")

    def stream_raw_events(self) -> Iterator[DbtCliEventMessage]:
        """Each line dbt logs, as it arrives; lines that are not JSON are echoed to stdout."""
        if self._consumed:
            raise DbtCliRuntimeError(f"The output of `dbt {' '.join(self.args)}` was already read.")
        self._consumed = True
        assert self.process.stdout is not None
        finished = False
        try:
            for line in self.process.stdout:
                text = line.rstrip("\n")
                if not text:
                    continue
                try:
                    raw = json.loads(text)
                except ValueError:
                    print(text, flush=True)
                    continue
                if not isinstance(raw, dict):
                    continue
                event = DbtCliEventMessage(raw)
                if event.message:
                    print(event.message, flush=True)
                if event.log_level == "error" and event.message:
                    self._errors.append(event.message)
                yield event
            finished = True
        finally:
            # the reader stopped early (an error, or the step interrupted): dbt does not run on unobserved
            if not finished and self.process.poll() is None:
                self._terminate()
        self.process.wait()

    def _terminate(self, timeout: float = 25.0) -> None:
        """Stop dbt as Ctrl-C would (SIGINT lets it cancel its queries), then kill it if it lingers."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def stream(self) -> Iterator[Any]:
        """The Outputs, AssetMaterializations and AssetCheckResults of the nodes as each finishes;
        raises ``DbtCliRuntimeError`` at the end when dbt failed (unless ``raise_on_error=False``)."""
        selected: set[Any] | None = None
        if self.context is not None and self.info is not None:
            selected = set(self.context.selected_asset_keys) | set(self.context.selected_asset_check_keys)
        invocation_id: str | None = None
        for event in self.stream_raw_events():
            if invocation_id is None:
                invocation_id = event.raw_event.get("info", {}).get("invocation_id")
            yield from event.to_default_asset_events(self.info, selected, invocation_id)
        self._raise_if_failed()

    def wait(self) -> DbtCliInvocation:
        """Run dbt to its end (reading its log), then raise if it failed."""
        if not self._consumed:
            for _ in self.stream_raw_events():
                pass
        else:
            self.process.wait()
        self._raise_if_failed()
        return self

    def is_successful(self) -> bool:
        return self.process.wait() == 0

    def get_error(self) -> DbtCliRuntimeError | None:
        if self.is_successful():
            return None
        detail = "\n".join(self._errors[-20:]) or "(no error lines in its log)"
        return DbtCliRuntimeError(
            f"`dbt {' '.join(self.args)}` failed with exit code {self.process.returncode} in "
            f"{self.project_dir}:\n{detail}\nIts artifacts (run_results.json, logs) are in "
            f"{self.target_path}."
        )

    def _raise_if_failed(self) -> None:
        error = self.get_error()
        if error is not None and self.raise_on_error:
            raise error

    def get_artifact(self, artifact: str) -> Any:
        """A JSON artifact this invocation wrote: ``manifest.json``, ``run_results.json``, ..."""
        path = self.target_path / artifact
        if not path.exists():
            raise DbtCliRuntimeError(f"dbt wrote no {artifact} in {self.target_path}.")
        return json.loads(path.read_text())
