"""What a trace is made of: requests, observations, hops and the chain, as values.

A ``Hop`` is one request the client made (or, for HSTS, would have made) and what came
back. ``Observation`` is what the network driver saw for one request; the tracer turns
observations into hops. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Certificate",
    "Chain",
    "DroppedHeader",
    "ErrorKind",
    "Hop",
    "HopError",
    "HopKind",
    "HstsSource",
    "Observation",
    "Outcome",
    "Probe",
    "Request",
    "Timings",
    "TlsInfo",
]

Headers = tuple[tuple[str, str], ...]


class HopKind(StrEnum):
    NETWORK = "network"
    HSTS_INTERNAL = "hsts-internal"  # the browser's own 307, never on the wire


class ErrorKind(StrEnum):
    DNS = "dns"
    CONNECT = "connect"
    TLS = "tls"
    TIMEOUT = "timeout"
    PROTOCOL = "protocol"
    TOO_LARGE = "too_large"
    INVALID_LOCATION = "invalid_location"


class Outcome(StrEnum):
    OK = "ok"
    REDIRECT_LOOP = "redirect-loop"
    TOO_MANY_REDIRECTS = "too-many-redirects"
    ERROR = "error"


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """A request as the client sends it."""

    url: str
    method: str
    headers: Headers = ()
    body: bytes | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Timings:
    """Milliseconds per phase; None where the phase did not happen (no TLS, reused, …)."""

    dns: float | None = None
    connect: float | None = None
    tls: float | None = None
    ttfb: float | None = None
    total: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Certificate:
    """The facts of the server's leaf certificate that explain TLS failures."""

    subject: str
    sans: tuple[str, ...]
    issuer: str
    not_before: str  # ISO 8601, UTC
    not_after: str
    self_signed: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class TlsInfo:
    """The TLS session of one hop and whether the client would accept it."""

    version: str | None
    cipher: str | None
    certificate: Certificate | None
    verified: bool
    # name-mismatch | expired | not-yet-valid | self-signed | untrusted | other
    failure: str | None = None
    failure_message: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HopError:
    """Why a hop produced no usable response: ``message`` in English (as the JSON gives
    it); ``why`` and ``details`` when the words are ours (trace.failures), for the
    reports to say it in the reader's language."""

    kind: ErrorKind
    message: str
    why: str = ""
    details: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class DroppedHeader:
    """A request header the client did not carry over to this hop, and why: ``reason``
    in English (as the JSON gives it), ``why`` and ``details`` for the reports to say it
    in the reader's language (report/data/messages.toml, ``trace.dropped-<why>``)."""

    name: str
    reason: str
    why: str = ""
    details: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class HstsSource:
    """Which policy made the browser upgrade: whose, how it was learned, the header."""

    host: str
    via: str  # preload | dynamic | parent-includeSubDomains
    header: str | None = None
    list_version: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Observation:
    """What the network driver saw for one request."""

    status: int | None = None
    reason: str = ""
    http_version: str | None = None
    peer: str | None = None
    headers: Headers = ()
    body_bytes: int = 0
    body_truncated: bool = False
    body_head: bytes = b""
    timings: Timings = Timings()
    tls: TlsInfo | None = None
    error: HopError | None = None
    at: float = 0.0  # when the response (or the failure) arrived, epoch seconds


@dataclass(frozen=True, slots=True, kw_only=True)
class Hop:
    """One step of the chain as the client lived it."""

    index: int
    kind: HopKind
    request: Request
    dropped_headers: tuple[DroppedHeader, ...]
    observation: Observation
    location_raw: str | None = None
    location: str | None = None
    hsts_source: HstsSource | None = None

    @property
    def synthetic(self) -> bool:
        return self.kind is HopKind.HSTS_INTERNAL

    @property
    def status(self) -> int | None:
        return self.observation.status


@dataclass(frozen=True, slots=True, kw_only=True)
class Probe:
    """A visit made before the trace to learn a host's HSTS, as a returning browser would."""

    host: str
    url: str
    status: int | None
    sts_header: str | None
    learned: bool
    error: HopError | None = None
    tls: TlsInfo | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Chain:
    """A finished trace."""

    request: Request
    profile: str
    hops: tuple[Hop, ...]
    probes: tuple[Probe, ...]
    outcome: Outcome
    loop: tuple[str, ...] = ()
    stop_reason: str | None = None
    referrer: str | None = None  # the page the request came from, when given

    @property
    def final_status(self) -> int | None:
        return self.hops[-1].status if self.hops else None
