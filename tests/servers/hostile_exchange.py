"""What a behaviour handler is given: :class:`Exchange` (the request, the server, the
raw connection) and the :data:`Handler` type, ``Callable[[Exchange], None]``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from tests.servers.hostile_connection import Connection
from tests.servers.hostile_wire import HeaderValue, RecordedRequest, build_response

if TYPE_CHECKING:
    from tests.servers.hostile import HostileServer

__all__ = ["Exchange", "Handler"]

Handler = Callable[["Exchange"], None]


class Exchange:
    """What a handler gets: the request, the server, and the raw connection."""

    def __init__(self, server: HostileServer, conn: Connection, request: RecordedRequest) -> None:
        self.server = server
        self.request = request
        self._conn = conn

    @property
    def stopping(self) -> bool:
        return self.server.stopping or self._conn.closing

    def send(self, data: bytes) -> None:
        """Send raw bytes (raises OSError when the client has gone)."""
        self._conn.sock.sendall(data)

    def reply(
        self,
        status: int,
        body: bytes = b"",
        headers: Iterable[tuple[str, HeaderValue]] = (),
        reason: str | None = None,
    ) -> None:
        """A well-formed response with Content-Length; no body for HEAD, 1xx, 204, 304."""
        no_body = self.request.method == "HEAD" or status < 200 or status in (204, 304)
        if status < 200 or status == 204:
            self.send(build_response(status, reason, headers, content_length=False))
        else:
            response = build_response(status, reason, headers, body)
            self.send(response[: len(response) - len(body)] if no_body else response)

    def sleep(self, seconds: float) -> bool:
        """Wait; False as soon as the server is stopping."""
        return not self.server.wait_stopping(seconds) and not self._conn.closing

    def wait_for_disconnect(self, seconds: float) -> None:
        """Read and discard until the client closes, ``seconds`` pass, or a stop."""
        deadline = time.monotonic() + seconds
        while not self.stopping:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._conn.sock.settimeout(remaining)
            try:
                if not self._conn.recv():
                    return
            except TimeoutError:
                return

    def reset(self) -> None:
        """Close with an RST instead of a FIN once the handler returns."""
        self._conn.reset = True
