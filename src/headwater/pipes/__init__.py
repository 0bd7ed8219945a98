"""The external side of Pipes: what a process started by Headwater (or Dagster) uses to report back.

Standalone (the standard library only, Python 3.9+) and speaking Dagster's Pipes protocol, so it is
interchangeable with the ``dagster-pipes`` package; in a child of ``PipesSubprocessClient`` it is
``dagster_pipes`` (see docs/guide.md, "Pipes")::

    with open_dagster_pipes() as pipes:
        pipes.log.info(f"materializing {pipes.asset_key}")
        pipes.report_asset_materialization(metadata={"rows": 42})

Protocol: ``DAGSTER_PIPES_CONTEXT`` / ``DAGSTER_PIPES_MESSAGES`` hold base64(zlib(JSON)) params
(``{"path": file}`` or ``{"data": context}``; ``{"path": file}`` or ``{"stdio": "stderr"}``); the process
writes one JSON message a line, ``{"__dagster_pipes_version": "0.1", "method": ..., "params": ...}``.
"""

from __future__ import annotations

import logging
import traceback
import warnings
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from typing import Any, ClassVar

from ._transport import (
    DAGSTER_PIPES_CONTEXT_ENV_VAR,
    DAGSTER_PIPES_MESSAGES_ENV_VAR,
    METADATA_TYPES,
    PIPES_METADATA_TYPE_INFER,
    PIPES_PROTOCOL_VERSION,
    PIPES_PROTOCOL_VERSION_FIELD,
    DagsterPipesError,
    DagsterPipesWarning,
    PipesContextLoader,
    PipesDefaultContextLoader,
    PipesDefaultMessageWriter,
    PipesEnvVarParamsLoader,
    PipesExtras,
    PipesFileMessageWriterChannel,
    PipesMappingParamsLoader,
    PipesMessageWriter,
    PipesMessageWriterChannel,
    PipesParams,
    PipesParamsLoader,
    PipesStreamMessageWriterChannel,
    _message,
    decode_env_var,
    decode_param,
    encode_env_var,
    encode_param,
)


# --- the context -----------------------------------------------------------------------------------
def _exception_payload(exc: BaseException | None) -> dict[str, Any] | None:
    if exc is None:
        return None
    tb = traceback.TracebackException.from_exception(exc)
    return {
        "message": "".join(tb.format_exception_only()).strip(),
        "stack": tb.stack.format(),
        "name": type(exc).__name__,
        "cause": _exception_payload(exc.__cause__),
        "context": None if exc.__suppress_context__ else _exception_payload(exc.__context__),
    }


def _check_metadata(metadata: Any, method: str) -> dict[str, Any] | None:
    if not metadata:
        return None
    if not isinstance(metadata, dict):
        raise DagsterPipesError(f"Invalid type for parameter `metadata` of `{method}`: expected a dict.")
    out: dict[str, Any] = {}
    for key, value in metadata.items():
        if not isinstance(key, str):
            raise DagsterPipesError(f"Invalid metadata key {key!r} in `{method}`: keys must be strings.")
        typed = isinstance(value, dict) and set(value) == {"raw_value", "type"}
        if typed and value["type"] not in METADATA_TYPES:
            raise DagsterPipesError(f"Invalid metadata type {value['type']!r} for `{key}` in `{method}`.")
        out[key] = value if typed else {"raw_value": value, "type": PIPES_METADATA_TYPE_INFER}
    return out


class _PipesLogHandler(logging.Handler):
    def __init__(self, context: PipesContext) -> None:
        super().__init__()
        self._context = context

    def emit(self, record: logging.LogRecord) -> None:
        self._context._write("log", {"message": record.getMessage(), "level": record.levelname})


