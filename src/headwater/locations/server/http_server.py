"""The code server's HTTP/JSON transport: stdlib ``http.server``, loopback TCP or a Unix socket.

Routes (all JSON; errors are ``{"error": {"kind", "message", "traceback"}}``):

    GET  /health       {"status": "ok"|"error", "location", "hash", "pid", "generation", "error"}
    GET  /spec         the LocationSpec wire form, ETag = its hash; If-None-Match: <hash> -> 304
    GET  /spec/hash    {"hash": ...}
    POST /reload       re-import the code -> {"hash", "changed"}; a load error -> 503 with the traceback
    POST /plan         {"job": name, "step_keys": [...] | null} -> {"v", "plan"}
    POST /asset-value  {"asset_key": [...], "partition_key": ...} -> {"pickle_b64": ...}
    POST /run-request  a run checked by the code -> {"v", "job", "tags", ...} (``run_request``); bad
                       config -> 400 {"error": {"kind": "invalid_config", "errors": [{"message", "path"}]}}
    POST /instigator-tick  evaluate a schedule or sensor (``specs.instigation.TickEvaluationRequest``)
                       -> a ``TickEvaluation``; the user's errors and timeouts are in its "error"
    POST /instigator-ticks {"requests": [...]} -> {"evaluations": [...]}: many, in one round trip
    POST /run-requests {"requests": [run request bodies]} -> {"replies": [reply | {"error": {...}}]}

Why the standard library and not Starlette/uvicorn: this is a small synchronous API between two
processes on one machine, its handlers call into user code anyway, it must start fast (one per
location), and it needs no dependency. Loopback only: the server refuses to bind anything else, and
a Unix socket is created readable by its owner only (prefer it on shared machines).
"""

from __future__ import annotations

import json
import os
import socket
import socketserver
import stat
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from headwater.core import codec
from headwater.core.asset_key import AssetKey
from headwater.errors import (
    HeadwaterError,
    InvalidConfigError,
    InvariantViolationError,
    UserCodeExecutionError,
)
from headwater.locations.client.address import LocationAddress
from headwater.locations.server.code_location import CodeLocation, LocationNotLoadedError

MAX_BODY = 1 << 20


