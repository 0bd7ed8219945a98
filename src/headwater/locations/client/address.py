"""Where a code server listens: ``127.0.0.1:4266``, ``http://[::1]:4266`` or ``unix:/path/to.sock``.

Code servers are reachable on this machine only: a TCP address must be a loopback address (any of
127.0.0.0/8, ::1, or a name such as ``localhost`` that resolves to loopback only). Both the server
(refusing to bind) and the client (refusing to connect) check it.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from headwater.locations.client.errors import LocationAddressError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4266


@dataclass(frozen=True, slots=True)
class LocationAddress:
    """A loopback TCP address (``host``, ``port``) or a Unix socket path (``socket_path``)."""

    host: str | None = None
    port: int | None = None
    socket_path: str | None = None

    def __post_init__(self) -> None:
        if (self.socket_path is None) == (self.host is None):
            raise LocationAddressError(
                "A code-server address is either host and port, or a Unix socket path."
            )
        if self.host is not None:
            require_loopback(self.host)
            if self.port is None or not 0 <= self.port <= 65535:
                raise LocationAddressError(f"Code-server port must be 0..65535; got {self.port!r}.")

    @staticmethod
    def tcp(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> LocationAddress:
        return LocationAddress(host=host, port=port)

    @staticmethod
    def unix(path: str) -> LocationAddress:
        return LocationAddress(socket_path=path)

    @staticmethod
    def parse(text: str | LocationAddress) -> LocationAddress:
        """``host:port``, ``http://host:port``, ``unix:/path`` or ``unix:///path``."""
        if isinstance(text, LocationAddress):
            return text
        if text.startswith("unix:"):
            path = text[len("unix:") :]
            if path.startswith("//"):
                path = path[2:]
            if not path:
                raise LocationAddressError(
                    f"Unix socket address {text!r} has no path; write unix:/path/to.sock."
                )
            return LocationAddress.unix(path)
        parts = urlsplit(text if "://" in text else f"http://{text}")
        if parts.scheme != "http" or not parts.hostname or parts.path not in ("", "/"):
            raise LocationAddressError(
                f"Cannot read code-server address {text!r}: write host:port (e.g. 127.0.0.1:4266) "
                "or unix:/path."
            )
        try:
            port = parts.port
        except ValueError as exc:
            raise LocationAddressError(f"Bad port in code-server address {text!r}: {exc}.") from None
        return LocationAddress.tcp(parts.hostname, DEFAULT_PORT if port is None else port)

    def __str__(self) -> str:
        if self.socket_path is not None:
            return f"unix:{self.socket_path}"
        host = f"[{self.host}]" if self.host and ":" in self.host else self.host
        return f"http://{host}:{self.port}"


def require_loopback(host: str) -> None:
    """Raise LocationAddressError unless every address ``host`` names is a loopback address."""
    try:
        ips = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError as exc:
            raise LocationAddressError(f"Cannot resolve code-server host {host!r}: {exc}.") from None
        ips = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    outside = [str(ip) for ip in ips if not ip.is_loopback]
    if not ips or outside:
        raise LocationAddressError(
            f"Code servers listen on this machine only, and {host!r} is not a loopback address"
            f"{' (it resolves to ' + ', '.join(outside) + ')' if outside and str(ips[0]) != host else ''}. "
            "Use 127.0.0.1, ::1 or localhost, or a Unix socket (--socket PATH)."
        )