class PipesContext:
    """The context of the step that started this process: asset keys, partition, run id, extras; and
    the methods that report results back. Get it from ``open_dagster_pipes()``."""

    _instance: ClassVar[PipesContext | None] = None

    @classmethod
    def is_initialized(cls) -> bool:
        return cls._instance is not None

    @classmethod
    def set(cls, context: PipesContext) -> None:
        cls._instance = context

    @classmethod
    def get(cls) -> PipesContext:
        if cls._instance is None:
            raise DagsterPipesError(
                "PipesContext has not been initialized. You must call `open_dagster_pipes()`."
            )
        return cls._instance

    def __init__(
        self,
        params_loader: PipesParamsLoader,
        context_loader: PipesContextLoader,
        message_writer: PipesMessageWriter,
    ) -> None:
        self._io = ExitStack()
        self._data: Mapping[str, Any] = self._io.enter_context(
            context_loader.load_context(params_loader.load_context_params())
        )
        self._channel = self._io.enter_context(message_writer.open(params_loader.load_messages_params()))
        self._closed = False
        self._materialized: set[str] = set()
        self._channel.write_message(_message("opened", message_writer.get_opened_payload()))
        self._logger = logging.Logger("dagster_pipes", level=logging.DEBUG)
        self._logger.addHandler(_PipesLogHandler(self))

    def __enter__(self) -> PipesContext:
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        self.close(_exception_payload(exc))

    def close(self, exc: Mapping[str, Any] | None = None) -> None:
        """Tell the orchestrator this process is done (with the exception that ended it, if any)."""
        if not self._closed:
            self._channel.write_message(_message("closed", {"exception": exc} if exc else {}))
            self._io.close()
            self._closed = True

    @property
    def is_closed(self) -> bool:
        return self._closed

    def _write(self, method: str, params: Mapping[str, Any] | None = None) -> None:
        if self._closed:
            raise DagsterPipesError("Cannot send message after pipes context is closed.")
        self._channel.write_message(_message(method, params))

    # -- what the orchestrator passed -----------------------------------------------------------------
    def _assets(self, what: str) -> Sequence[str]:
        keys = self._data.get("asset_keys")
        if keys is None:
            raise DagsterPipesError(f"`{what}` is undefined. Current step does not target an asset.")
        return list(keys)

    def _one_asset(self, what: str) -> str:
        keys = self._assets(what)
        if len(keys) != 1:
            raise DagsterPipesError(f"`{what}` is undefined. Current step targets multiple assets.")
        return keys[0]

    @property
    def is_asset_step(self) -> bool:
        return self._data.get("asset_keys") is not None

    @property
    def asset_key(self) -> str:
        return self._one_asset("asset_key")

    @property
    def asset_keys(self) -> Sequence[str]:
        return self._assets("asset_keys")

    @property
    def code_version_by_asset_key(self) -> Mapping[str, str | None]:
        self._assets("code_version_by_asset_key")
        return dict(self._data.get("code_version_by_asset_key") or {})

    @property
    def code_version(self) -> str | None:
        return self.code_version_by_asset_key.get(self._one_asset("code_version"))

    @property
    def provenance_by_asset_key(self) -> Mapping[str, Any]:
        return dict(self._data.get("provenance_by_asset_key") or {}) if self._assets("provenance") else {}

    @property
    def provenance(self) -> Any:
        return self.provenance_by_asset_key.get(self._one_asset("provenance"))

    @property
    def is_partition_step(self) -> bool:
        return self._data.get("partition_key_range") is not None

    @property
    def partition_key(self) -> str:
        key = self._data.get("partition_key")
        if key is None:
            raise DagsterPipesError("`partition_key` is undefined. Current step does not target a partition.")
        return str(key)

    @property
    def partition_key_range(self) -> Mapping[str, str]:
        value = self._data.get("partition_key_range")
        if value is None:
            raise DagsterPipesError("`partition_key_range` is undefined. Current step is not partitioned.")
        return dict(value)

    @property
    def partition_time_window(self) -> Mapping[str, str] | None:
        self.partition_key_range  # noqa: B018 - raises when the step is not partitioned
        return self._data.get("partition_time_window")

    @property
    def run_id(self) -> str:
        return str(self._data["run_id"])

    @property
    def job_name(self) -> str | None:
        return self._data.get("job_name")

    @property
    def retry_number(self) -> int:
        return int(self._data.get("retry_number", 0))

    @property
    def extras(self) -> Mapping[str, Any]:
        return dict(self._data.get("extras") or {})

    def get_extra(self, key: str) -> Any:
        extras = self.extras
        if key not in extras:
            raise DagsterPipesError(f"Extra `{key}` is undefined. Extras must be provided by user.")
        return extras[key]

    @property
    def log(self) -> logging.Logger:
        """A logger whose records become log lines of the run."""
        return self._logger

    # -- reporting back ------------------------------------------------------------------------------
    def _resolve_asset(self, asset_key: str | None, method: str) -> str:
        keys = self._assets(method)
        if asset_key is None:
            if len(keys) != 1:
                raise DagsterPipesError(
                    f"Calling `{method}` without passing an asset key is undefined: the step targets "
                    f"several assets ({keys})."
                )
            return keys[0]
        if asset_key not in keys:
            raise DagsterPipesError(
                f"Invalid asset key {asset_key!r} for `{method}`: expected one of {keys}."
            )
        return asset_key

    def report_asset_materialization(
        self,
        metadata: Mapping[str, Any] | None = None,
        data_version: str | None = None,
        asset_key: str | None = None,
    ) -> None:
        """Report that an asset of this step was materialized (once per asset)."""
        key = self._resolve_asset(asset_key, "report_asset_materialization")
        if key in self._materialized:
            raise DagsterPipesError(
                f"Calling `report_asset_materialization` with asset key `{key}` is undefined. Asset has "
                "already been materialized, so no additional data can be reported for it."
            )
        if data_version is not None and not isinstance(data_version, str):
            raise DagsterPipesError("Invalid type for parameter `data_version`: expected a str.")
        params = {
            "asset_key": key,
            "data_version": data_version,
            "metadata": _check_metadata(metadata, "report_asset_materialization"),
        }
        self._write("report_asset_materialization", params)
        self._materialized.add(key)

    def report_asset_check(
        self,
        check_name: str,
        passed: bool,
        severity: str = "ERROR",
        metadata: Mapping[str, Any] | None = None,
        asset_key: str | None = None,
    ) -> None:
        """Report the result of an asset check of this step."""
        key = self._resolve_asset(asset_key, "report_asset_check")
        if not isinstance(check_name, str) or not isinstance(passed, bool):
            raise DagsterPipesError("report_asset_check takes check_name (a str) and passed (a bool).")
        if severity not in ("WARN", "ERROR"):
            raise DagsterPipesError(f"Invalid severity {severity!r}: expected 'WARN' or 'ERROR'.")
        self._write(
            "report_asset_check",
            {
                "asset_key": key,
                "check_name": check_name,
                "passed": passed,
                "metadata": _check_metadata(metadata, "report_asset_check"),
                "severity": severity,
            },
        )

    def report_custom_message(self, payload: Any) -> None:
        """Send any JSON-serializable payload; the orchestrator reads it with ``get_custom_messages()``."""
        self._write("report_custom_message", {"payload": payload})

    def log_external_stream(self, stream: str, text: str, extras: PipesExtras | None = None) -> None:
        self._write("log_external_stream", {"stream": stream, "text": text, "extras": dict(extras or {})})


