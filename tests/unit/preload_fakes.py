"""A fabricated network for the sans-IO preload checks: URLs to canned observations.

Used by the unit tests of hsts/domain.py to produce every domain-level code, including
those a real server cannot be made to cause (a socket that fails to close).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from httpdoctor.hsts.domain import Answer, DialWww, DomainVerdict, GetOnce, Probe, ReadChain, Steps
from httpdoctor.hsts.domain_checks import ChainCert, ChainFacts, WwwProbe
from httpdoctor.trace.model import ErrorKind, HopError, Observation, TlsInfo

__all__ = ["GOOD", "TLS13", "FakeNet", "drive", "fail", "page", "redirect"]

GOOD = "max-age=31536000; includeSubDomains; preload"
TLS13 = TlsInfo(version="TLSv1.3", cipher="TLS_AES_128_GCM_SHA256", certificate=None, verified=True)


LEAF_AND_INTERMEDIATE = ChainFacts(
    certificates=(
        ChainCert(common_name="site.test", sha1=False),
        ChainCert(common_name="Intermediate", sha1=False),
    ),
    complete=True,
)


def page(*, sts: str | tuple[str, ...] | None = GOOD, tls: TlsInfo | None = TLS13) -> Observation:
    """A 200 answer, with zero, one or several Strict-Transport-Security lines."""
    values = () if sts is None else (sts,) if isinstance(sts, str) else sts
    headers = tuple(("Strict-Transport-Security", v) for v in values)
    return Observation(status=200, headers=(("Content-Type", "text/html"), *headers), tls=tls)


def redirect(location: str, *, status: int = 301, sts: str | None = None) -> Observation:
    headers = [("Location", location)]
    if sts is not None:
        headers.append(("Strict-Transport-Security", sts))
    return Observation(status=status, headers=tuple(headers), tls=TLS13)


def fail(message: str = "connection refused", kind: ErrorKind = ErrorKind.CONNECT) -> Observation:
    return Observation(error=HopError(kind=kind, message=message))


@dataclass
class FakeNet:
    """Answers by exact URL; an unknown URL refuses the connection."""

    pages: Mapping[str, Observation] = field(default_factory=dict)
    insecure: Mapping[str, Observation] = field(default_factory=dict)  # verify=False answers
    verify_fails: frozenset[str] = frozenset()  # URLs whose certificate check fails
    chain: ChainFacts | None = field(default_factory=lambda: LEAF_AND_INTERMEDIATE)
    www: WwwProbe = field(default_factory=lambda: WwwProbe(tcp_connected=False))
    asked: list[Probe] = field(default_factory=list)

    def answer(self, probe: Probe) -> Answer:
        self.asked.append(probe)
        if isinstance(probe, ReadChain):
            return self.chain
        if isinstance(probe, DialWww):
            return self.www
        assert isinstance(probe, GetOnce)
        if not probe.verify and probe.url in self.insecure:
            return self.insecure[probe.url]
        if probe.verify and probe.url in self.verify_fails:
            return fail("certificate verify failed: unable to get local issuer", ErrorKind.TLS)
        return self.pages.get(probe.url, fail())

    def urls(self) -> list[str]:
        return [p.url for p in self.asked if isinstance(p, GetOnce)]


def drive(steps: Steps, net: FakeNet) -> DomainVerdict:
    """Run a domain-level generator against the fake network."""
    try:
        probe = next(steps)
        while True:
            probe = steps.send(net.answer(probe))
    except StopIteration as finished:
        verdict: DomainVerdict = finished.value
        return verdict
