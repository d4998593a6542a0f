"""One accepted socket of the hostile server, and reading one request off it.

:class:`Connection` buffers what it reads, can be aborted from any thread (which wakes up
whatever the serving thread is blocked on) and closes gracefully (FIN) or, once asked to,
with an RST. :func:`read_request` reads and records one request (Content-Length or chunked
body, trailers skipped); it raises :class:`~tests.servers.hostile_wire.BadRequest` for one
the server answers with an error status and returns None when the peer goes away first.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
import time
from urllib.parse import unquote, urlsplit

from tests.servers.hostile_wire import MAX_BODY, MAX_HEAD, BadRequest, RecordedRequest

__all__ = ["Connection", "read_request"]


class Connection:
    """One accepted socket; ``abort`` may be called from any thread."""

    def __init__(self, sock: socket.socket, client: tuple[str, int]) -> None:
        self.sock = sock
        self.client = client
        self.tls = False
        self.reset = False
        self._lock = threading.Lock()
        self._closing = False
        self._buffer = bytearray()

    def wrap_tls(self, context: ssl.SSLContext) -> ssl.SSLSocket | None:
        # No I/O happens here (the handshake is explicit), so holding the lock is cheap;
        # it keeps ``abort`` from shutting down the detached plain socket.
        with self._lock:
            if self._closing:
                return None
            wrapped = context.wrap_socket(
                self.sock, server_side=True, do_handshake_on_connect=False
            )
            self.sock = wrapped
            self.tls = True
            return wrapped

    def abort(self) -> None:
        """Wake up whatever the serving thread is blocked on; it then closes the socket."""
        with self._lock:
            self._closing = True
            # The plain socket method: SSLSocket.shutdown would drop the SSL object
            # under the feet of the serving thread.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(self.sock, socket.SHUT_RDWR)

    def close(self) -> None:
        with self._lock:
            self._closing = True
            if self.reset:
                with contextlib.suppress(OSError):
                    self.sock.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
            self.sock.close()

    @property
    def closing(self) -> bool:
        return self._closing

    def recv(self, size: int = 65536) -> bytes:
        if self._buffer:
            data = bytes(self._buffer[:size])
            del self._buffer[:size]
            return data
        return self.sock.recv(size)

    def read_until(self, marker: bytes, limit: int, too_long: int) -> bytes | None:
        """Bytes up to and including ``marker``; None if the peer closes first."""
        while True:
            index = self._buffer.find(marker)
            if index >= 0:
                end = index + len(marker)
                data = bytes(self._buffer[:end])
                del self._buffer[:end]
                return data
            if len(self._buffer) > limit:
                raise BadRequest(too_long)
            more = self.sock.recv(65536)
            if not more:
                return None
            self._buffer += more

    def read_exact(self, size: int) -> bytes | None:
        while len(self._buffer) < size:
            more = self.sock.recv(65536)
            if not more:
                return None
            self._buffer += more
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def finish(self, linger: float) -> None:
        """Half-close, then drain briefly so the response is not lost to an RST."""
        try:
            socket.socket.shutdown(self.sock, socket.SHUT_WR)
        except OSError:
            return
        deadline = time.monotonic() + linger
        drained = 0
        while drained < MAX_BODY and not self._closing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                self.sock.settimeout(remaining)
                data = self.sock.recv(65536)
            except (OSError, ValueError):
                return
            if not data:
                return
            drained += len(data)


def read_request(conn: Connection) -> RecordedRequest | None:
    """The next request on ``conn``; None if the peer closes before it is complete."""
    head = conn.read_until(b"\r\n\r\n", MAX_HEAD, too_long=431)
    if head is None:
        return None
    lines = head.lstrip(b"\r\n")[:-4].split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not parts[0] or not parts[1]:
        raise BadRequest(400)
    method, target, version = (part.decode("latin-1") for part in parts)
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not name.strip():
            raise BadRequest(400)
        headers.append((name.decode("latin-1").strip(), value.decode("latin-1").strip()))
    lowered = {name.lower(): value for name, value in headers}
    if "chunked" in lowered.get("transfer-encoding", "").lower():
        body = _read_chunked(conn)
    elif "content-length" in lowered:
        length = lowered["content-length"]
        if not length.isdigit():
            raise BadRequest(400)
        if int(length) > MAX_BODY:
            raise BadRequest(413)
        body = conn.read_exact(int(length))
    else:
        body = b""
    if body is None:
        return None
    raw_path, _, query = target.partition("#")[0].partition("?")
    if "://" in raw_path:  # absolute-form, as sent to proxies
        raw_path = urlsplit(raw_path).path or "/"
    path = unquote(raw_path.encode("latin-1").decode("utf-8", "replace"))
    return RecordedRequest(
        method=method,
        target=target,
        path=path,
        query=query,
        version=version,
        headers=tuple(headers),
        body=body,
        raw_head=head,
        tls=conn.tls,
        client=conn.client,
    )


def _read_chunked(conn: Connection) -> bytes | None:
    body = bytearray()
    while True:
        size_line = conn.read_until(b"\r\n", 1024, too_long=400)
        if size_line is None:
            return None
        size_text = size_line.split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise BadRequest(400) from None
        if size == 0:
            break
        if len(body) + size > MAX_BODY:
            raise BadRequest(413)
        chunk = conn.read_exact(size + 2)
        if chunk is None:
            return None
        body += chunk[:-2]
    while True:  # trailers, up to the empty line
        line = conn.read_until(b"\r\n", MAX_HEAD, too_long=431)
        if line is None:
            return None
        if line == b"\r\n":
            return bytes(body)
