"""The request rules of the webserver, as one ASGI middleware (HTTP and WebSocket alike):

* **Host**: the ``Host`` header must name this server (``localhost``, a loopback address, the address
  it binds, or one given with ``--allowed-host``). Any other host is refused with 400: a page on
  another site that made its domain resolve to 127.0.0.1 (DNS rebinding) gets nothing.
* **Origin**: a request that carries an ``Origin`` (browsers send it on cross-origin requests, every
  POST and every WebSocket handshake) must come from this server's own origin; a cross-origin request
  (and a CORS preflight) is refused with 403. No CORS headers are ever sent.
* Mutations only over ``POST`` with a JSON content type (``app.graphql_http``): a form or a GET cannot
  change anything.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def split_host(host: str) -> str:
    """The host name of a ``Host`` header value (``[::1]:3000`` -> ``::1``), lowercased."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_loopback(name: str) -> bool:
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return name == "localhost" or name.endswith(".localhost")


class RequestGuard:
    """Refuses unknown hosts and cross-origin requests before they reach the app (see the module)."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed = {split_host(h) for h in allowed_hosts if h} | set(LOCAL_HOSTS)
        self.any_host = "*" in self.allowed

    def host_allowed(self, name: str) -> bool:
        return self.any_host or name in self.allowed or is_loopback(name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if not host or not self.host_allowed(split_host(host)):
            await self._refuse(
                scope,
                send,
                400,
                f"Unknown Host header {host!r}: this webserver answers to {', '.join(sorted(self.allowed))}. "
                "Start it with --allowed-host NAME to add one.",
            )
            return
        origin = headers.get("origin")
        if origin is not None and not self._same_origin(origin, host, scope):
            await self._refuse(
                scope,
                send,
                403,
                f"Cross-origin request from {origin!r} refused: this API serves its own UI only.",
            )
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _same_origin(origin: str, host: str, scope: Scope) -> bool:
        try:
            parts = urlsplit(origin.strip())
            port = parts.port
        except ValueError:
            return False
        if not parts.scheme or not parts.hostname:
            return False  # "null" (sandboxed frames, file:// pages) and the like
        scheme = "https" if scope.get("scheme") in ("https", "wss") else "http"
        if parts.scheme != scheme:
            return False
        default = 443 if scheme == "https" else 80
        try:
            served = urlsplit("//" + host.strip())
            served_port = served.port
        except ValueError:
            return False
        return parts.hostname == served.hostname and (port or default) == (served_port or default)

    @staticmethod
    async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
        body = json.dumps({"errors": [{"message": message}]}).encode()
        if scope["type"] == "websocket":
            # Before accepting: the handshake fails with this HTTP response (or a plain 403).
            if "websocket.http.response" not in scope.get("extensions", {}):
                await send({"type": "websocket.close", "code": 1008, "reason": message[:120]})
                return
            await send(
                {
                    "type": "websocket.http.response.start",
                    "status": status,
                    "headers": [(b"content-type", b"application/json")],
                }
            )
            await send({"type": "websocket.http.response.body", "body": body})
            return
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
