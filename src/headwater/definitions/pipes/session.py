"""``open_pipes_session`` and ``PipesSession``: one external process's conversation with a step.

The session builds the context data from the step's context (asset keys, partition, run id, extras),
opens the injector and the reader, and turns each message into results or log lines of the step:
``report_asset_materialization`` -> ``MaterializeResult``, ``report_asset_check`` ->
``AssetCheckResult``, ``log`` -> ``context.log``, ``report_custom_message`` -> ``get_custom_messages()``.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from headwater.core.asset_key import AssetKey
from headwater.core.metadata import MetadataValue, normalize_metadata_value
from headwater.definitions.pipes.transport import (
    PipesContextInjector,
    PipesMessageReader,
    PipesParams,
)

CONTEXT_ENV_VAR = "DAGSTER_PIPES_CONTEXT"
MESSAGES_ENV_VAR = "DAGSTER_PIPES_MESSAGES"
DATA_VERSION_TAG = "dagster/data_version"
USER_PROVIDED_TAG = "dagster/data_version_is_user_provided"
_TYPED: dict[str, Any] = {
    "text": MetadataValue.text,
    "url": MetadataValue.url,
    "path": MetadataValue.path,
    "notebook": MetadataValue.notebook,
    "json": MetadataValue.json,
    "md": MetadataValue.md,
    "float": MetadataValue.float,
    "int": MetadataValue.int,
    "bool": MetadataValue.bool,
    "dagster_run": MetadataValue.dagster_run,
    "timestamp": MetadataValue.timestamp,
    "asset": lambda raw: MetadataValue.asset(AssetKey.from_user_string(raw)),
    "null": lambda _raw: MetadataValue.null(),
}


def encode_param(value: Any) -> str:
    """base64(zlib(json(value))), as the external side decodes it."""
    import base64
    import json
    import zlib

    return base64.b64encode(zlib.compress(json.dumps(value).encode("utf-8"))).decode("utf-8")


def _metadata(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, entry in (raw or {}).items():
        kind, value = entry.get("type"), entry.get("raw_value")
        make = _TYPED.get(kind)  # table kinds and __infer__ fall back to inference (JSON for dicts)
        out[key] = make(value) if make is not None else normalize_metadata_value(value)
    return out


def build_context_data(context: Any, extras: Mapping[str, Any] | None) -> dict[str, Any]:
    """What the external process sees of the step (Dagster's ``PipesContextData``)."""
    asset_keys: list[str] | None = None
    code_versions: dict[str, str | None] | None = None
    if getattr(context, "has_assets_def", False):
        keys = sorted(context.selected_asset_keys, key=lambda k: k.to_user_string())
        asset_keys = [k.to_user_string() for k in keys]
        specs = {s.key: s for s in getattr(context.assets_def, "specs", [])}
        code_versions = {k.to_user_string(): getattr(specs.get(k), "code_version", None) for k in keys}
    partition_key = context.partition_key if getattr(context, "has_partition_key", False) else None
    return {
        "asset_keys": asset_keys,
        "code_version_by_asset_key": code_versions,
        "provenance_by_asset_key": {k: None for k in asset_keys} if asset_keys is not None else None,
        "partition_key": partition_key,
        "partition_key_range": {"start": partition_key, "end": partition_key} if partition_key else None,
        "partition_time_window": None,
        "run_id": context.run_id,
        "job_name": getattr(context, "job_name", None),
        "retry_number": getattr(context, "retry_number", 0),
        "extras": dict(extras or {}),
    }


class PipesMessageHandler:
    """Turns the external process's messages into results and log lines of the step."""

    def __init__(self, context: Any) -> None:
        self._context = context
        self.results: list[Any] = []
        self.custom_messages: list[Any] = []
        self.opened = False
        self.closed_exception: Mapping[str, Any] | None = None

    def handle(self, message: Mapping[str, Any]) -> None:
        method = message.get("method")
        params = message.get("params") or {}
        log = self._context.log
        if method == "opened":
            self.opened = True
            log.info("[pipes] external process successfully opened dagster pipes.")
        elif method == "closed":
            self.closed_exception = params.get("exception")
        elif method == "log":
            level = logging.getLevelName(str(params.get("level", "INFO")).upper())
            log.log(level if isinstance(level, int) else logging.INFO, str(params.get("message", "")))
        elif method == "report_asset_materialization":
            self.results.append(self._materialization(params))
        elif method == "report_asset_check":
            self.results.append(self._check(params))
        elif method == "report_custom_message":
            self.custom_messages.append(params.get("payload"))
        elif method == "log_external_stream":
            stream = sys.stderr if params.get("stream") == "stderr" else sys.stdout
            stream.write(str(params.get("text", "")))
        else:
            log.warning(f"[pipes] unknown message from the external process: {method!r}")

    @staticmethod
    def _materialization(params: Mapping[str, Any]) -> Any:
        from headwater.definitions.results import MaterializeResult

        version = params.get("data_version")
        return MaterializeResult(
            asset_key=AssetKey.from_user_string(params["asset_key"]),
            metadata=_metadata(params.get("metadata")),
            data_version=version,
            # as Dagster records a reported data version (Headwater does not use data versions yet)
            tags={DATA_VERSION_TAG: version, "dagster/data_version_is_user_provided": "true"}
            if version
            else None,
        )

    @staticmethod
    def _check(params: Mapping[str, Any]) -> Any:
        from headwater.core.asset_events import AssetCheckSeverity
        from headwater.definitions.results import AssetCheckResult

        return AssetCheckResult(
            passed=bool(params["passed"]),
            asset_key=AssetKey.from_user_string(params["asset_key"]),
            check_name=params["check_name"],
            metadata=_metadata(params.get("metadata")),
            severity=AssetCheckSeverity(params.get("severity") or "ERROR"),
        )


class PipesSession:
    """An open session: the env vars for the external process, and what it has reported so far."""

    def __init__(
        self,
        context_data: Mapping[str, Any],
        handler: PipesMessageHandler,
        context_injector_params: PipesParams,
        message_reader_params: PipesParams,
        reader: PipesMessageReader,
        context: Any,
    ) -> None:
        self.context_data = context_data
        self.message_handler = handler
        self.context_injector_params = context_injector_params
        self.message_reader_params = message_reader_params
        self._reader = reader
        self.context = context

    def get_bootstrap_params(self) -> dict[str, str]:
        return {
            CONTEXT_ENV_VAR: encode_param(dict(self.context_injector_params)),
            MESSAGES_ENV_VAR: encode_param(dict(self.message_reader_params)),
        }

    def get_bootstrap_env_vars(self) -> dict[str, str]:
        """``DAGSTER_PIPES_CONTEXT`` / ``DAGSTER_PIPES_MESSAGES`` for the external process's environment."""
        return self.get_bootstrap_params()

    def poll(self) -> None:
        """Take in what the process reported since the last call (logs appear in the run as they come)."""
        self._reader.poll()

    def get_results(self) -> Sequence[Any]:
        """The ``MaterializeResult``s and ``AssetCheckResult``s reported so far."""
        self.poll()
        return tuple(self.message_handler.results)

    def get_reported_results(self) -> Sequence[Any]:
        return self.get_results()

    def get_custom_messages(self) -> Sequence[Any]:
        self.poll()
        return tuple(self.message_handler.custom_messages)


@contextlib.contextmanager
def open_pipes_session(
    context: Any,
    context_injector: PipesContextInjector,
    message_reader: PipesMessageReader,
    extras: Mapping[str, Any] | None = None,
) -> Iterator[PipesSession]:
    """Open a session for the step of ``context``: start the external process inside the block with
    ``session.get_bootstrap_env_vars()`` in its environment; after it, ``session.get_results()``."""
    data = build_context_data(context, extras)
    handler = PipesMessageHandler(context)
    with (
        context_injector.inject_context(data) as context_params,
        message_reader.read_messages(handler.handle) as reader_params,
    ):
        session = PipesSession(data, handler, context_params, reader_params, message_reader, context)
        yield session
    if not handler.opened:
        context.log.warning(
            "[pipes] did not receive any messages from external process. Check stdout / stderr logs from "
            "the external process if the process was started, to see if there were any errors. "
            f"{context_injector.no_messages_debug_text()} {message_reader.no_messages_debug_text()}"
        )
