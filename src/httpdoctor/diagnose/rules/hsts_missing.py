"""hsts-missing: the site works over valid https but never sends Strict-Transport-Security.

Evidence: https network hops (main chain, the https variant, the other traces) that
answered 2xx/3xx over a certificate the client accepted, in a trace that ended normally
(not in a redirect loop or an error); none of the https responses carries the header, and
no visit to the same host (the returning browser's probes) got one either. IP addresses
and localhost are left out: browsers keep no HSTS for them. When the browser still holds a
policy for the host (learned earlier, from a parent's includeSubDomains or from the
preload list), that is said too.
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
from httpdoctor.hsts.hosts import is_ip_address
from httpdoctor.trace.model import Hop, Outcome

META = RuleMeta(id="hsts-missing", severity=Severity.WARNING)

_STS = "Strict-Transport-Security"
_MAX_ITEMS = 3


def _hsts_capable(name: str) -> bool:
    return not is_ip_address(name) and name != "localhost" and not name.endswith(".localhost")


def _valid_https(hop: Hop) -> bool:
    """An https response the browser would take a policy from."""
    return is_verified_https(hop) and _hsts_capable(host(hop.request.url))


def check(subject: Subject) -> Iterator[Finding]:
    chains = all_chains(subject)
    secure = [h for c in chains for h in network_hops(c) if _valid_https(h)]
    # "Answers over https" needs a trace that ends well: a loop of 301s does not count.
    working = [
        h
        for c in chains
        if c.outcome is Outcome.OK
        for h in network_hops(c)
        if _valid_https(h) and h.status is not None and 200 <= h.status < 400
    ]
    if not working or any(header(h, _STS) is not None for h in secure):
        return
    hosts = {host(h.request.url) for h in secure}
    for chain in chains:
        for probe in chain.probes:
            verified = probe.tls is not None and probe.tls.verified
            if probe.host in hosts and probe.sts_header is not None and verified:
                return  # the host sends it elsewhere (its home page): not "missing"
    items: list[Evidence] = []
    seen: set[str] = set()
    for hop in secure:
        if hop.request.url in seen or len(items) >= _MAX_ITEMS:
            continue
        seen.add(hop.request.url)
        items.append(
            evidence(
                "no-header", hops=main_hops(subject, hop), url=hop.request.url, status=hop.status
            )
        )
    first = working[0]
    name = host(first.request.url)
    covered = next(
        (h for h in subject.chain.hops if h.synthetic and h.hsts_source is not None), None
    )
    if covered is not None and covered.hsts_source is not None:
        source = covered.hsts_source
        if source.via in ("preload", "parent-includeSubDomains", "dynamic"):
            items.append(
                evidence(
                    f"covered-{source.via}",
                    hops=(covered.index,),
                    host=name,
                    source=source.host,
                    header=source.header or "",
                )
            )
    yield META.finding(
        evidence=tuple(items),
        hops=tuple(sorted({i for item in items for i in item.hops})),
        host=name,
        url=first.request.url,
    )
