"""A misbehaving HTTP server on loopback, for proving that clients survive one.

``HostileServer`` is a threaded raw-socket server (standard library only) that reads one
request per connection, records it, and then picks its behaviour from the request path.
Everything it sends is written byte by byte by the handler, so it can break HTTP in ways
no framework would let it. It binds only to an IPv4 loopback address (127.0.0.0/8), on
an ephemeral port unless told otherwise, and can wrap every accepted socket in TLS.

Behaviours (``BEHAVIOURS``; a key ending in ``/`` matches every path under it):

=========================== ============================================================
path                        what the server does
=========================== ============================================================
``/``                       200, a plain-text list of these paths
``/status/<code>``          a well-formed response with that 3-digit code and a small body
                            (``status <code>``); no body for 1xx, 204 and 304 or for HEAD;
                            ``?location=URL`` adds a ``Location`` header; other input: 400
``/garbage-status``         status line ``HTTP/1.1 abc nonsense``, then headers and a body
``/random-bytes``           1 KiB of fixed pseudo-random bytes, no HTTP framing at all
``/no-status``              headers and a body, but no status line before them
``/http09``                 an HTML body straight away: no status line, no headers
``/redirect-no-location``   302 without a ``Location`` header
``/two-locations``          301 with two different ``Location`` headers
                            (``/status/200`` and ``/status/204``)
``/same-two-locations``     301 with ``Location: /status/200`` twice
``/non-ascii-location``     302 with ``Location: /путь`` as raw UTF-8 bytes (``/путь``,
                            raw or percent-encoded, answers 200)
``/empty-location``         302 with ``Location:`` and an empty value
``/invalid-location``       302 with ``Location: http://[::1`` (an unclosed IPv6 literal)
``/redirect-to/<n>``        302 to ``/redirect-to/<n-1>``; 200 at 0; not a number: 400
``/loop-a``, ``/loop-b``    302 to each other, forever
``/huge-headers``           200 with about 100 KiB of headers (1,000 ``X-Filler-*`` lines)
``/huge-header-line``       200 with one 100 KiB header line
``/bad-chunked``            200, ``Transfer-Encoding: chunked``, one good chunk, then a chunk
                            size ``zz`` and the connection closed
``/endless-body``           200, no ``Content-Length``, body bytes until the client goes
                            away, the server stops, or ``endless_limit`` (50 MB) is sent
``/trickle``                a valid 200 response sent one byte per ``trickle_interval``
                            (1 s); ends at once when the server stops
``/hang``                   reads the request and never answers; closes after
                            ``hang_seconds`` (60 s), when the client goes away, or on stop
``/close-immediately``      reads the request and closes (FIN) without sending a byte
``/reset``                  reads the request and resets the connection (RST)
anything else               404 ``no such behaviour``
=========================== ============================================================

Extending it: a handler is ``Callable[[Exchange], None]``; add it to ``BEHAVIOURS`` for
every server, pass ``handlers={path: fn}`` to one server, or set
``server.handlers[path] = fn`` before the request arrives. The connection is closed when
the handler returns (gracefully, unless it called ``Exchange.reset``).

Usage::

    with HostileServer() as server:                      # 127.0.0.1, ephemeral port
        urlopen(server.url("/status/200"))
        assert server.requests[0].path == "/status/200"

    with HostileServer(certfile=pem, keyfile=key) as tls_server:   # or tls=SSLContext
        ...                                               # tls_server.url() is https://

Requests are recorded (``server.requests``, ``server.wait_for_requests``) before the
handler runs. TLS failures on the server side go to ``server.tls_errors`` and unexpected
handler exceptions to ``server.handler_errors``; client disconnects are normal here and
are not errors. All threads are daemon threads; ``stop()`` shuts every socket down, so it
returns promptly even while a handler is trickling, hanging or streaming.
"""

from __future__ import annotations

import contextlib
import http
import ipaddress
import os
import random
import re
import socket
import ssl
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = [
    "BEHAVIOURS",
    "Exchange",
    "Handler",
    "HostileServer",
    "RecordedRequest",
    "build_response",
    "tls_context",
    "tls_context_from_pem",
]

Handler = Callable[["Exchange"], None]
HeaderValue = str | bytes

