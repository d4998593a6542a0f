"""One request on the wire, no redirects followed: the driver side of the tracer.

Everything the network can throw is turned into an ``Observation`` here, in one place
(ARCHITECTURE.md principle 4): a refused connection, a bad certificate, a garbage status
line or a body that never ends is data about the server, not an exception.
"""

from __future__ import annotations

import os
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import httpcore

from httpdoctor.errors import UsageError
from httpdoctor.fetch.backend import DnsFailure, TracingBackend
from httpdoctor.fetch.resolve import ResolveRule, match_rule
from httpdoctor.fetch.tls import classify_failure, fetch_certificate, session_info
from httpdoctor.trace.model import ErrorKind, HopError, Observation, Request, Timings, TlsInfo
from httpdoctor.trace.urls import origin_of

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


def _context(settings: FetchSettings, verify: bool) -> ssl.SSLContext:
    if not verify:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if settings.cacert is not None and not os.access(settings.cacert, os.R_OK):
        raise UsageError(
            f"cannot read --cacert {settings.cacert}", hint="give a readable PEM file of CAs"
        )
    try:
        return ssl.create_default_context(cafile=settings.cacert)
    except (ssl.SSLError, OSError) as exc:
        raise UsageError(
            f"--cacert {settings.cacert} holds no usable certificate: {exc}",
            hint="give a PEM file with one or more CA certificates",
        ) from None


def _latin1(value: bytes) -> str:
    return value.decode("latin-1")


