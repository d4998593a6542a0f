"""redirect-loop: the chain came back to a request it had already made, so it never ends.

Evidence: the trace stopped with outcome ``redirect-loop`` and the tracer named the cycle
(``chain.loop``: the URLs from the first repeated request on). Reported: each step of the
cycle (status, URL, Location; a synthetic HSTS 307 marked as such), how many redirects the
client took before it gave up, which clients give up on a cycle, and whether curl, which
keeps no cookies and no HSTS, loops too. Telling proxy, www and cookie loops apart is left
to the rules that name those causes.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import client_label, host, redirects
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.trace.model import Chain, Hop, Outcome

META = RuleMeta(id="redirect-loop", severity=Severity.ERROR)


def _cycle_hops(chain: Chain) -> tuple[Hop, ...]:
    """The hops whose requests make up ``chain.loop``, in order."""
    loop, hops = chain.loop, chain.hops
    for start in range(len(hops) - len(loop) + 1):
        window = hops[start : start + len(loop)]
        if tuple(h.request.url for h in window) == loop:
            return window
    return ()


def _step(hop: Hop) -> Evidence:
    if hop.synthetic:
        return evidence("step-hsts", hops=(hop.index,), url=hop.request.url, location=hop.location)
    return evidence(
        "step",
        hops=(hop.index,),
        status=hop.status,
        url=hop.request.url,
        location=hop.location or "",
    )


def _curl(subject: Subject) -> tuple[str, Evidence | None]:
    curl = subject.curl
    if curl is None or not curl.hops or subject.chain.profile == "curl":
        return "unknown", None
    count = len(redirects(curl))
    if curl.outcome in (Outcome.REDIRECT_LOOP, Outcome.TOO_MANY_REDIRECTS):
        return "loops", evidence("curl-loops", count=count)
    last = curl.hops[-1]
    if curl.outcome is Outcome.OK:
        return "ends", evidence("curl-ends", count=count, status=last.status, url=last.request.url)
    return "unknown", None


def check(subject: Subject) -> Iterator[Finding]:
    chain = subject.chain
    if chain.outcome is not Outcome.REDIRECT_LOOP or not chain.loop:
        return
    cycle = _cycle_hops(chain)
    client = client_label(chain.profile)
    count = len(redirects(chain))
    urls = chain.loop
    shape = "self" if len(urls) == 1 else "cycle"
    schemes = {u.split("://", 1)[0] for u in urls}
    items: list[Evidence] = [
        evidence("cycle", length=len(urls), cycle=" → ".join((*urls, urls[0]))),
        *(_step(h) for h in cycle),
        evidence("gave-up", client=client, count=count),
        evidence("everyone-gives-up"),
    ]
    curl_state, curl_item = _curl(subject)
    if curl_item is not None:
        items.append(curl_item)
    yield META.finding(
        evidence=tuple(items),
        hops=tuple(h.index for h in cycle),
        url=chain.request.url,
        first=urls[0],
        host=host(urls[0]),
        length=len(urls),
        count=count,
        client=client,
        shape=shape,
        mixed="yes" if schemes == {"http", "https"} else "no",
        curl=curl_state,
    )
