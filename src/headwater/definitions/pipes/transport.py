"""How context reaches the external process and messages come back: context injectors and message
readers (Dagster's ``PipesContextInjector`` / ``PipesMessageReader`` and their temp-file and env forms).

An injector and a reader are context managers around the external process: each yields the params the
process needs (``{"path": ...}`` or ``{"data": ...}``), which travel in ``DAGSTER_PIPES_CONTEXT`` and
``DAGSTER_PIPES_MESSAGES``. A reader is polled by the session (no thread): each ``poll()`` hands the
new complete lines of the messages file to the handler.
"""

from __future__ import annotations

import abc
import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from typing import Any

PipesParams = Mapping[str, Any]


class PipesContextInjector(abc.ABC):
    """Makes the context data available to the external process."""

    @abc.abstractmethod
    @contextlib.contextmanager
    def inject_context(self, context_data: Mapping[str, Any]) -> Iterator[PipesParams]: ...

    def no_messages_debug_text(self) -> str:
        return ""


class PipesTempFileContextInjector(PipesContextInjector):
    """Writes the context to a JSON file in a temporary directory (``{"path": ...}``); the default."""

    @contextlib.contextmanager
    def inject_context(self, context_data: Mapping[str, Any]) -> Iterator[PipesParams]:
        folder = tempfile.mkdtemp(prefix="headwater-pipes-context-")
        try:
            path = os.path.join(folder, "context.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(context_data, f)
            yield {"path": path}
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def no_messages_debug_text(self) -> str:
        return "Attempted to inject context via a temporary file."


class PipesEnvContextInjector(PipesContextInjector):
    """Passes the context inline, in the environment variable itself (``{"data": ...}``)."""

    @contextlib.contextmanager
    def inject_context(self, context_data: Mapping[str, Any]) -> Iterator[PipesParams]:
        yield {"data": dict(context_data)}

    def no_messages_debug_text(self) -> str:
        return "Attempted to inject context directly, typically as an environment variable."


MessageCallback = Callable[[Mapping[str, Any]], None]


class PipesMessageReader(abc.ABC):
    """Collects the messages the external process writes."""

    @abc.abstractmethod
    @contextlib.contextmanager
    def read_messages(self, handler: MessageCallback) -> Iterator[PipesParams]: ...

    def poll(self) -> None:  # noqa: B027 - optional: readers that get messages otherwise need none
        """Hand any new messages to the handler (called while the process runs and at the end)."""

    def no_messages_debug_text(self) -> str:
        return ""


class PipesTempFileMessageReader(PipesMessageReader):
    """The external process appends JSON lines to a file in a temporary directory; the default."""

    def __init__(self, include_stdio_in_messages: bool = False) -> None:
        self.include_stdio_in_messages = include_stdio_in_messages
        self._path: str | None = None
        self._offset = 0
        self._handler: MessageCallback | None = None

    @contextlib.contextmanager
    def read_messages(self, handler: MessageCallback) -> Iterator[PipesParams]:
        folder = tempfile.mkdtemp(prefix="headwater-pipes-messages-")
        self._path = os.path.join(folder, "messages")
        self._offset = 0
        self._handler = handler
        try:
            yield {"path": self._path}
            self.poll()
        finally:
            self._path = None
            self._handler = None
            shutil.rmtree(folder, ignore_errors=True)

    def poll(self) -> None:
        path, handler = self._path, self._handler
        if path is None or handler is None:
            return
        try:
            with open(path, "rb") as f:
                f.seek(self._offset)
                chunk = f.read()
        except FileNotFoundError:
            return
        end = chunk.rfind(b"\n")
        if end < 0:
            return
        self._offset += end + 1
        for line in chunk[: end + 1].splitlines():
            if line.strip():
                handler(json.loads(line))

    def no_messages_debug_text(self) -> str:
        return "Attempted to read messages from a temporary file."
