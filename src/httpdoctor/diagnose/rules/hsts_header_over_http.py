"""hsts-header-over-http: Strict-Transport-Security sent on a plain-http response.

Browsers must ignore the header when it arrives over http (RFC 6797 §8.1) and servers
must not send it there (§7.2), so the header on an http:// response protects nobody and
often makes people believe the site "has HSTS". Evidence: every http:// network hop of
any trace (main, curl, fresh browser, the other scheme) that carries the header, and what
the https responses of the same hosts carry: the header, or nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import (
    all_chains,
    header,
    headers,
    host,
    is_https,
    main_hops,
    network_hops,
)
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.trace.model import Hop

META = RuleMeta(id="hsts-header-over-http", severity=Severity.WARNING)

_STS = "Strict-Transport-Security"


def _answered(hop: Hop) -> bool:
    return hop.observation.error is None and hop.status is not None


def check(subject: Subject) -> Iterator[Finding]:
    chains = all_chains(subject, http_first=True)
    hops = [h for chain in chains for h in network_hops(chain) if _answered(h)]
    items: list[Evidence] = []
    seen: set[tuple[str, str]] = set()
    hosts: list[str] = []
    first: Hop | None = None
    for hop in hops:
        url = hop.request.url
        if is_https(url):
            continue
        values = headers(hop, _STS)
        if not values or (url, values[0]) in seen:
            continue
        seen.add((url, values[0]))
        first = first or hop
        if host(url) not in hosts:
            hosts.append(host(url))
        items.append(
            evidence(
                "over-http",
                hops=main_hops(subject, hop),
                url=url,
                status=hop.status,
                header=values[0],
            )
        )
    if first is None:
        return
    secure = [
        h
        for h in hops
        if is_https(h.request.url)
        and host(h.request.url) in hosts
        and h.observation.tls is not None
        and h.observation.tls.verified
    ]
    sending = next((h for h in secure if header(h, _STS) is not None), None)
    if sending is not None:
        https_sts = "yes"
        items.append(
            evidence(
                "https-sends",
                hops=main_hops(subject, sending),
                url=sending.request.url,
                header=header(sending, _STS),
            )
        )
    elif secure:
        https_sts = "no"
        items.append(
            evidence(
                "https-lacks",
                hops=main_hops(subject, secure[0]),
                url=secure[0].request.url,
                status=secure[0].status,
            )
        )
    else:
        https_sts = "unknown"
    yield META.finding(
        evidence=tuple(items),
        hops=tuple(sorted({i for item in items for i in item.hops})),
        host=hosts[0],
        header=headers(first, _STS)[0],
        https_sts=https_sts,
    )
