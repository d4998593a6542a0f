"""error-at-end-of-chain: the redirects lead to an error page (4xx or 5xx).

Evidence, from the main trace: at least one redirect a server sent (a synthetic HSTS
307 alone does not count: that case belongs to hsts-upgrade-to-broken-https, as a refusal
of a form whose Origin a redirect made null belongs to origin-null-after-redirect, and one
of a request SameSite kept the session off to cookie-held-back-by-samesite), a final
network hop that answered 4xx/5xx, the last redirect that sent the client there, and,
when curl reached a working page instead, what curl got. A URL that answers 404 without
any redirect is not a redirect problem and is left alone. When the method changed on the way (a POST
turned into GET by a 301/302/303), the evidence says so: the error may come from that.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import final_hop, network_hops, status_line
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.diagnose.rules import cookie_held_back_by_samesite, origin_null_after_redirect
from httpdoctor.trace.model import Outcome
from httpdoctor.trace.urls import host_of

META = RuleMeta(id="error-at-end-of-chain", severity=Severity.ERROR)


def check(subject: Subject) -> Iterator[Finding]:
    chain = subject.chain
    last = final_hop(chain)
    if last is None or last.synthetic or last.observation.error is not None:
        return
    status = last.status
    if status is None or status < 400 or status > 599:
        return
    if len(chain.hops) > 1 and chain.hops[-2].synthetic:
        return  # an HSTS upgrade straight into an error: hsts-upgrade-to-broken-https
    if origin_null_after_redirect.explains(subject):
        return
    if cookie_held_back_by_samesite.explains(subject):
        return
    sent = [h for h in network_hops(chain) if h.location is not None and h is not last]
    if not sent:
        return
    before = sent[-1]
    final_url = last.request.url
    items: list[Evidence] = [
        evidence("path", start=chain.request.url, final=final_url, count=len(sent)),
        evidence(
            "last-redirect",
            hops=(before.index,),
            url=before.request.url,
            status=before.status,
            location=before.location_raw or before.location,
        ),
        evidence(
            "final",
            hops=(last.index,),
            url=final_url,
            status=status_line(last),
        ),
    ]
    if last.request.method != chain.request.method:
        items.append(
            evidence(
                "method-changed",
                hops=(last.index,),
                before=chain.request.method,
                after=last.request.method,
                status=status,
            )
        )
    curl = subject.curl
    if curl is not None and curl.hops and curl is not chain:
        end = curl.hops[-1]
        if curl.outcome is Outcome.OK and end.status is not None and 200 <= end.status < 300:
            items.append(evidence("curl-works", url=end.request.url, status=end.status))
    yield META.finding(
        evidence=tuple(items),
        hops=(before.index, last.index),
        start=chain.request.url,
        final=final_url,
        host=host_of(final_url),
        status=status,
        family=f"{status // 100}xx",
        count=len(sent),
    )