class Fetcher:
    """Sends requests for one trace through a shared connection pool, as a browser does."""

    def __init__(self, settings: FetchSettings, *, clock: Any = time.time) -> None:
        self.settings = settings
        self._clock = clock
        self._deadline = time.monotonic() + settings.timeout
        self._backend = TracingBackend(settings.resolve, self._deadline)
        # Loading the system's CA store costs ~25 ms; an http:// trace never needs it, so
        # the TLS pools (and their contexts) are made on the first https:// request.
        if settings.cacert is not None:
            _context(settings, verify=True)  # a bad --cacert is a usage error up front
        self._plain = self._pool(None)
        self._tls_pools: dict[bool, httpcore.ConnectionPool] = {}

    def _pool(self, context: ssl.SSLContext | None) -> httpcore.ConnectionPool:
        return httpcore.ConnectionPool(
            ssl_context=context, network_backend=self._backend, max_connections=4, retries=0
        )

    def _pool_for(self, url: str, verify: bool) -> httpcore.ConnectionPool:
        if not url.startswith("https:"):
            return self._plain
        if verify not in self._tls_pools:
            self._tls_pools[verify] = self._pool(_context(self.settings, verify=verify))
        return self._tls_pools[verify]

    def close(self) -> None:
        for pool in (self._plain, *self._tls_pools.values()):
            pool.close()

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

    def _headers(self, request: Request) -> list[tuple[bytes, bytes]]:
        origin = origin_of(request.url)
        names = {k.lower() for k, _ in request.headers}
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in request.headers]
        if "host" not in names:
            default = {"http": 80, "https": 443}.get(origin.scheme)
            host = origin.host if origin.port == default else f"{origin.host}:{origin.port}"
            headers.insert(0, (b"Host", host.encode("ascii")))
        if request.body is not None and "content-length" not in names:
            headers.append((b"Content-Length", str(len(request.body)).encode()))
        return headers

    def _fetch(self, request: Request, *, verify: bool) -> Observation:
        marks: dict[str, float] = {}

        def trace(event: str, info: dict[str, Any]) -> None:
            marks[event] = time.monotonic()

        started = time.monotonic()
        left = max(self._deadline - started, 0.001)
        extensions = {
            "timeout": {"connect": left, "read": left, "write": left, "pool": left},
            "trace": trace,
        }
        with (
            self._errors(request, verify),
            self._pool_for(request.url, verify).stream(
                request.method,
                request.url.split("#", 1)[0],  # a fragment never goes on the wire
                headers=self._headers(request),
                content=request.body,
                extensions=extensions,
            ) as response,
        ):
            head = time.monotonic()
            # Ask the socket before reading the body: a body that breaks off closes it.
            stream = response.extensions.get("network_stream")
            peer = _peer(stream)
            tls = _tls(stream, verify) if request.url.startswith("https:") else None
            body, size, truncated, broken = self._read_body(response)
            return Observation(
                status=response.status,
                reason=_latin1(response.extensions.get("reason_phrase", b"")),
                http_version=_latin1(response.extensions.get("http_version", b"HTTP/1.1")),
                peer=peer,
                headers=tuple((_latin1(k), _latin1(v)) for k, v in response.headers),
                body_bytes=size,
                body_truncated=truncated,
                body_head=body,
                timings=_timings(marks, started, head, self._backend.clock.dns_ms),
                tls=tls,
                error=broken,
                at=self._clock(),
            )
        raise AssertionError("unreachable")  # pragma: no cover

    def _read_body(self, response: httpcore.Response) -> tuple[bytes, int, bool, HopError | None]:
        """Read up to the cap; a body that breaks off keeps the status, with the error."""
        head = bytearray()
        size = 0
        try:
            for chunk in response.iter_stream():
                size += len(chunk)
                if len(head) < _BODY_HEAD:
                    head += chunk[: _BODY_HEAD - len(head)]
                if size > self.settings.max_body:
                    return bytes(head), size, True, None  # closing drops the connection
        except httpcore.TimeoutException as exc:
            return bytes(head), size, False, _error(ErrorKind.TIMEOUT, exc, "timed out")
        except (httpcore.ProtocolError, httpcore.NetworkError) as exc:
            message = f"the body broke off after {size} bytes"
            return bytes(head), size, False, _error(ErrorKind.PROTOCOL, exc, message)
        return bytes(head), size, False, None

    @contextmanager
    def _errors(self, request: Request, verify: bool) -> Iterator[None]:
        """The one translation of foreign exceptions, most specific first (as httpx's
        map_httpcore_exceptions)."""
        try:
            yield
        except DnsFailure as exc:  # raised by our backend, outside httpcore's own mapping
            raise _Failure(HopError(kind=ErrorKind.DNS, message=str(exc))) from exc
        except httpcore.TimeoutException as exc:
            raise _Failure(_error(ErrorKind.TIMEOUT, exc, "timed out")) from exc
        except httpcore.ConnectError as exc:
            raise self._connect_failure(request, exc) from exc
        except (httpcore.RemoteProtocolError, httpcore.LocalProtocolError) as exc:
            kind = ErrorKind.TOO_LARGE if "too long" in str(exc).lower() else ErrorKind.PROTOCOL
            raise _Failure(_error(kind, exc, "the server broke the HTTP protocol")) from exc
        except (httpcore.ReadError, httpcore.WriteError, httpcore.NetworkError) as exc:
            raise _Failure(_error(ErrorKind.PROTOCOL, exc, "the connection broke")) from exc

    def _connect_failure(self, request: Request, exc: BaseException) -> _Failure:
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, DnsFailure):
                return _Failure(HopError(kind=ErrorKind.DNS, message=str(cause)))
            if isinstance(cause, ssl.SSLError):
                failure, message = classify_failure(cause)
                return _Failure(
                    HopError(kind=ErrorKind.TLS, message=f"{failure}: {message}"),
                    self._failed_tls(request, failure, message),
                )
            cause = cause.__cause__ or cause.__context__
        return _Failure(_error(ErrorKind.CONNECT, exc, "the connection failed"))

    def _failed_tls(self, request: Request, failure: str, message: str) -> TlsInfo:
        origin = origin_of(request.url)
        rule = match_rule(self.settings.resolve, origin.host, origin.port)
        address = rule.address if rule is not None else origin.host
        port = rule.target_port or origin.port if rule is not None else origin.port
        left = self._deadline - time.monotonic()
        seen = fetch_certificate(address, port, origin.host, min(left, 5.0))
        base = seen or TlsInfo(version=None, cipher=None, certificate=None, verified=False)
        return replace(base, verified=False, failure=failure, failure_message=message)


def _error(kind: ErrorKind, exc: BaseException, fallback: str) -> HopError:
    text = str(exc).strip() or fallback
    return HopError(kind=kind, message=" ".join(text.split()))


def _peer(stream: Any) -> str | None:
    if stream is None:
        return None
    try:
        address = stream.get_extra_info("server_addr")
    except OSError:
        return None
    if not address:
        return None
    host, port = address[0], address[1]
    return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"


def _tls(stream: Any, verified: bool) -> TlsInfo | None:
    ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
    return session_info(ssl_object, verified=verified) if ssl_object is not None else None


def _ms(a: float | None, b: float | None) -> float | None:
    return round((b - a) * 1000, 2) if a is not None and b is not None else None


def _timings(marks: dict[str, float], started: float, head: float, dns: float | None) -> Timings:
    connect = _ms(
        marks.get("connection.connect_tcp.started"), marks.get("connection.connect_tcp.complete")
    )
    tls = _ms(marks.get("connection.start_tls.started"), marks.get("connection.start_tls.complete"))
    sent = marks.get("http11.send_request_headers.started") or started
    return Timings(
        dns=round(dns, 2) if dns is not None and connect is not None else None,
        connect=connect,
        tls=tls,
        ttfb=_ms(sent, head),
        total=_ms(started, time.monotonic()),
    )
