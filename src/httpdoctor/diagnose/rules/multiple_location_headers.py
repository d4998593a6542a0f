"""multiple-location-headers: one response with two or more Location header fields.

Evidence: a network hop (main trace, then the other-scheme variant) carrying several
non-empty Location values. Different values are an error: Chrome refuses the response
(ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION), curl stops with "Multiple Location headers",
and libraries that join them get a garbled URL. Identical copies are a warning: browsers
and curl tolerate them, stricter parsers and proxies do not, and they show that two
layers set the header.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import headers
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.diagnose.rules._hops import Seen, seen_hops
from httpdoctor.trace.urls import host_of

META = RuleMeta(id="multiple-location-headers", severity=Severity.ERROR)


def _finding(found: list[tuple[Seen, list[str]]], *, different: bool) -> Finding:
    items: list[Evidence] = []
    for seen, values in found:
        key = "different" if different else "identical"
        items.append(
            evidence(
                key,
                hops=seen.hops,
                url=seen.hop.request.url,
                status=seen.hop.status,
                count=len(values),
                values=" | ".join(values),
            )
        )
        if not seen.main:
            items.append(evidence("other-variant", url=seen.hop.request.url))
    first, values = found[0]
    return META.finding(
        evidence=tuple(items),
        hops=tuple(i for seen, _ in found for i in seen.hops),
        severity=Severity.ERROR if different else Severity.WARNING,
        url=first.hop.request.url,
        host=host_of(first.hop.request.url),
        count=len(values),
        kind="different" if different else "identical",
        first=values[0],
    )


def check(subject: Subject) -> Iterator[Finding]:
    different: list[tuple[Seen, list[str]]] = []
    identical: list[tuple[Seen, list[str]]] = []
    for seen in seen_hops(subject, skip_after_hsts=False):
        values = [v.strip(" \t") for v in headers(seen.hop, "location") if v.strip(" \t")]
        if len(values) < 2:
            continue
        (different if len(set(values)) > 1 else identical).append((seen, values))
    if different:
        yield _finding(different, different=True)
    if identical:
        yield _finding(identical, different=False)
