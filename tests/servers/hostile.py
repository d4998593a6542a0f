"""A misbehaving HTTP server on loopback, for proving that clients survive one.

``HostileServer`` is a threaded raw-socket server (standard library only) that reads one
request per connection, records it, and then picks its behaviour from the request path.
Everything it sends is written byte by byte by the handler, so it can break HTTP in ways
no framework would let it. It binds only to an IPv4 loopback address (127.0.0.0/8), on
an ephemeral port unless told otherwise, and can wrap every accepted socket in TLS.

The paths it answers, and how, are ``BEHAVIOURS``; their table is in
:mod:`tests.servers.hostile_behaviours`.

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

The parts: :mod:`tests.servers.hostile_wire` (the recorded request, response bytes),
:mod:`tests.servers.hostile_connection` (one socket, reading a request off it),
:mod:`tests.servers.hostile_exchange` (what a handler gets) and
:mod:`tests.servers.hostile_behaviours` (the catalogue). Their public names are
re-exported here.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Self

from tests.servers.hostile_behaviours import BEHAVIOURS, not_found
from tests.servers.hostile_connection import Connection, read_request
from tests.servers.hostile_exchange import Exchange, Handler
from tests.servers.hostile_wire import MAX_BODY as MAX_BODY
from tests.servers.hostile_wire import MAX_HEAD as MAX_HEAD
from tests.servers.hostile_wire import (
    PLAIN_TEXT,
    BadRequest,
    RecordedRequest,
    build_response,
)
from tests.servers.hostile_wire import HeaderValue as HeaderValue

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

_LOOPBACK = ipaddress.IPv4Network("127.0.0.0/8")


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
        self._connections: set[Connection] = set()
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
            conn = Connection(sock, (str(client[0]), int(client[1])))
            thread = threading.Thread(
                target=self._serve, args=(conn,), name=f"hostile-conn-{self._port}-{count}"
            )
            thread.daemon = True
            with self._changed:
                self._threads = [t for t in self._threads if t.is_alive()]
                self._threads.append(thread)
                self._connections.add(conn)
            thread.start()

    def _serve(self, conn: Connection) -> None:
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
                request = read_request(conn)
            except BadRequest as bad:
                conn.sock.sendall(build_response(bad.status, None, [PLAIN_TEXT], b"bad request\n"))
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
        return not_found