class _RequestError(Exception):
    def __init__(self, status: int, kind: str, message: str, tb: str | None = None) -> None:
        super().__init__(message)
        self.status, self.kind, self.message, self.tb = status, kind, message, tb


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "headwater-code-server"
    location: CodeLocation  # set on the subclass built per server

    def address_string(self) -> str:  # a Unix socket peer has no host
        return str(self.client_address[0]) if isinstance(self.client_address, tuple) else "unix"

    def log_message(self, format: str, *args: Any) -> None:
        if os.environ.get("HEADWATER_CODE_SERVER_ACCESS_LOG"):
            super().log_message(format, *args)

    def do_GET(self) -> None:
        routes: dict[str, Callable[[], None]] = {
            "/health": self._health,
            "/spec": self._spec,
            "/spec/hash": self._spec_hash,
        }
        self._dispatch(routes)

    def do_POST(self) -> None:
        routes: dict[str, Callable[[], None]] = {
            "/reload": self._reload,
            "/plan": self._plan,
            "/asset-value": self._asset_value,
            "/run-request": self._run_request,
            "/instigator-tick": self._instigator_tick,
            "/instigator-ticks": self._instigator_ticks,
            "/run-requests": self._run_requests,
            "/run-config-scaffold": self._run_config_scaffold,
        }
        self._dispatch(routes)

    def _dispatch(self, routes: dict[str, Callable[[], None]]) -> None:
        path = self.path.split("?", 1)[0]
        route = routes.get(path)
        try:
            if route is None:
                raise _RequestError(404, "not_found", f"No route {self.command} {path}.")
            route()
        except _RequestError as exc:
            self._error(exc.status, exc.kind, exc.message, exc.tb)
        except LocationNotLoadedError as exc:
            self._error(503, "load_error", exc.error.message, exc.error.user_traceback)
        except UserCodeExecutionError as exc:
            self._error(500, "user_code_error", str(exc), exc.user_traceback)
        except InvariantViolationError as exc:
            self._error(404, "not_found", str(exc))
        except InvalidConfigError as exc:
            errors = [{"message": e.message, "path": list(e.path)} for e in exc.errors]
            self._json(400, {"error": {"kind": "invalid_config", "message": str(exc), "errors": errors}})
        except HeadwaterError as exc:  # InvalidSubsetError and other errors in the request
            self._error(400, "bad_request", str(exc))
        except Exception as exc:  # a bug in the server: report it, keep serving
            import traceback

            self._error(500, "internal_error", f"{type(exc).__name__}: {exc}", traceback.format_exc())

    # -- routes -----------------------------------------------------------------------------------------
    def _health(self) -> None:
        snap = self.location.snapshot
        self._json(
            200,
            {
                "status": "ok" if snap.error is None else "error",
                "location": self.location.name,
                "hash": snap.content_hash,
                "pid": os.getpid(),
                "generation": snap.generation,
                "error": snap.error.to_json() if snap.error is not None else None,
            },
        )

    def _spec(self) -> None:
        snap = self.location.snapshot
        if snap.error is not None:
            raise LocationNotLoadedError(snap.error)
        etag = f'"{snap.content_hash}"'
        if self.headers.get("If-None-Match", "").strip() in (etag, snap.content_hash):
            self._send(304, b"", {"ETag": etag})
            return
        self._send(200, snap.spec_json, {"ETag": etag, "Content-Type": "application/json"})

    def _spec_hash(self) -> None:
        snap = self.location.snapshot
        if snap.error is not None:
            raise LocationNotLoadedError(snap.error)
        self._json(200, {"hash": snap.content_hash})

    def _reload(self) -> None:
        self._body()
        before = self.location.snapshot.content_hash
        snap = self.location.reload()
        if snap.error is not None:
            raise LocationNotLoadedError(snap.error)
        self._json(
            200,
            {
                "hash": snap.content_hash,
                "changed": snap.content_hash != before,
                "generation": snap.generation,
            },
        )

    def _plan(self) -> None:
        body = self._body()
        job = body.get("job")
        step_keys = body.get("step_keys")
        if not isinstance(job, str):
            raise _RequestError(400, "bad_request", 'POST /plan needs {"job": "<job name>"}.')
        if step_keys is not None and not (
            isinstance(step_keys, list) and all(isinstance(k, str) for k in step_keys)
        ):
            raise _RequestError(400, "bad_request", '"step_keys" must be a list of step keys or null.')
        self._json(200, self.location.plan(job, step_keys))

    def _run_config_scaffold(self) -> None:
        job = self._body().get("job")
        if not isinstance(job, str):
            raise _RequestError(400, "bad_request", 'POST /run-config-scaffold needs {"job": "<job name>"}.')
        self._json(200, self.location.run_config_scaffold(job))

    def _asset_value(self) -> None:
        body = self._body()
        path = body.get("asset_key")
        partition = body.get("partition_key")
        if not (isinstance(path, list) and path and all(isinstance(p, str) for p in path)):
            raise _RequestError(
                400, "bad_request", 'POST /asset-value needs {"asset_key": ["path", "parts"]}.'
            )
        if partition is not None and not isinstance(partition, str):
            raise _RequestError(400, "bad_request", '"partition_key" must be a string or null.')
        key = AssetKey(path)
        try:
            result = self.location.asset_value(key, partition)
        except KeyError:
            raise _RequestError(
                404, "not_found", f"No asset {key.to_user_string()!r} in location {self.location.name!r}."
            ) from None
        self._json(200, result)

    def _run_request(self) -> None:
        self._json(200, self.location.run_request(self._body()))

    def _instigator_tick(self) -> None:
        from headwater.specs.instigation import TickEvaluationRequest

        body = self._body()
        try:
            request = codec.convert(body, TickEvaluationRequest, "an instigator tick request")
        except codec.SerdeError as exc:
            raise _RequestError(400, "bad_request", str(exc)) from None
        self._json(200, self.location.instigator_tick(request))

    def _instigator_ticks(self) -> None:
        from headwater.specs.instigation import TickEvaluationRequest

        body = self._body()
        try:
            requests = codec.convert(
                body.get("requests"), list[TickEvaluationRequest], "instigator tick requests"
            )
        except codec.SerdeError as exc:
            raise _RequestError(400, "bad_request", str(exc)) from None
        self._json(200, {"evaluations": [self.location.instigator_tick(r) for r in requests]})

    def _run_requests(self) -> None:
        bodies = self._body().get("requests")
        if not isinstance(bodies, list) or not all(isinstance(b, dict) for b in bodies):
            raise _RequestError(400, "bad_request", 'POST /run-requests needs {"requests": [{...}, ...]}.')
        self._json(200, {"replies": [self._one_run_request(b) for b in bodies]})

    def _one_run_request(self, body: dict[str, Any]) -> Any:
        """One run request's reply, or its error as the error document a single request would get."""
        try:
            return self.location.run_request(body)
        except UserCodeExecutionError as exc:
            return {
                "error": {"kind": "user_code_error", "message": str(exc), "traceback": exc.user_traceback}
            }
        except InvariantViolationError as exc:
            return {"error": {"kind": "not_found", "message": str(exc), "traceback": None}}
        except InvalidConfigError as exc:
            errors = [{"message": e.message, "path": list(e.path)} for e in exc.errors]
            return {"error": {"kind": "invalid_config", "message": str(exc), "errors": errors}}
        except HeadwaterError as exc:
            return {"error": {"kind": "bad_request", "message": str(exc), "traceback": None}}

    # -- plumbing ---------------------------------------------------------------------------------------
    def _body(self) -> dict[str, Any]:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise _RequestError(400, "bad_request", "Bad Content-Length header.") from None
        if length > MAX_BODY:
            raise _RequestError(413, "bad_request", f"Request body over {MAX_BODY} bytes.")
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return {}
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise _RequestError(400, "bad_request", f"Request body is not JSON: {exc}.") from None
        if not isinstance(data, dict):
            raise _RequestError(400, "bad_request", "Request body must be a JSON object.")
        return data

    def _json(self, status: int, data: Any) -> None:
        body = codec.encode(data)  # plain JSON data, or holding specs (Structs)
        self._send(status, body, {"Content-Type": "application/json"})

    def _error(self, status: int, kind: str, message: str, tb: str | None = None) -> None:
        self._json(status, {"error": {"kind": kind, "message": message, "traceback": tb}})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status, HTTPStatus(status).phrase)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)


