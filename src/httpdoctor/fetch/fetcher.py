"""One request on the wire, no redirects followed: the driver side of the tracer.

Everything the network can throw is turned into an ``Observation`` here, in one place
(ARCHITECTURE.md principle 4): a refused connection, a bad certificate, a garbage status
line or a body that never ends is data about the server, not an exception.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from httpdoctor.errors import UsageError
from httpdoctor.fetch.connection import (
    Broken,
    ConnectFailure,
    Connection,
    DnsFailure,
    Marks,
    NetworkFailure,
    Timeout,
    Violation,
    open_connection,
    resolve,
)
from httpdoctor.fetch.resolve import ResolveRule, match_rule
from httpdoctor.trace.model import ErrorKind, HopError, Observation, Request, Timings, TlsInfo
from httpdoctor.trace.urls import Origin, origin_of, target_of

if TYPE_CHECKING:
    import ssl

__all__ = ["FetchSettings", "Fetcher"]

_BODY_HEAD = 64 * 1024  # kept for rules that read the page (meta refresh)


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchSettings:
    """Network settings shared by every request of one trace."""

    resolve: tuple[ResolveRule, ...] = ()
    cacert: str | None = None
    insecure: bool = False
    timeout: float = 20.0  # seconds, for the whole trace
    max_body: int = 1024 * 1024


class _Failure(Exception):
    def __init__(self, error: HopError, tls: TlsInfo | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.tls = tls


class _Retry(Exception):
    """A kept-alive connection turned out closed before it answered: dial again."""


def _context(
    settings: FetchSettings, verify: bool, alpn: tuple[str, ...] = ("http/1.1",)
) -> ssl.SSLContext:
    import ssl  # only https:// hops pay for the TLS stack

    if not verify:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        if settings.cacert is not None and not os.access(settings.cacert, os.R_OK):
            raise UsageError.of("fetch.cacert_unreadable", path=settings.cacert)
        try:
            context = ssl.create_default_context(cafile=settings.cacert)
        except (ssl.SSLError, OSError) as exc:
            raise UsageError.of("fetch.cacert_unusable", path=settings.cacert, reason=exc) from None
    context.set_alpn_protocols(list(alpn))
    return context


def _latin1(value: bytes) -> str:
    return value.decode("latin-1")


_Key = tuple[str, str, int, bool]


class Fetcher:
    """Sends the requests of one trace, keeping connections alive per origin as a browser does."""

    def __init__(
        self,
        settings: FetchSettings,
        *,
        alpn: tuple[str, ...] = ("http/1.1",),
        clock: Any = time.time,
    ) -> None:
        self.settings = settings
        self._alpn = alpn  # the client's offer in the TLS hello; the server picks
        self._clock = clock
        self._deadline = time.monotonic() + settings.timeout
        # Loading the system's CA store costs ~25 ms; an http:// trace never needs it, so
        # the TLS contexts are made on the first https:// request.
        if settings.cacert is not None:
            _context(settings, verify=True)  # a bad --cacert is a usage error up front
        self._contexts: dict[bool, ssl.SSLContext] = {}
        self._idle: dict[_Key, Connection] = {}

    def close(self) -> None:
        for connection in self._idle.values():
            connection.close()
        self._idle.clear()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, request: Request) -> Observation:
        try:
            return self._fetch(request, verify=True)
        except _Failure as failure:
            if failure.error.kind is ErrorKind.TLS and self.settings.insecure:
                try:
                    observed = self._fetch(request, verify=False)
                except _Failure as again:
                    return Observation(error=again.error, tls=again.tls, at=self._clock())
                return replace(observed, tls=failure.tls)
            return Observation(error=failure.error, tls=failure.tls, at=self._clock())

    def _headers(self, request: Request, origin: Origin) -> list[tuple[bytes, bytes]]:
        names = {k.lower() for k, _ in request.headers}
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in request.headers]
        if "host" not in names:
            headers.insert(0, (b"Host", origin.authority.encode("ascii")))
        if request.body is not None and "content-length" not in names:
            headers.append((b"Content-Length", str(len(request.body)).encode()))
        return headers

    def _connection(self, key: _Key, origin: Origin, marks: Marks) -> tuple[Connection, bool]:
        """An idle kept-alive connection to the origin, or a new one; True when reused."""
        verify = key[3]
        idle = self._idle.pop(key, None)
        if idle is not None and not idle.stale():
            return idle, True
        if idle is not None:
            idle.close()
        context = None
        if origin.scheme == "https":
            if verify not in self._contexts:
                self._contexts[verify] = _context(self.settings, verify, self._alpn)
            context = self._contexts[verify]
        address, port = resolve(self.settings.resolve, origin.host, origin.port, marks)
        connection = open_connection(
            address,
            port,
            server_name=origin.host,
            context=context,
            deadline=self._deadline,
            marks=marks,
        )
        return connection, False

    def _fetch(self, request: Request, *, verify: bool) -> Observation:
        try:
            return self._exchange(request, verify=verify)
        except _Retry:
            # The dead connection is gone from the idle set, so this one dials afresh.
            return self._exchange(request, verify=verify)

    def _exchange(self, request: Request, *, verify: bool) -> Observation:
        marks = Marks()
        started = time.monotonic()
        origin = origin_of(request.url)
        key: _Key = (origin.scheme, origin.host, origin.port, verify)
        with self._errors(request):
            connection, reused = self._connection(key, origin, marks)
            keep = False
            try:
                marks.sent = time.monotonic()
                target = target_of(request.url)  # a fragment never goes on the wire
                connection.send(
                    request.method, target, self._headers(request, origin), request.body
                )
                try:
                    head = connection.head()
                except (Broken, Violation):
                    if reused and connection.unanswered:
                        raise _Retry from None  # the server had closed it while idle
                    raise
                marks.head = time.monotonic()
                tls = self._tls(connection, verify) if origin.scheme == "https" else None
                peer = connection.peer  # asked before the body: a broken body closes it
                body, size, truncated, broken = self._read_body(connection)
                keep = broken is None and not truncated and connection.finish()
            finally:
                if keep:
                    self._idle[key] = connection
                else:
                    connection.close()
            return Observation(
                status=head.status,
                reason=_latin1(head.reason),
                http_version=_latin1(head.http_version),
                peer=peer,
                headers=tuple((_latin1(k), _latin1(v)) for k, v in head.headers),
                body_bytes=size,
                body_truncated=truncated,
                body_head=body,
                timings=_timings(marks, started),
                tls=tls,
                error=broken,
                at=self._clock(),
            )
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _tls(connection: Connection, verified: bool) -> TlsInfo | None:
        from httpdoctor.fetch.tls import session_info

        ssl_object = connection.ssl_object
        return session_info(ssl_object, verified=verified) if ssl_object is not None else None

    def _read_body(self, connection: Connection) -> tuple[bytes, int, bool, HopError | None]:
        """Read up to the cap; a body that breaks off keeps the status, with the error."""
        head = bytearray()
        size = 0
        try:
            for chunk in connection.body():
                size += len(chunk)
                if len(head) < _BODY_HEAD:
                    head += chunk[: _BODY_HEAD - len(head)]
                if size > self.settings.max_body:
                    return bytes(head), size, True, None  # closing drops the connection
        except Timeout as exc:
            return bytes(head), size, False, _error(ErrorKind.TIMEOUT, exc, "timed out")
        except (Violation, Broken) as exc:
            message = f"the body broke off after {size} bytes"
            return bytes(head), size, False, _error(ErrorKind.PROTOCOL, exc, message)
        return bytes(head), size, False, None

    @contextmanager
    def _errors(self, request: Request) -> Iterator[None]:
        """The one translation of network failures into a hop's error, most specific first."""
        try:
            yield
        except DnsFailure as exc:
            raise _Failure(_error(ErrorKind.DNS, exc, "the name did not resolve")) from exc
        except Timeout as exc:
            raise _Failure(_error(ErrorKind.TIMEOUT, exc, "timed out")) from exc
        except ConnectFailure as exc:
            raise self._connect_failure(request, exc) from exc
        except Violation as exc:
            kind = ErrorKind.TOO_LARGE if exc.too_large else ErrorKind.PROTOCOL
            raise _Failure(_error(kind, exc, "the server broke the HTTP protocol")) from exc
        except Broken as exc:
            raise _Failure(_error(ErrorKind.PROTOCOL, exc, "the connection broke")) from exc

    def _connect_failure(self, request: Request, exc: ConnectFailure) -> _Failure:
        import ssl

        cause = exc.__cause__
        if isinstance(cause, ssl.SSLError):
            from httpdoctor.fetch.tls import classify_failure

            failure, message = classify_failure(cause)
            return _Failure(
                HopError(kind=ErrorKind.TLS, message=f"{failure}: {message}"),
                self._failed_tls(request, failure, message),
            )
        return _Failure(_error(ErrorKind.CONNECT, exc, "the connection failed"))

    def _failed_tls(self, request: Request, failure: str, message: str) -> TlsInfo:
        from httpdoctor.fetch.tls import fetch_certificate

        origin = origin_of(request.url)
        rule = match_rule(self.settings.resolve, origin.host, origin.port)
        address = rule.address if rule is not None else origin.host
        port = rule.target_port or origin.port if rule is not None else origin.port
        left = self._deadline - time.monotonic()
        seen = fetch_certificate(address, port, origin.host, min(left, 5.0))
        base = seen or TlsInfo(version=None, cipher=None, certificate=None, verified=False)
        return replace(base, verified=False, failure=failure, failure_message=message)


def _error(kind: ErrorKind, exc: BaseException, fallback: str) -> HopError:
    text = " ".join((str(exc).strip() or fallback).split())
    if isinstance(exc, NetworkFailure) and exc.why:
        return HopError(kind=kind, message=text, why=exc.why, details=exc.details)
    return HopError(kind=kind, message=text)


def _ms(a: float | None, b: float | None) -> float | None:
    return round((b - a) * 1000, 2) if a is not None and b is not None else None


def _timings(marks: Marks, started: float) -> Timings:
    connect = _ms(marks.connect_start, marks.connect_end)
    dns = marks.dns_ms
    return Timings(
        dns=round(dns, 2) if dns is not None and connect is not None else None,
        connect=connect,
        tls=_ms(marks.tls_start, marks.tls_end),
        ttfb=_ms(marks.sent or started, marks.head),
        total=_ms(started, time.monotonic()),
    )
