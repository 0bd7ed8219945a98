"""Running the app: uvicorn on a host and port (127.0.0.1 unless told otherwise)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 3000


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one). Bound before the app is built, so a
    taken port fails at once and the port is known early."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(
    app: Any, sock: socket.socket, *, on_started: Callable[[], None] | None = None, log_level: str = "warning"
) -> None:
    """Serve ``app`` on ``sock`` until SIGINT/SIGTERM (uvicorn's handlers), then return.

    uvicorn re-raises the signal that stopped it once it has shut down, through the handlers that were
    installed before it started; those are set to do nothing here, so that the caller returns from
    this function and stops its child processes instead of dying on the spot."""
    import signal

    import uvicorn

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stopping)

    config = uvicorn.Config(
        app,
        log_level=log_level,
        lifespan="off",
        ws="websockets-sansio",
        timeout_graceful_shutdown=3,
        access_log=False,
    )
    server = uvicorn.Server(config)

    async def main() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.005)
        if server.started and on_started is not None:
            on_started()
        await task

    asyncio.run(main())


def _stopping(signum: int, frame: object) -> None:
    """Signals after uvicorn's shutdown (its re-raise, or a second Ctrl-C while stopping): the caller is
    already stopping everything within bounded grace periods."""