class _TCPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _TCP6Server(_TCPServer):
    address_family = socket.AF_INET6


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class CodeServer:
    """A CodeLocation served on ``address`` (port 0 picks a free port; see ``bound_address``).

    The socket is bound at construction, so a taken port fails before the code is loaded; requests
    wait in the backlog until :meth:`serve_forever`.
    """

    def __init__(self, location: CodeLocation | None, address: LocationAddress) -> None:
        # TCP_NODELAY: a response's headers and body are separate writes; Unix sockets have no Nagle.
        tcp = address.socket_path is None
        handler = type("Handler", (_Handler,), {"location": location, "disable_nagle_algorithm": tcp})
        self._handler: type[_Handler] = handler
        self._socket_path = address.socket_path
        self._server: socketserver.BaseServer
        if address.socket_path is not None:
            path = address.socket_path
            if os.path.exists(path) and stat.S_ISSOCK(os.stat(path).st_mode):
                os.unlink(path)  # a stale socket from a server that did not exit cleanly
            old_umask = os.umask(0o177)
            try:
                self._server = _UnixServer(path, handler)
            finally:
                os.umask(old_umask)
            self.bound_address = LocationAddress.unix(path)
        else:
            assert (
                address.host is not None and address.port is not None
            )  # checked loopback by LocationAddress
            cls = _TCP6Server if ":" in address.host else _TCPServer
            self._server = cls((address.host, address.port), handler)
            self.bound_address = LocationAddress.tcp(address.host, self._server.server_address[1])
        self._stopped = threading.Event()

    @property
    def location(self) -> CodeLocation:
        return self._handler.location

    @location.setter
    def location(self, location: CodeLocation) -> None:
        self._handler.location = location

    def serve_forever(self) -> None:
        if getattr(self._handler, "location", None) is None:
            raise RuntimeError("CodeServer.serve_forever: set .location first.")
        try:
            self._server.serve_forever(poll_interval=0.2)
        finally:
            self._server.server_close()
            if self._socket_path is not None and os.path.exists(self._socket_path):
                os.unlink(self._socket_path)
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop serving (from another thread than serve_forever's)."""
        self._server.shutdown()
