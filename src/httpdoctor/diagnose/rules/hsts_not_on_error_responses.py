"""hsts-not-on-error-responses: HSTS on some https responses of a host, not on its errors.

Evidence, per host, over https with a certificate the client accepted: at least one
response (a hop of any trace, or the returning browser's probe of the host) carries
Strict-Transport-Security, while a 4xx/5xx (or a 3xx) response of the same host does not.
This is what nginx ``add_header`` without ``always`` does to 4xx/5xx, and Apache
``Header set`` without ``always`` to redirects and errors. The missing response's Server
header, when present, says which of the two it probably is.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import (
    all_chains,
    header,
    host,
    is_verified_https,
    main_hops,
    network_hops,
)
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.trace.model import Chain, Hop

META = RuleMeta(id="hsts-not-on-error-responses", severity=Severity.WARNING)

_STS = "Strict-Transport-Security"


def _sent(subject: Subject, chains: list[Chain], name: str, hops: list[Hop]) -> Evidence | None:
    """The first response of the host that carries the header, as evidence."""
    for hop in hops:
        value = header(hop, _STS)
        if value is not None:
            return evidence(
                "sent",
                hops=main_hops(subject, hop),
                url=hop.request.url,
                status=hop.status,
                header=value,
            )
    for chain in chains:
        for probe in chain.probes:
            verified = probe.tls is not None and probe.tls.verified
            if probe.host == name and probe.sts_header is not None and verified:
                return evidence("sent", url=probe.url, status=probe.status, header=probe.sts_header)
    return None


def check(subject: Subject) -> Iterator[Finding]:
    chains = all_chains(subject)
    by_host: dict[str, list[Hop]] = {}
    for chain in chains:
        for hop in network_hops(chain):
            if is_verified_https(hop):
                by_host.setdefault(host(hop.request.url), []).append(hop)
    for name, hops in by_host.items():
        missing = [
            h for h in hops if h.status is not None and h.status >= 300 and header(h, _STS) is None
        ]
        if not missing:
            continue
        sent = _sent(subject, chains, name, hops)
        if sent is None:
            continue  # no HSTS at all on this host: hsts-missing's business
        items: list[Evidence] = [sent]
        seen: set[tuple[str, int | None]] = set()
        for hop in missing:
            if (hop.request.url, hop.status) in seen:
                continue
            seen.add((hop.request.url, hop.status))
            kind = "missing-error" if (hop.status or 0) >= 400 else "missing-redirect"
            items.append(
                evidence(kind, hops=main_hops(subject, hop), url=hop.request.url, status=hop.status)
            )
        server = header(missing[0], "Server")
        if server:
            items.append(evidence("server", server=server, status=missing[0].status))
        errors = any((h.status or 0) >= 400 for h in missing)
        yield META.finding(
            evidence=tuple(items),
            hops=tuple(sorted({i for item in items for i in item.hops})),
            host=name,
            missing_on="error" if errors else "redirect",
            status=missing[0].status,
            header=dict(sent.params)["header"],
        )
