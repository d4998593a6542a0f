"""first-redirect-changes-host: http://host sends the visitor to another host of the same site
first (typically http://apex → https://www), instead of to https on the same host.

Evidence: the first server answer to an http:// request (from the main trace when it went
over the wire, else from a first-time browser or curl, because a returning browser's
HSTS 307 hides it), a Location on another host of the same registrable domain that is not
a parent of the start host (a parent's includeSubDomains would cover it), and no later
https response from the start host in that chain. Then https://host never answers the
visitor, so its own Strict-Transport-Security (and includeSubDomains) is never learned;
hstspreload calls the apex→www case ``redirects.http.www_first``. What https://host sends
(from the returning-visitor probes or the https variant) is added when known. Silent when
the host is on the preload list: then no browser sends the http request at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import header, host, is_https, network_hops
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.hsts.domains import registrable_domain
from httpdoctor.trace.model import Chain, Hop

META = RuleMeta(id="first-redirect-changes-host", severity=Severity.WARNING)


def covers(start: str, other: str) -> bool:
    """Whether a policy learned on ``other`` can cover ``start``: itself or a parent."""
    return start == other or start.endswith("." + other)


def skips_own_host(start: str, target: str) -> bool:
    """A first redirect from http://start to ``target`` host skips https on ``start``: the
    target is another host of the same site and no parent whose policy would cover it."""
    site = registrable_domain(start)
    return site is not None and site == registrable_domain(target) and not covers(start, target)


def _first_http(subject: Subject) -> tuple[str, Chain, Hop] | None:
    """The first trace whose first hop is a server's answer to an http:// request."""
    candidates = (
        ("main", subject.chain),
        ("fresh", subject.fresh),
        ("curl", subject.curl),
        ("fresh", subject.http_variant),
    )
    for label, chain in candidates:
        if chain is None or not chain.hops:
            continue
        first = chain.hops[0]
        if first.synthetic or is_https(first.request.url) or first.observation.error:
            continue
        return label, chain, first
    return None


def _own_https(subject: Subject, name: str) -> Evidence | None:
    """What https://name/ answers, from the probes or the https variant."""
    for probe in subject.chain.probes:
        if probe.host != name:
            continue
        if probe.error is not None:
            return evidence("own-https-fails", host=name, message=probe.error.message)
        return _sts(name, probe.sts_header)
    variant = subject.https_variant
    if variant is not None and variant.hops:
        first = variant.hops[0]
        if not first.synthetic and host(first.request.url) == name:
            if first.observation.error is not None:
                return evidence(
                    "own-https-fails", host=name, message=first.observation.error.message
                )
            return _sts(name, header(first, "strict-transport-security"))
    return None


def _sts(name: str, value: str | None) -> Evidence:
    if value is None:
        return evidence("own-no-sts", host=name)
    key = "own-sts-subdomains" if "includesubdomains" in value.lower() else "own-sts"
    return evidence(key, host=name, header=value)


def check(subject: Subject) -> Iterator[Finding]:
    hops = subject.chain.hops
    if hops and hops[0].hsts_source is not None and hops[0].hsts_source.via == "preload":
        return  # preloaded: no browser ever sends the http request
    found = _first_http(subject)
    if found is None:
        return
    label, chain, first = found
    if first.location is None:
        return
    start, target = host(first.request.url), host(first.location)
    if not skips_own_host(start, target):
        return
    later = network_hops(chain)[1:]
    if any(is_https(h.request.url) and covers(start, host(h.request.url)) for h in later):
        return  # the chain does come back to https on the start host (or a parent)
    www_first = target == "www." + start and registrable_domain(start) == start
    items: list[Evidence] = [
        evidence(
            f"first-hop-{label}",
            hops=(first.index,) if chain is subject.chain else (),
            url=first.request.url,
            status=first.status,
            location=first.location,
        )
    ]
    source = hops[0].hsts_source if hops else None
    if source is not None and source.via == "parent-includeSubDomains":
        items.append(evidence("parent-covers", host=start, parent=source.host))
    own = _own_https(subject, start)
    if own is not None:
        items.append(own)
    if www_first:
        items.append(evidence("www-first", host=start))
    yield META.finding(
        evidence=tuple(items),
        hops=(first.index,) if chain is subject.chain else (),
        url=first.request.url,
        location=first.location,
        start_host=start,
        target_host=target,
        target_scheme="https" if is_https(first.location) else "http",
        www_first="yes" if www_first else "no",
    )
