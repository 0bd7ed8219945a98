"""LocationClient: the server's method list, called over HTTP/JSON (stdlib ``http.client``).

Never imports user code: specs and plans arrive as JSON and are read into spec classes. The one
exception to "data only" is :meth:`LocationClient.asset_value`, which unpickles what the server
sends; that is why clients, like servers, talk to loopback addresses and Unix sockets only (the
process that calls it trusts the user code that wrote the value).
"""

from __future__ import annotations

import base64
import http.client
import json
import pickle
import socket
import time
from collections.abc import Iterable
from typing import Any

import msgspec

from headwater.core import codec
from headwater.core.asset_check_key import AssetCheckKey
from headwater.core.asset_key import AssetKey
from headwater.locations.client.address import LocationAddress
from headwater.locations.client.errors import (
    LocationConfigError,
    LocationError,
    LocationLoadError,
    LocationRequestError,
    LocationUnavailableError,
    RemoteUserCodeError,
)
from headwater.planning.plan import PLAN_FORMAT_VERSION, ExecutionPlan
from headwater.specs import location as location_spec
from headwater.specs.instigation import EVALUATION_VERSION, TickEvaluation, TickEvaluationRequest
from headwater.specs.job import JobSpec
from headwater.specs.location import LocationSpec


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


class _PlanResponse(msgspec.Struct):
    plan: ExecutionPlan


class _Evaluations(msgspec.Struct):
    evaluations: list[TickEvaluation]


class RunRequestReply(msgspec.Struct):
    """The code server's answer to a run request (``locations.server.run_request``)."""

    job: JobSpec
    run_config: dict[str, Any]
    tags: dict[str, str]
    code_pointer: dict[str, str]
    step_keys: list[str] | None = None
    asset_selection: list[AssetKey] | None = None
    asset_check_selection: list[AssetCheckKey] | None = None
    v: int = 1


def run_request_body(
    *,
    job: str | None = None,
    asset_selection: Iterable[AssetKey] | None = None,
    op_selection: Iterable[str] | None = None,
    run_config: dict[str, Any] | None = None,
    partition_key: str | None = None,
    tags: dict[str, str] | None = None,
    asset_check_selection: Iterable[AssetCheckKey] | None = None,
) -> dict[str, Any]:
    """The JSON body of a run request (``POST /run-request``, one item of ``POST /run-requests``)."""
    body: dict[str, Any] = {
        "job": job,
        "asset_selection": None if asset_selection is None else [k.path for k in asset_selection],
        "op_selection": None if op_selection is None else list(op_selection),
        "run_config": run_config or {},
        "partition_key": partition_key,
        "tags": tags or {},
    }
    if asset_check_selection is not None:
        body["asset_check_selection"] = [[list(k.asset_key.path), k.name] for k in asset_check_selection]
    return body


