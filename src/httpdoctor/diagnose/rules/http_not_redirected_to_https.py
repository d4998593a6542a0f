"""http-not-redirected-to-https: http:// serves the page although https works.

Evidence: a trace of the http:// URL with no HSTS upgrade in it (the http variant, a fresh
browser, curl, or the main chain, whichever first has none) whose network hops all stay on
plain http and end in a 2xx, while the https variant of the same URL works: its trace
ended normally (no loop, no error), every hop stayed on https over a certificate the
client accepted, and the last one is a 2xx or 3xx. A page that redirects with a meta
refresh is left to other rules. When the main chain shows the browser upgrading on its
own (HSTS), that is said too: it hides the problem from returning visitors only.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import host, is_https, main_hops, network_hops
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.trace.model import Chain, Hop, Outcome

META = RuleMeta(id="http-not-redirected-to-https", severity=Severity.WARNING)


def _plain_http(subject: Subject) -> Chain | None:
    """The first trace of the http:// URL that the server alone decided (no HSTS hop)."""
    for chain in (subject.http_variant, subject.fresh, subject.curl, subject.chain):
        if chain is None or not chain.hops or is_https(chain.request.url):
            continue
        if not any(h.synthetic for h in chain.hops):
            return chain
    return None


def _serves_http(chain: Chain) -> Hop | None:
    """The final hop when every hop stayed on http and the last one is a 2xx page."""
    hops = network_hops(chain)
    if not hops or any(is_https(h.request.url) for h in hops):
        return None
    last = hops[-1]
    if last.observation.error is not None or last.status is None:
        return None
    if not 200 <= last.status < 300:
        return None
    page = last.observation.body_head.lower()
    if b"http-equiv" in page and b"refresh" in page:
        return None
    return last


def _https_works(subject: Subject) -> Chain | None:
    for chain in (subject.https_variant, subject.chain):
        if chain is None or not is_https(chain.request.url):
            continue
        hops = network_hops(chain)
        if not hops:
            continue
        if chain.outcome is not Outcome.OK:
            return None  # a loop or an error is not "https works"
        for hop in hops:
            tls = hop.observation.tls
            if hop.observation.error is not None or hop.status is None:
                return None
            # A hop back to http would make an http->https redirect loop.
            if not is_https(hop.request.url) or tls is None or not tls.verified:
                return None
        status = hops[-1].status or 0
        return chain if 200 <= status < 400 else None
    return None


def check(subject: Subject) -> Iterator[Finding]:
    chain = _plain_http(subject)
    if chain is None:
        return
    last = _serves_http(chain)
    secure = _https_works(subject)
    if last is None or secure is None:
        return
    first = network_hops(chain)[0]
    final_secure = network_hops(secure)[-1]
    items: list[Evidence] = [
        evidence(
            "http-serves" if last is first else "http-serves-elsewhere",
            hops=main_hops(subject, last),
            url=first.request.url,
            final=last.request.url,
            status=last.status,
            client=chain.profile,
        ),
        evidence(
            "https-works",
            hops=main_hops(subject, final_secure),
            url=secure.request.url,
            status=final_secure.status,
        ),
    ]
    upgrade = next((h for h in subject.chain.hops if h.synthetic and h.hsts_source), None)
    if upgrade is not None and upgrade.hsts_source is not None:
        items.append(
            evidence(
                "hsts-hides",
                hops=(upgrade.index,),
                source=upgrade.hsts_source.host,
            )
        )
    yield META.finding(
        evidence=tuple(items),
        hops=tuple(sorted({i for item in items for i in item.hops})),
        host=host(first.request.url),
        url=first.request.url,
        https_url=secure.request.url,
    )