def open_dagster_pipes(
    *,
    context_loader: PipesContextLoader | None = None,
    message_writer: PipesMessageWriter | None = None,
    params_loader: PipesParamsLoader | None = None,
) -> PipesContext:
    """The ``PipesContext`` of this process (made once). In a process no orchestrator started, a warning
    and a ``MagicMock`` on which every call does nothing."""
    if PipesContext.is_initialized():
        return PipesContext.get()
    params_loader = params_loader or PipesEnvVarParamsLoader()
    if not params_loader.is_dagster_pipes_process():
        warnings.warn(
            "This process was not launched by a Dagster orchestration process. All calls to the "
            "`dagster-pipes` context or attempts to initialize `dagster-pipes` abstractions are no-ops.",
            category=DagsterPipesWarning,
            stacklevel=2,
        )
        from unittest.mock import MagicMock

        mock: Any = MagicMock()
        return mock  # type: ignore[no-any-return]
    context = PipesContext(
        params_loader,
        context_loader or PipesDefaultContextLoader(),
        message_writer or PipesDefaultMessageWriter(),
    )
    PipesContext.set(context)
    return context


__all__ = [
    "DAGSTER_PIPES_CONTEXT_ENV_VAR",
    "DAGSTER_PIPES_MESSAGES_ENV_VAR",
    "PIPES_PROTOCOL_VERSION",
    "PIPES_PROTOCOL_VERSION_FIELD",
    "DagsterPipesError",
    "DagsterPipesWarning",
    "PipesContext",
    "PipesContextLoader",
    "PipesDefaultContextLoader",
    "PipesDefaultMessageWriter",
    "PipesEnvVarParamsLoader",
    "PipesExtras",
    "PipesFileMessageWriterChannel",
    "PipesMappingParamsLoader",
    "PipesMessageWriter",
    "PipesMessageWriterChannel",
    "PipesParams",
    "PipesParamsLoader",
    "PipesStreamMessageWriterChannel",
    "decode_env_var",
    "decode_param",
    "encode_env_var",
    "encode_param",
    "open_dagster_pipes",
]