MAX_HEAD = 64 * 1024
MAX_BODY = 1024 * 1024
_LOOPBACK = ipaddress.IPv4Network("127.0.0.0/8")
_CHUNK = b"x" * 65536


class _BadRequest(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedRequest:
    """One request as the server read it off the wire."""

    method: str
    target: str
    """The request target exactly as sent, decoded as latin-1 (one char per byte)."""
    path: str
    """The path used for dispatch: percent-decoded, UTF-8, without query or fragment."""
    query: str
    version: str
    headers: tuple[tuple[str, str], ...]
    """Every header line in order (duplicates kept), values decoded as latin-1."""
    body: bytes
    raw_head: bytes
    tls: bool
    client: tuple[str, int]

    def header(self, name: str) -> str | None:
        """The first value of a header, by case-insensitive name."""
        values = self.header_values(name)
        return values[0] if values else None

    def header_values(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]


def build_response(
    status: int | str,
    reason: str | None = None,
    headers: Iterable[tuple[str, HeaderValue]] = (),
    body: bytes = b"",
    *,
    content_length: bool = True,
    close: bool = True,
) -> bytes:
    """The bytes of an HTTP/1.1 response; header values given as bytes go out raw."""
    if reason is None:
        reason = _reason(int(status)) if str(status).isdigit() else ""
    lines = [f"HTTP/1.1 {status} {reason}".encode("latin-1")]
    for name, value in headers:
        raw = value if isinstance(value, bytes) else value.encode("latin-1")
        lines.append(name.encode("latin-1") + b": " + raw if raw else name.encode() + b":")
    if content_length:
        lines.append(b"Content-Length: %d" % len(body))
    if close:
        lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def _reason(code: int) -> str:
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return "Unknown"


def tls_context(
    certfile: str | os.PathLike[str], keyfile: str | os.PathLike[str] | None = None
) -> ssl.SSLContext:
    """A server-side context from PEM files (the key may be inside ``certfile``)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certfile, keyfile)
    context.set_alpn_protocols(["http/1.1"])
    return context


def tls_context_from_pem(cert_chain_pem: bytes, key_pem: bytes) -> ssl.SSLContext:
    """A server-side context from PEM bytes (e.g. trustme's ``cert_chain_pems``)."""
    with tempfile.TemporaryDirectory(prefix="hostile-tls-") as folder:
        cert_path, key_path = Path(folder, "cert.pem"), Path(folder, "key.pem")
        cert_path.write_bytes(cert_chain_pem)
        key_path.write_bytes(key_pem)
        return tls_context(cert_path, key_path)


class _Connection:
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
                raise _BadRequest(too_long)
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


class Exchange:
    """What a handler gets: the request, the server, and the raw connection."""

    def __init__(self, server: HostileServer, conn: _Connection, request: RecordedRequest) -> None:
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


# --- behaviours ------------------------------------------------------------------------

_TEXT = ("Content-Type", "text/plain; charset=utf-8")
_STATUS = re.compile(r"[0-9]{3}")
_UNICODE_PATH = "/путь"


def _index(ex: Exchange) -> None:
    paths = "\n".join(sorted(ex.server.handlers)) + "\n"
    ex.reply(200, paths.encode(), [_TEXT])


def _not_found(ex: Exchange) -> None:
    ex.reply(404, b"no such behaviour\n", [_TEXT])


def _status(ex: Exchange) -> None:
    code = ex.request.path.removeprefix("/status/")
    if not _STATUS.fullmatch(code):
        ex.reply(400, b"want /status/<3 digits>\n", [_TEXT])
        return
    headers: list[tuple[str, HeaderValue]] = [_TEXT]
    headers += [("Location", value) for value in parse_qs(ex.request.query).get("location", [])]
    ex.reply(int(code), f"status {code}\n".encode(), headers)


def _garbage_status(ex: Exchange) -> None:
    ex.send(b"HTTP/1.1 abc nonsense\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabc\n")


def _random_bytes(ex: Exchange) -> None:
    ex.send(random.Random(0x5EED).randbytes(1024))


def _no_status(ex: Exchange) -> None:
    ex.send(b"Content-Type: text/plain\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n")


def _http09(ex: Exchange) -> None:
    ex.send(b"<html><body>HTTP/0.9 style: a body and nothing else</body></html>\n")


def _redirect(ex: Exchange, status: int, *locations: HeaderValue) -> None:
    ex.reply(status, b"", [("Location", location) for location in locations])


def _redirect_no_location(ex: Exchange) -> None:
    _redirect(ex, 302)


def _two_locations(ex: Exchange) -> None:
    _redirect(ex, 301, "/status/200", "/status/204")


def _same_two_locations(ex: Exchange) -> None:
    _redirect(ex, 301, "/status/200", "/status/200")


def _non_ascii_location(ex: Exchange) -> None:
    _redirect(ex, 302, _UNICODE_PATH.encode("utf-8"))


def _unicode_target(ex: Exchange) -> None:
    ex.reply(200, f"you reached {_UNICODE_PATH}\n".encode(), [_TEXT])


def _empty_location(ex: Exchange) -> None:
    _redirect(ex, 302, "")


def _invalid_location(ex: Exchange) -> None:
    _redirect(ex, 302, "http://[::1")


def _redirect_to(ex: Exchange) -> None:
    rest = ex.request.path.removeprefix("/redirect-to/")
    if not rest.isascii() or not rest.isdigit():
        ex.reply(400, b"want /redirect-to/<n>\n", [_TEXT])
        return
    hops = int(rest)
    if hops == 0:
        ex.reply(200, b"end of the chain\n", [_TEXT])
    else:
        _redirect(ex, 302, f"/redirect-to/{hops - 1}")


def _loop_a(ex: Exchange) -> None:
    _redirect(ex, 302, "/loop-b")


def _loop_b(ex: Exchange) -> None:
    _redirect(ex, 302, "/loop-a")


def _huge_headers(ex: Exchange) -> None:
    filler = [(f"X-Filler-{index:04d}", "a" * 88) for index in range(1000)]
    ex.reply(200, b"ok", filler)


def _huge_header_line(ex: Exchange) -> None:
    ex.reply(200, b"ok", [("X-Huge", "a" * 100 * 1024)])


def _bad_chunked(ex: Exchange) -> None:
    ex.send(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        b"5\r\nhello\r\nzz\r\nthis is not a chunk\r\n"
    )


def _endless_body(ex: Exchange) -> None:
    ex.send(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
    )
    sent, limit = 0, ex.server.endless_limit
    while sent < limit and not ex.stopping:
        size = min(len(_CHUNK), limit - sent)
        ex.send(_CHUNK[:size])
        sent += size


def _trickle(ex: Exchange) -> None:
    body = b"this body arrives one byte at a time\n"
    response = build_response(200, None, [_TEXT], body)
    for index in range(len(response)):
        if index and not ex.sleep(ex.server.trickle_interval):
            return
        ex.send(response[index : index + 1])


def _hang(ex: Exchange) -> None:
    ex.wait_for_disconnect(ex.server.hang_seconds)


def _close_immediately(ex: Exchange) -> None:
    del ex  # the connection is closed (FIN) when the handler returns


def _reset(ex: Exchange) -> None:
    ex.reset()


BEHAVIOURS: dict[str, Handler] = {
    "/": _index,
    "/status/": _status,
    "/garbage-status": _garbage_status,
    "/random-bytes": _random_bytes,
    "/no-status": _no_status,
    "/http09": _http09,
    "/redirect-no-location": _redirect_no_location,
    "/two-locations": _two_locations,
    "/same-two-locations": _same_two_locations,
    "/non-ascii-location": _non_ascii_location,
    _UNICODE_PATH: _unicode_target,
    "/empty-location": _empty_location,
    "/invalid-location": _invalid_location,
    "/redirect-to/": _redirect_to,
    "/loop-a": _loop_a,
    "/loop-b": _loop_b,
    "/huge-headers": _huge_headers,
    "/huge-header-line": _huge_header_line,
    "/bad-chunked": _bad_chunked,
    "/endless-body": _endless_body,
    "/trickle": _trickle,
    "/hang": _hang,
    "/close-immediately": _close_immediately,
    "/reset": _reset,
}


# --- the server --------------------------------------------------------------------------


class HostileServer:
    """A threaded raw-socket HTTP/1.1 server that misbehaves on purpose; see the module."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        tls: ssl.SSLContext | None = None,
        certfile: str | os.PathLike[str] | None = None,
        keyfile: str | os.PathLike[str] | None = None,
        handlers: Mapping[str, Handler] | None = None,
        trickle_interval: float = 1.0,
        hang_seconds: float = 60.0,
        endless_limit: int = 50 * 1000 * 1000,
        request_timeout: float = 10.0,
        io_timeout: float = 30.0,
        linger: float = 1.0,
    ) -> None:
        address = ipaddress.ip_address(host)  # a name such as "localhost" is refused too
        if not isinstance(address, ipaddress.IPv4Address) or address not in _LOOPBACK:
            raise ValueError(f"HostileServer binds only to 127.0.0.0/8, not {host!r}")
        if tls is not None and certfile is not None:
            raise ValueError("give either tls= or certfile=, not both")
        if certfile is not None:
            tls = tls_context(certfile, keyfile)
        elif keyfile is not None:
            raise ValueError("keyfile= needs certfile=")
        self.host = host
        self._port = port
        self.tls = tls
        self.handlers: dict[str, Handler] = {**BEHAVIOURS, **(handlers or {})}
        self.trickle_interval = trickle_interval
        self.hang_seconds = hang_seconds
        self.endless_limit = endless_limit
        self.request_timeout = request_timeout
        self.io_timeout = io_timeout
        self.linger = linger
        self.tls_errors: list[str] = []
        self.handler_errors: list[str] = []
        self._requests: list[RecordedRequest] = []
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._connections: set[_Connection] = set()
        self._threads: list[threading.Thread] = []
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None

    # --- lifecycle

    def start(self) -> Self:
        if self._listener is not None:
            raise RuntimeError("HostileServer can be started once")
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((self.host, self._port))
            listener.listen(128)
            listener.settimeout(0.1)  # accept() wakes up to look at the stop flag
        except BaseException:
            listener.close()
            raise
        self._listener = listener
        self._port = listener.getsockname()[1]
        self._accept_thread = threading.Thread(
            target=self._accept_loop, name=f"hostile-accept-{self._port}", daemon=True
        )
        self._accept_thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Close the listener and every connection; idempotent; returns within ``timeout``."""
        listener = self._listener
        if listener is None or self._stopping.is_set():
            return
        deadline = time.monotonic() + timeout
        self._stopping.set()
        self._abort_connections()
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)
        if self._accept_thread is not None:
            self._accept_thread.join(max(0.0, deadline - time.monotonic()))
        listener.close()
        self._abort_connections()  # any accepted while the accept thread was finishing
        with self._changed:
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        with self._changed:
            self._changed.notify_all()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- addresses and what was seen

    @property
    def port(self) -> int:
        if self._listener is None:
            raise RuntimeError("the server is not started")
        return self._port

    @property
    def address(self) -> tuple[str, int]:
        return (self.host, self.port)

    @property
    def scheme(self) -> str:
        return "http" if self.tls is None else "https"

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def wait_stopping(self, seconds: float) -> bool:
        return self._stopping.wait(seconds)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._changed:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._changed:
            self._requests.clear()

    def wait_for_requests(self, count: int, timeout: float = 2.0) -> list[RecordedRequest]:
        """The recorded requests once there are at least ``count`` (TimeoutError if not)."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._requests) >= count, timeout):
                raise TimeoutError(f"{len(self._requests)} of {count} requests arrived")
            return list(self._requests)

    def wait_until(self, condition: Callable[[], bool], timeout: float = 2.0) -> bool:
        """Poll ``condition`` (e.g. ``lambda: server.tls_errors``) until true or timeout."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
        return True

    @property
    def active_connections(self) -> int:
        with self._changed:
            return len(self._connections)

    @property
    def threads(self) -> list[threading.Thread]:
        """This server's threads that are still alive."""
        with self._changed:
            threads = list(self._threads)
        if self._accept_thread is not None:
            threads.append(self._accept_thread)
        return [thread for thread in threads if thread.is_alive()]

    # --- internals

    def _abort_connections(self) -> None:
        with self._changed:
            connections = list(self._connections)
        for conn in connections:
            conn.abort()

    def _accept_loop(self) -> None:
        listener = self._listener
        assert listener is not None
        count = 0
        while not self._stopping.is_set():
            try:
                sock, client = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                if self._stopping.is_set():
                    return
                time.sleep(0.01)  # e.g. out of file descriptors: try again shortly
                continue
            if self._stopping.is_set():
                sock.close()
                return
            try:
                sock.settimeout(self.request_timeout)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                sock.close()
                continue
            count += 1
            conn = _Connection(sock, (str(client[0]), int(client[1])))
            thread = threading.Thread(
                target=self._serve, args=(conn,), name=f"hostile-conn-{self._port}-{count}"
            )
            thread.daemon = True
            with self._changed:
                self._threads = [t for t in self._threads if t.is_alive()]
                self._threads.append(thread)
                self._connections.add(conn)
            thread.start()

    def _serve(self, conn: _Connection) -> None:
        request: RecordedRequest | None = None
        try:
            if self._stopping.is_set():
                return
            if self.tls is not None:
                wrapped = conn.wrap_tls(self.tls)
                if wrapped is None:
                    return
                wrapped.do_handshake()
            try:
                request = self._read_request(conn)
            except _BadRequest as bad:
                conn.sock.sendall(build_response(bad.status, None, [_TEXT], b"bad request\n"))
                conn.finish(self.linger)
                return
            if request is None:
                return
            with self._changed:
                self._requests.append(request)
                self._changed.notify_all()
            conn.sock.settimeout(self.io_timeout)
            handler = self._dispatch(request.path)
            handler(Exchange(self, conn, request))
            if not conn.reset:
                conn.finish(self.linger)
        except ssl.SSLError as exc:
            self._note(self.tls_errors, request, exc)
        except OSError as exc:
            # The client went away, or stop() shut the socket: normal for this server.
            # A handshake that times out or is cut is still worth a note for TLS tests.
            if conn.tls and request is None and not self._stopping.is_set():
                self._note(self.tls_errors, request, exc)
        except Exception as exc:
            self._note(self.handler_errors, request, exc)
        finally:
            try:
                conn.close()
            finally:
                with self._changed:
                    self._connections.discard(conn)
                    self._changed.notify_all()

    def _note(self, into: list[str], request: RecordedRequest | None, exc: BaseException) -> None:
        where = f"{request.method} {request.target}" if request else "before the request"
        with self._changed:
            into.append(f"{where}: {type(exc).__name__}: {exc}")
            self._changed.notify_all()

    def _dispatch(self, path: str) -> Handler:
        handler = self.handlers.get(path)
        if handler is not None:
            return handler
        prefixes = [key for key in self.handlers if key.endswith("/") and len(key) > 1]
        for prefix in sorted(prefixes, key=len, reverse=True):
            if path.startswith(prefix):
                return self.handlers[prefix]
        return _not_found

    def _read_request(self, conn: _Connection) -> RecordedRequest | None:
        head = conn.read_until(b"\r\n\r\n", MAX_HEAD, too_long=431)
        if head is None:
            return None
        lines = head.lstrip(b"\r\n")[:-4].split(b"\r\n")
        parts = lines[0].split(b" ")
        if len(parts) != 3 or not parts[0] or not parts[1]:
            raise _BadRequest(400)
        method, target, version = (part.decode("latin-1") for part in parts)
        headers: list[tuple[str, str]] = []
        for line in lines[1:]:
            name, colon, value = line.partition(b":")
            if not colon or not name.strip():
                raise _BadRequest(400)
            headers.append((name.decode("latin-1").strip(), value.decode("latin-1").strip()))
        lowered = {name.lower(): value for name, value in headers}
        if "chunked" in lowered.get("transfer-encoding", "").lower():
            body = self._read_chunked(conn)
        elif "content-length" in lowered:
            length = lowered["content-length"]
            if not length.isdigit():
                raise _BadRequest(400)
            if int(length) > MAX_BODY:
                raise _BadRequest(413)
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

    def _read_chunked(self, conn: _Connection) -> bytes | None:
        body = bytearray()
        while True:
            size_line = conn.read_until(b"\r\n", 1024, too_long=400)
            if size_line is None:
                return None
            size_text = size_line.split(b";")[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise _BadRequest(400) from None
            if size == 0:
                break
            if len(body) + size > MAX_BODY:
                raise _BadRequest(413)
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
