"""HTTP/1.1 over one socket: h11 speaks the protocol, this module owns the socket.

A tracer needs control a general client hides: the address comes from ``--resolve`` while
SNI, certificate checks and Host keep the name (as with curl); DNS, connect, TLS and
first-byte times are taken at the phase boundaries; and every read and write gets only
what is left of the trace's overall deadline, so a server that trickles a byte a second
cannot stretch a trace past ``--timeout``. We drove httpcore for this before; importing
it costs more than the whole rest of a trace's start-up (ssl, certifi and logging even
for plain-http traces, and its async half), measured in ``bench/trace.py``.
"""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Self

import h11

from httpdoctor.fetch.resolve import ResolveRule, match_rule
from httpdoctor.trace.failures import worded

if TYPE_CHECKING:
    import ssl

__all__ = [
    "Broken",
    "ConnectFailure",
    "Connection",
    "DnsFailure",
    "Head",
    "Http11Connection",
    "Marks",
    "Timeout",
    "Violation",
    "open_connection",
]

_READ_SIZE = 64 * 1024
# Chromium refuses a response whose head exceeds kMaxHeaderBufSize (256 KiB,
# net/http/http_stream_parser.cc); below that a browser reads it, so do we.
MAX_HEAD_BYTES = 256 * 1024


class NetworkFailure(Exception):
    """A failure of one exchange. Made with ``worded``, it is in our own words (a key of
    trace.failures and its fields, which the reports put in the reader's language);
    made from a message, it carries someone else's (the OS's, OpenSSL's, h11's)."""

    why = ""
    details: tuple[tuple[str, str], ...] = ()

    @classmethod
    def worded(cls, why: str, **details: object) -> Self:
        text, fields = worded(why, **details)
        failure = cls(text)
        failure.why, failure.details = why, fields
        return failure


class DnsFailure(NetworkFailure):
    """The name did not resolve."""


class ConnectFailure(NetworkFailure):
    """TCP or TLS set-up failed; the cause (an OSError or ssl.SSLError) is chained."""


class Timeout(NetworkFailure):
    """The trace's deadline passed during a phase of this exchange."""


class Broken(NetworkFailure):
    """The connection failed after it was set up (reset, closed mid-body)."""


class Violation(NetworkFailure):
    """The peer broke HTTP; ``too_large`` when its head exceeded MAX_HEAD_BYTES."""

    too_large = False


class Marks:
    """Monotonic times at the phase boundaries of one exchange, for the hop's timings."""

    __slots__ = ("connect_end", "connect_start", "dns_ms", "head", "sent", "tls_end", "tls_start")

    def __init__(self) -> None:
        self.dns_ms: float | None = None
        self.connect_start: float | None = None
        self.connect_end: float | None = None
        self.tls_start: float | None = None
        self.tls_end: float | None = None
        self.sent: float | None = None
        self.head: float | None = None


class Head:
    """The status line and headers of a response, header names as the server cased them."""

    __slots__ = ("headers", "http_version", "reason", "status")

    def __init__(
        self, status: int, reason: bytes, http_version: bytes, headers: list[tuple[bytes, bytes]]
    ) -> None:
        self.status = status
        self.reason = reason
        self.http_version = http_version
        self.headers = headers


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise Timeout.worded("deadline")
    return left


