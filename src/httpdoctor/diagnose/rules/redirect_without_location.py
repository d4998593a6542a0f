"""redirect-without-location: a 301/302/303/307/308 with no Location, or an empty one.

Evidence: a network hop (main trace, then the other-scheme variant) with a redirect
status whose Location header is absent or blank. Browsers (Chromium: "an empty location
doesn't count") and HTTP libraries then stop there and show the response body; curl
too. Synthetic HSTS hops always carry a Location and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import REDIRECT_STATUSES, header, headers, status_line
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.diagnose.rules._hops import seen_hops
from httpdoctor.trace.urls import host_of

META = RuleMeta(id="redirect-without-location", severity=Severity.ERROR)


def check(subject: Subject) -> Iterator[Finding]:
    for seen in seen_hops(subject, skip_after_hsts=False):
        hop = seen.hop
        if hop.status not in REDIRECT_STATUSES or hop.observation.error is not None:
            continue
        values = headers(hop, "location")
        if any(v.strip() for v in values):
            continue
        problem = "empty" if values else "missing"
        url = hop.request.url
        items: list[Evidence] = [
            evidence(
                problem,
                hops=seen.hops,
                url=url,
                status=status_line(hop),
            )
        ]
        obs = hop.observation
        if obs.body_bytes:
            items.append(
                evidence(
                    "body",
                    hops=seen.hops,
                    size=obs.body_bytes,
                    type=header(hop, "content-type") or "?",
                )
            )
        refresh = header(hop, "refresh")
        if refresh:
            items.append(evidence("refresh", hops=seen.hops, value=refresh))
        if not seen.main:
            items.append(evidence("other-variant", url=url))
        yield META.finding(
            evidence=tuple(items),
            hops=seen.hops,
            url=url,
            host=host_of(url),
            status=hop.status,
            problem=problem,
        )
        return
