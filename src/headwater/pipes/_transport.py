"""The transport of the external side of Pipes: params from the environment, the context loader, the
message writers and the encoding (Dagster's protocol). Standard library only, like the package."""

from __future__ import annotations

import base64
import json
import os
import sys
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TextIO

PIPES_PROTOCOL_VERSION = "0.1"
PIPES_PROTOCOL_VERSION_FIELD = "__dagster_pipes_version"
DAGSTER_PIPES_CONTEXT_ENV_VAR = "DAGSTER_PIPES_CONTEXT"
DAGSTER_PIPES_MESSAGES_ENV_VAR = "DAGSTER_PIPES_MESSAGES"
PIPES_METADATA_TYPE_INFER = "__infer__"
METADATA_TYPES = frozenset(
    [
        "__infer__",
        "text",
        "url",
        "path",
        "notebook",
        "json",
        "md",
        "float",
        "int",
        "bool",
        "dagster_run",
        "asset",
        "null",
        "table",
        "table_schema",
        "table_column_lineage",
        "timestamp",
    ]
)

PipesParams = Mapping[str, Any]
PipesExtras = Mapping[str, Any]


class DagsterPipesError(Exception):
    """A Pipes call was used wrongly (bad parameter, no asset in scope, context closed...)."""


class DagsterPipesWarning(Warning):
    """Pipes is used in a process no orchestrator started."""


def encode_param(value: Any) -> str:
    """base64(zlib(json(value))): how params travel in environment variables."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        raise DagsterPipesError(
            f"Cannot encode {type(value).__name__}: it is not JSON-serializable."
        ) from None
    return base64.b64encode(zlib.compress(text.encode("utf-8"))).decode("utf-8")


def decode_param(value: str) -> Any:
    return json.loads(zlib.decompress(base64.b64decode(value)).decode("utf-8"))


encode_env_var, decode_env_var = encode_param, decode_param


def _message(method: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    return {PIPES_PROTOCOL_VERSION_FIELD: PIPES_PROTOCOL_VERSION, "method": method, "params": params}


# --- params ----------------------------------------------------------------------------------------
class PipesParamsLoader(ABC):
    """Where the params of the context loader and message writer come from."""

    @abstractmethod
    def is_dagster_pipes_process(self) -> bool: ...

    @abstractmethod
    def load_context_params(self) -> PipesParams: ...

    @abstractmethod
    def load_messages_params(self) -> PipesParams: ...


class PipesMappingParamsLoader(PipesParamsLoader):
    """Params from a mapping holding ``DAGSTER_PIPES_CONTEXT`` / ``DAGSTER_PIPES_MESSAGES``."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self._mapping = mapping

    def is_dagster_pipes_process(self) -> bool:
        return DAGSTER_PIPES_CONTEXT_ENV_VAR in self._mapping

    def load_context_params(self) -> PipesParams:
        return decode_param(self._mapping[DAGSTER_PIPES_CONTEXT_ENV_VAR])  # type: ignore[no-any-return]

    def load_messages_params(self) -> PipesParams:
        return decode_param(self._mapping[DAGSTER_PIPES_MESSAGES_ENV_VAR])  # type: ignore[no-any-return]


class PipesEnvVarParamsLoader(PipesMappingParamsLoader):
    """Params from this process's environment (the default)."""

    def __init__(self) -> None:
        super().__init__(os.environ)


# --- context ---------------------------------------------------------------------------------------
class PipesContextLoader(ABC):
    @abstractmethod
    @contextmanager
    def load_context(self, params: PipesParams) -> Iterator[Mapping[str, Any]]: ...


class PipesDefaultContextLoader(PipesContextLoader):
    """The context from a JSON file (``{"path": ...}``) or inline (``{"data": {...}}``)."""

    FILE_PATH_KEY = "path"
    DIRECT_KEY = "data"

    @contextmanager
    def load_context(self, params: PipesParams) -> Iterator[Mapping[str, Any]]:
        if self.FILE_PATH_KEY in params:
            with open(str(params[self.FILE_PATH_KEY]), encoding="utf-8") as f:
                yield json.load(f)
        elif self.DIRECT_KEY in params and isinstance(params[self.DIRECT_KEY], dict):
            yield params[self.DIRECT_KEY]
        else:
            raise DagsterPipesError(
                f'Invalid params for {type(self).__name__}: expected key "path" or "data", '
                f"got {dict(params)}."
            )


# --- messages --------------------------------------------------------------------------------------
class PipesMessageWriterChannel(ABC):
    @abstractmethod
    def write_message(self, message: Mapping[str, Any]) -> None: ...


class PipesMessageWriter(ABC):
    @abstractmethod
    @contextmanager
    def open(self, params: PipesParams) -> Iterator[PipesMessageWriterChannel]: ...

    def get_opened_payload(self) -> dict[str, Any]:
        return {"extras": self.get_opened_extras()}

    def get_opened_extras(self) -> PipesExtras:
        return {}


class PipesFileMessageWriterChannel(PipesMessageWriterChannel):
    """One JSON message per line, appended to a file."""

    def __init__(self, path: str) -> None:
        self._path = path

    def write_message(self, message: Mapping[str, Any]) -> None:
        with open(self._path, "a", encoding="utf-8") as f:
            f.write(json.dumps(message) + "\n")


class PipesStreamMessageWriterChannel(PipesMessageWriterChannel):
    """One JSON message per line, on a stream (stdout or stderr)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write_message(self, message: Mapping[str, Any]) -> None:
        self._stream.write(json.dumps(message) + "\n")
        self._stream.flush()


class PipesDefaultMessageWriter(PipesMessageWriter):
    """Messages to a file (``{"path": ...}``) or a standard stream (``{"stdio": "stderr"}``)."""

    FILE_PATH_KEY = "path"
    STDIO_KEY = "stdio"

    @contextmanager
    def open(self, params: PipesParams) -> Iterator[PipesMessageWriterChannel]:
        if self.FILE_PATH_KEY in params:
            yield PipesFileMessageWriterChannel(str(params[self.FILE_PATH_KEY]))
        elif params.get(self.STDIO_KEY) in ("stdout", "stderr"):
            yield PipesStreamMessageWriterChannel(
                sys.stdout if params[self.STDIO_KEY] == "stdout" else sys.stderr
            )
        else:
            raise DagsterPipesError(
                f'Invalid params for {type(self).__name__}: expected key "path" or "stdio", '
                f"got {dict(params)}. "
                "The orchestration side's message reader may expect another message writer: pass it as "
                "`message_writer` to `open_dagster_pipes`."
            )
