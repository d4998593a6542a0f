"""The network side of the preload checks: answers the probes hsts/domain.py asks for.

Mirrors the Go library's clients (response.go, redirects.go, domain.go): every GET sends
``User-Agent: hstspreload-bot``, follows no redirect itself and has 10 s; requests the
core groups under one ``client`` share one deadline, as a Go ``http.Client`` following
its redirects does. ``--resolve`` and ``--cacert`` apply to every connection, including
the chain read and the two www dials.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from httpdoctor.fetch.fetcher import Fetcher, FetchSettings
from httpdoctor.fetch.resolve import match_rule
from httpdoctor.hsts.domain import (
    PROBE_TIMEOUT,
    USER_AGENT,
    Answer,
    DialWww,
    DomainVerdict,
    GetOnce,
    Probe,
    ReadChain,
    Steps,
)
from httpdoctor.hsts.domain_checks import ChainCert, ChainFacts, WwwProbe
from httpdoctor.trace.model import Observation, Request

__all__ = ["PreloadProber", "run_steps"]

# x509.SHA1WithRSA (both OIDs Go maps to it) and x509.ECDSAWithSHA1.
_SHA1_OIDS = frozenset({"1.2.840.113549.1.1.5", "1.3.14.3.2.29", "1.2.840.10045.4.1"})


class PreloadProber:
    """Answers probes with real connections; one instance per domain-level run."""

    def __init__(
        self, settings: FetchSettings, *, on_request: Callable[[str], None] | None = None
    ) -> None:
        self._settings = replace(settings, timeout=PROBE_TIMEOUT, insecure=False)
        self._clients: dict[str, Fetcher] = {}
        self._on_request = on_request

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    def answer(self, probe: Probe) -> Answer:
        if isinstance(probe, GetOnce):
            return self._get(probe)
        if isinstance(probe, ReadChain):
            return self._chain(probe.host)
        return self._www(probe)

    # -- GET ---------------------------------------------------------------------------

    def _get(self, probe: GetOnce) -> Observation:
        if self._on_request is not None:
            self._on_request(probe.url)
        request = Request(url=probe.url, method="GET", headers=(("User-Agent", USER_AGENT),))
        if probe.client is not None and probe.verify:
            client = self._clients.get(probe.client)
            if client is None:
                client = self._clients[probe.client] = Fetcher(self._settings)
            return client.fetch(request)
        # InsecureSkipVerify in Go; Fetcher retries a TLS failure without verification.
        settings = replace(self._settings, insecure=not probe.verify)
        with Fetcher(settings) as once:
            return once.fetch(request)

    # -- TLS: the chain, and www -------------------------------------------------------------

    def _address(self, host: str) -> tuple[str, int]:
        rule = match_rule(self._settings.resolve, host, 443)
        if rule is None:
            return host, 443
        return rule.address, rule.target_port or 443

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self._settings.cacert)

    def _chain(self, host: str) -> ChainFacts | None:
        """The verified chain without its root; only the leaf before Python 3.13."""
        try:
            with (
                socket.create_connection(self._address(host), timeout=PROBE_TIMEOUT) as raw,
                self._context().wrap_socket(raw, server_hostname=host) as tls,
            ):
                chain = _verified_chain(tls)
                leaf = tls.getpeercert(True)
        except (OSError, ssl.SSLError, ValueError):
            return None
        if chain is not None:
            certs = tuple(c for c in (_describe(der) for der in chain[:-1]) if c is not None)
            return ChainFacts(certificates=certs, complete=len(certs) == len(chain) - 1)
        if leaf and _self_issued(leaf):
            # A self-issued leaf verified as its own root: Go skips the root, so nothing
            # is left to check.
            return ChainFacts(certificates=(), complete=True)
        described = _describe(leaf) if leaf else None
        return ChainFacts(certificates=(described,) if described else (), complete=False)

    def _www(self, probe: DialWww) -> WwwProbe:
        """checkWWW: a TCP dial (closed again), then a verified TLS handshake."""
        address = self._address(probe.host)
        try:
            raw = socket.create_connection(address, timeout=PROBE_TIMEOUT)
        except OSError:
            return WwwProbe(tcp_connected=False)
        try:
            raw.close()
        except OSError as exc:
            return WwwProbe(tcp_connected=True, tcp_close_error=str(exc))
        try:
            raw = socket.create_connection(address, timeout=PROBE_TIMEOUT)
            tls = self._context().wrap_socket(raw, server_hostname=probe.host)
        except ssl.SSLCertVerificationError as exc:
            raw.close()
            return WwwProbe(
                tcp_connected=True, tls_error=(exc.verify_message or str(exc)).rstrip(".")
            )
        except (OSError, ssl.SSLError) as exc:
            raw.close()
            return WwwProbe(tcp_connected=True, tls_error=str(exc) or type(exc).__name__)
        try:
            tls.close()
        except OSError as exc:
            return WwwProbe(tcp_connected=True, tls_close_error=str(exc))
        return WwwProbe(tcp_connected=True)


def _verified_chain(tls: ssl.SSLSocket) -> list[bytes] | None:
    """DER of the verified chain, leaf first (SSLSocket.get_verified_chain, Python 3.13+)."""
    method: Any = getattr(tls, "get_verified_chain", None)
    if method is None:
        return None
    # Certificate.public_bytes() gives PEM by default.
    return [ssl.PEM_cert_to_DER_cert(str(cert.public_bytes())) for cert in method()]


def _self_issued(der: bytes) -> bool:
    from cryptography import x509

    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return False
    return cert.issuer == cert.subject


def _describe(der: bytes) -> ChainCert | None:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return None
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    common = str(names[0].value) if names else ""
    return ChainCert(
        common_name=common, sha1=cert.signature_algorithm_oid.dotted_string in _SHA1_OIDS
    )


def run_steps(
    steps: Steps, settings: FetchSettings, *, on_request: Callable[[str], None] | None = None
) -> DomainVerdict:
    """Drive a domain-level generator to its verdict with real connections."""
    prober = PreloadProber(settings, on_request=on_request)
    try:
        probe = next(steps)
        while True:
            probe = steps.send(prober.answer(probe))
    except StopIteration as finished:
        verdict: DomainVerdict = finished.value
        return verdict
    finally:
        prober.close()
