"""Binding the local stack's web server to its port, with a one-line answer when the port is taken."""

from __future__ import annotations

import errno
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class PortInUse(OSError):
    """The web server's port is taken; the message is one line for the person who typed `make run`."""


class Server(ThreadingHTTPServer):
    daemon_threads = True
    stack: Any = None  # what the request handler serves (local.stack.EmbeddedStack)


def bind(host: str, port: int, handler: type[BaseHTTPRequestHandler]) -> Server:
    """A server listening on ``host:port`` (0: a free port), not serving yet; ``PortInUse`` if taken."""
    try:
        return Server((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(
                exc.errno,
                f"port {port} on {host} is already in use: stop what runs there, or choose another port "
                f"(PORT={port + 1} make run)",
            ) from None
        raise OSError(exc.errno, f"cannot listen on {host}:{port}: {exc.strerror}") from None