def resolve(rules: Iterable[ResolveRule], host: str, port: int, marks: Marks) -> tuple[str, int]:
    """The address to dial: a ``--resolve`` rule's, the literal itself, or the system
    resolver's answer (timed)."""
    rule = match_rule(rules, host, port)
    if rule is not None:
        return rule.address, rule.target_port or port
    if _is_ip_literal(host):
        return host.strip("[]"), port  # nothing to look up, so no DNS time either
    started = time.monotonic()
    try:
        # The WHATWG parser already made the name ASCII (punycode); as bytes, getaddrinfo
        # skips Python's own IDNA codec and its import.
        infos = socket.getaddrinfo(host.encode("ascii"), port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise DnsFailure.worded("dns", host=host, reason=exc.strerror) from exc
    except UnicodeError as exc:
        raise DnsFailure.worded("dns-name", host=host) from exc
    finally:
        marks.dns_ms = (time.monotonic() - started) * 1000
    return str(infos[0][4][0]), port


def _is_ip_literal(host: str) -> bool:
    if host.startswith("["):
        return True
    # WHATWG hosts that look like IPv4 are already canonical dotted quads.
    return host.count(".") == 3 and host.replace(".", "").isdigit()


def open_connection(
    address: str,
    port: int,
    *,
    server_name: str,
    context: ssl.SSLContext | None,
    deadline: float,
    marks: Marks,
) -> Connection:
    """Dial ``address`` and, with a context, shake hands as ``server_name``."""
    marks.connect_start = time.monotonic()
    literal = address.strip("[]")
    # The address is always a literal here, so no lookup (and no IDNA codec) is needed.
    raw = socket.socket(socket.AF_INET6 if ":" in literal else socket.AF_INET)
    try:
        raw.settimeout(_left(deadline))
        raw.connect((literal, port))
    except TimeoutError as exc:
        raw.close()
        raise Timeout.worded("connect-timeout", address=f"{address}:{port}") from exc
    except OSError as exc:
        raw.close()
        raise ConnectFailure(str(exc) or "the connection failed") from exc
    except Timeout:
        raw.close()
        raise
    marks.connect_end = time.monotonic()
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if context is None:
        return Http11Connection(raw, deadline)
    marks.tls_start = time.monotonic()
    try:
        raw.settimeout(_left(deadline))
        tls = context.wrap_socket(raw, server_hostname=server_name.strip("[]"))
    except TimeoutError as exc:
        raw.close()
        raise Timeout.worded("tls-timeout") from exc
    except OSError as exc:  # ssl.SSLError is an OSError
        raw.close()
        raise ConnectFailure(str(exc) or "the TLS handshake failed") from exc
    except Timeout:
        raw.close()
        raise
    marks.tls_end = time.monotonic()
    if tls.selected_alpn_protocol() == "h2":
        from httpdoctor.fetch.http2 import Http2Connection  # h2 is loaded only when spoken

        return Http2Connection(tls, deadline)
    return Http11Connection(tls, deadline)


class Connection:
    """One client connection to one origin, whatever the protocol; the socket side."""

    http_version = b"HTTP/1.1"

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock = sock
        self._deadline = deadline

    @property
    def peer(self) -> str | None:
        try:
            host, port = self.sock.getpeername()[:2]
        except OSError:
            return None
        return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"

    @property
    def ssl_object(self) -> Any:
        return self.sock if hasattr(self.sock, "cipher") else None

    @property
    def unanswered(self) -> bool:
        """Nothing of the current exchange came back: safe to send it again elsewhere."""
        raise NotImplementedError

    def stale(self) -> bool:
        """An idle socket that is readable can only be about to report the server's close."""
        return self._readable()

    def send(
        self, method: str, target: str, headers: list[tuple[bytes, bytes]], body: bytes | None
    ) -> None:
        raise NotImplementedError

    def head(self) -> Head:
        raise NotImplementedError

    def body(self) -> Iterator[bytes]:
        raise NotImplementedError

    def finish(self) -> bool:
        """After a whole exchange: ready the next one, or say the connection is spent."""
        raise NotImplementedError

    def close(self) -> None:
        self.sock.close()

    def _readable(self) -> bool:
        try:
            readable, _, _ = select.select([self.sock], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)

    def _sendall(self, data: bytes, *, tolerate_close: bool = False) -> None:
        try:
            self.sock.settimeout(_left(self._deadline))
            self.sock.sendall(data)
        except TimeoutError as exc:
            raise Timeout.worded("send-timeout") from exc
        except OSError as exc:
            if not tolerate_close:
                raise Broken(str(exc) or "the connection broke") from exc

    def _recv(self, size: int) -> bytes:
        try:
            self.sock.settimeout(_left(self._deadline))
            return self.sock.recv(size)
        except TimeoutError as exc:
            raise Timeout.worded("read-timeout") from exc
        except OSError as exc:
            raise Broken(str(exc) or "the connection broke") from exc


class Http11Connection(Connection):
    """HTTP/1.1: exchanges run one after another while both sides keep the connection."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__(sock, deadline)
        # h11's own cap is a backstop (chunk-size lines and the like); the head's is ours.
        self._h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD_BYTES)
        self._received = 0  # bytes of the current exchange

    @property
    def unanswered(self) -> bool:
        return self._received == 0

    def send(
        self, method: str, target: str, headers: list[tuple[bytes, bytes]], body: bytes | None
    ) -> None:
        try:
            data = self._h11.send(h11.Request(method=method, target=target, headers=headers))
            if body:
                data = (data or b"") + (self._h11.send(h11.Data(data=body)) or b"")
            data = (data or b"") + (self._h11.send(h11.EndOfMessage()) or b"")
        except h11.LocalProtocolError as exc:
            raise Violation.worded("unsendable", reason=exc) from exc
        # A server may answer early and close (413, 401) before reading the whole
        # request; the answer is what a browser shows, so go on and read it.
        self._sendall(data, tolerate_close=True)

    def head(self) -> Head:
        while True:
            event = self._next_event()
            if isinstance(event, h11.Response) or (
                isinstance(event, h11.InformationalResponse) and event.status_code == 101
            ):
                break  # other 1xx responses (100, 103) come before the real one
        return Head(
            event.status_code,
            bytes(event.reason),
            b"HTTP/" + bytes(event.http_version),
            [(bytes(k), bytes(v)) for k, v in event.headers.raw_items()],
        )

    def body(self) -> Iterator[bytes]:
        while True:
            event = self._next_event()
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage) or event is h11.PAUSED:
                return

    def finish(self) -> bool:
        if self._h11.our_state is h11.DONE and self._h11.their_state is h11.DONE:
            self._h11.start_next_cycle()
            self._received = 0
            return True
        return False

    def _next_event(self) -> Any:
        while True:
            try:
                event = self._h11.next_event()
            except h11.RemoteProtocolError as exc:
                raise Violation(str(exc)) from exc
            if event is not h11.NEED_DATA:
                return event
            size = _READ_SIZE
            if self._h11.their_state is h11.SEND_RESPONSE:
                # Reading no further than the cap makes it exact: a head that fits is
                # whole within it, one that does not is still incomplete when it is full.
                buffered = len(self._h11.trailing_data[0])
                if buffered >= MAX_HEAD_BYTES:
                    limit = f"{MAX_HEAD_BYTES // 1024} KiB"
                    too_long = Violation.worded("head-too-long", limit=limit)
                    too_long.too_large = True
                    raise too_long
                size = min(size, MAX_HEAD_BYTES - buffered)
            data = self._recv(size)
            self._received += len(data)
            if not data and self._h11.their_state is h11.SEND_RESPONSE:
                raise Violation.worded("no-response")
            self._h11.receive_data(data)
