"""https-to-http-downgrade: a server answers an https:// request with a Location on http://.

Evidence: any network hop (synthetic HSTS hops are the browser's, never a downgrade)
requested over https whose resolved Location is http://, in any trace (main, first-time
browser, curl, either scheme). Reported per distinct redirect, with what happened next in
that trace: the browser's HSTS switching it straight back to https (and the loop it makes,
if the trace looped), or the next request going out over plain http with cookies, by name.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import client_label, host, is_https, scheme
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.trace.model import Chain, Hop, Outcome

META = RuleMeta(id="https-to-http-downgrade", severity=Severity.ERROR)


def _cookie_names(value: str) -> str:
    names = (part.split("=", 1)[0].strip() for part in value.split(";"))
    return ", ".join(dict.fromkeys(n for n in names if n))


def _after(chain: Chain, hop: Hop) -> list[Evidence]:
    """What the trace shows right after the downgrade."""
    items: list[Evidence] = []
    following = chain.hops[hop.index + 1] if hop.index + 1 < len(chain.hops) else None
    if following is not None and following.request.url == hop.location:
        source = following.hsts_source
        if following.synthetic and source is not None:
            items.append(evidence("hsts-bounces", location=hop.location, source=source.host))
        elif not following.synthetic:
            sent = following.request.headers
            cookies = "; ".join(v for k, v in sent if k.lower() == "cookie")
            if cookies:
                items.append(
                    evidence(
                        "cookies-in-clear", location=hop.location, names=_cookie_names(cookies)
                    )
                )
    if chain.outcome is Outcome.REDIRECT_LOOP and hop.request.url in chain.loop:
        items.append(evidence("in-loop"))
    return items


def check(subject: Subject) -> Iterator[Finding]:
    traces = (
        subject.chain,
        subject.fresh,
        subject.curl,
        subject.http_variant,
        subject.https_variant,
    )
    seen: set[tuple[str, str]] = set()
    items: list[Evidence] = []
    hops: list[int] = []
    first: Hop | None = None
    for chain in traces:
        if chain is None:
            continue
        for hop in chain.hops:
            location = hop.location
            if hop.synthetic or location is None or not is_https(hop.request.url):
                continue
            if scheme(location) != "http" or (hop.request.url, location) in seen:
                continue
            seen.add((hop.request.url, location))
            first = first or hop
            where = (hop.index,) if chain is subject.chain else ()
            hops.extend(where)
            items.append(
                evidence(
                    "downgrade",
                    hops=where,
                    client=client_label(chain.profile),
                    url=hop.request.url,
                    status=hop.status,
                    location=location,
                )
            )
            items.extend(_after(chain, hop))
    if first is None or first.location is None:
        return
    source, target = host(first.request.url), host(first.location)
    yield META.finding(
        evidence=tuple(items),
        hops=tuple(hops),
        url=first.request.url,
        location=first.location,
        host=source,
        target_host=target,
        same_host="yes" if source == target else "no",
        count=len(seen),
    )