class LocationClient:
    """Talks to one code server. Thread-safe: each call opens its own connection.

    ``timeout`` bounds each request in seconds (a reload or an asset load runs user code: give it room).
    """

    def __init__(
        self, address: str | LocationAddress, *, name: str | None = None, timeout: float = 60.0
    ) -> None:
        self.address = LocationAddress.parse(address)
        self.name = name or str(self.address)
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"LocationClient({str(self.address)!r}, name={self.name!r})"

    # -- the server's methods ---------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        """``{"status": "ok"|"error", "location", "hash", "pid", "generation", "error"}``.

        Never raises a load error: a location whose code failed to load reports ``status: "error"``.
        """
        return self._json("GET", "/health")

    def spec_hash(self) -> str:
        return str(self._json("GET", "/spec/hash")["hash"])

    def spec(self, cached_hash: str | None = None) -> LocationSpec | None:
        """The location's spec; None when ``cached_hash`` is still current (the body is not sent again)."""
        headers = {"If-None-Match": f'"{cached_hash}"'} if cached_hash else {}
        status, body = self._request("GET", "/spec", headers=headers)
        if status == 304:
            return None
        self._raise_for(status, body)
        try:
            return location_spec.from_json(body)
        except codec.SerdeError as exc:
            raise LocationRequestError(
                str(exc), status=status, kind="bad_response", location=self.name
            ) from exc

    def reload(self) -> dict[str, Any]:
        """Re-import the code: ``{"hash", "changed", "generation"}``; LocationLoadError if it fails."""
        return self._json("POST", "/reload", {})

    def plan(self, job_name: str, step_keys: Iterable[str] | None = None) -> ExecutionPlan:
        """The execution plan of ``job_name``, restricted to ``step_keys`` when given."""
        data = self._json(
            "POST", "/plan", {"job": job_name, "step_keys": None if step_keys is None else list(step_keys)}
        )
        version = data.get("v") if isinstance(data, dict) else None
        codec.check_version(
            version if isinstance(version, int) else 0, "an execution plan", PLAN_FORMAT_VERSION
        )
        return codec.convert(data.get("plan"), ExecutionPlan, "an execution plan")

    def run_config_scaffold(self, job_name: str) -> dict[str, Any]:
        """``{"scaffold": yaml, "defaults": yaml, "has_required": bool}``: ``job_name``'s run config with
        its defaults and a placeholder for each required field (the launchpad starts from it)."""
        data = self._json("POST", "/run-config-scaffold", {"job": job_name})
        if not isinstance(data, dict):
            raise LocationError(f"Code server {self.name}: /run-config-scaffold answered {data!r}.")
        return data

    def asset_value(self, asset_key: Any, partition_key: str | None = None) -> Any:
        """The stored value of ``asset_key``, loaded by its IO manager in the server and unpickled here."""
        key = AssetKey.from_coercible(asset_key) if not isinstance(asset_key, AssetKey) else asset_key
        data = self._json("POST", "/asset-value", {"asset_key": key.path, "partition_key": partition_key})
        return pickle.loads(base64.b64decode(data["pickle_b64"]))

    def run_request(
        self,
        *,
        job: str | None = None,
        asset_selection: Iterable[AssetKey] | None = None,
        op_selection: Iterable[str] | None = None,
        run_config: dict[str, Any] | None = None,
        partition_key: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> RunRequestReply:
        """A run checked by the code (config, resources, partition): the parts of a launchable run.
        LocationConfigError for bad config; LocationRequestError for an unknown job, asset or op."""
        body = run_request_body(
            job=job,
            asset_selection=asset_selection,
            op_selection=op_selection,
            run_config=run_config,
            partition_key=partition_key,
            tags=tags,
        )
        data = self._json("POST", "/run-request", body)
        version = data.get("v")
        codec.check_version(version if isinstance(version, int) else 0, "a run request reply", 1)
        return codec.convert(data, RunRequestReply, "a run request reply")

    def instigator_tick(self, request: TickEvaluationRequest) -> TickEvaluation:
        """Evaluate a schedule or sensor in the server. The user's errors and timeouts come back in the
        evaluation's ``error``; the request waits at most ``request.timeout`` plus a few seconds."""
        status, body = self._request(
            "POST", "/instigator-tick", payload=codec.to_builtins(request), timeout=request.timeout + 5.0
        )
        self._raise_for(status, body)
        try:
            evaluation = codec.decode(body, TickEvaluation, "a tick evaluation")
        except codec.SerdeError as exc:
            raise self._bad_response(status, str(exc)) from exc
        codec.check_version(evaluation.v, "a tick evaluation", EVALUATION_VERSION)
        return evaluation

    def instigator_ticks(self, requests: list[TickEvaluationRequest]) -> list[TickEvaluation]:
        """Evaluate many schedules or sensors in one round trip (in the server, one after another, each
        within its own timeout)."""
        if not requests:
            return []
        budget = sum(r.timeout for r in requests) + 5.0
        status, body = self._request(
            "POST", "/instigator-ticks", payload={"requests": codec.to_builtins(requests)}, timeout=budget
        )
        self._raise_for(status, body)
        try:
            reply = codec.decode(body, _Evaluations, "tick evaluations")
        except codec.SerdeError as exc:
            raise self._bad_response(status, str(exc)) from exc
        if len(reply.evaluations) != len(requests):
            raise self._bad_response(status, "not one evaluation per request")
        return reply.evaluations

    def run_requests(self, bodies: list[dict[str, Any]]) -> list[RunRequestReply | LocationError]:
        """Many run requests (each as ``run_request`` takes them, as JSON bodies) in one round trip; a
        refused one comes back as the error ``run_request`` would raise."""
        if not bodies:
            return []
        data = self._json("POST", "/run-requests", {"requests": bodies})
        replies = data.get("replies")
        if not isinstance(replies, list) or len(replies) != len(bodies):
            raise self._bad_response(200, "not one reply per run request")
        out: list[RunRequestReply | LocationError] = []
        for reply in replies:
            if isinstance(reply, dict) and "error" in reply:
                try:
                    self._raise_for(400, json.dumps(reply).encode())
                except LocationError as exc:
                    out.append(exc)
                continue
            codec.check_version(
                reply.get("v") if isinstance(reply.get("v"), int) else 0, "a run request reply", 1
            )
            out.append(codec.convert(reply, RunRequestReply, "a run request reply"))
        return out

    def wait_until_up(self, timeout: float = 30.0) -> dict[str, Any]:
        """Poll /health until the server answers (loaded or not); LocationUnavailableError at timeout."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.health()
            except LocationUnavailableError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    # -- plumbing ---------------------------------------------------------------------------------------
    def _json(self, method: str, path: str, payload: Any = None) -> dict[str, Any]:
        status, body = self._request(method, path, payload=payload)
        self._raise_for(status, body)
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise self._bad_response(status, f"not JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise self._bad_response(status, "not a JSON object")
        return data

    def _request(
        self,
        method: str,
        path: str,
        *,
        payload: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> tuple[int, bytes]:
        hdrs = dict(headers or {})
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            hdrs["Content-Type"] = "application/json"
        conn = self._connection(timeout)
        try:
            conn.request(method, path, body=body, headers=hdrs)
            response = conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException) as exc:
            raise LocationUnavailableError(
                f"Code location {self.name!r} at {self.address} is not answering "
                f"({type(exc).__name__}: {exc}). Is its code server running? Start it with "
                "`headwater code-server start -m MODULE` or through a workspace.",
                location=self.name,
            ) from exc
        finally:
            conn.close()

    def _connection(self, timeout: float | None = None) -> http.client.HTTPConnection:
        seconds = self.timeout if timeout is None else timeout
        if self.address.socket_path is not None:
            return _UnixConnection(self.address.socket_path, seconds)
        assert self.address.host is not None
        return http.client.HTTPConnection(self.address.host, self.address.port, timeout=seconds)

    def _raise_for(self, status: int, body: bytes) -> None:
        if status < 400:
            return
        try:
            error = json.loads(body)["error"]
            kind, message, tb = str(error["kind"]), str(error["message"]), error.get("traceback")
        except (ValueError, KeyError, TypeError):
            raise self._bad_response(status, body[:200].decode(errors="replace")) from None
        if kind == "load_error":
            raise LocationLoadError(
                f"Code location {self.name!r} failed to load: {message}", tb, location=self.name
            )
        if kind == "invalid_config":
            raise LocationConfigError(message, list(error.get("errors") or []), location=self.name)
        if kind == "user_code_error":
            raise RemoteUserCodeError(f"In code location {self.name!r}: {message}", tb, location=self.name)
        if kind == "internal_error" and tb:
            message = f"{message}\n\n{tb}"
        raise LocationRequestError(message, status=status, kind=kind, location=self.name)

    def _bad_response(self, status: int, what: str) -> LocationRequestError:
        return LocationRequestError(
            f"Code location {self.name!r} at {self.address} sent a response this client cannot read "
            f"(HTTP {status}): {what}. Is that a Headwater code server of the same version?",
            status=status,
            kind="bad_response",
            location=self.name,
        )
