"""https-unreachable: nothing answers over https (refused, timed out, or no DNS name).

Evidence: an https network hop, in the main trace or in the https variant, that failed
with a connect, timeout or dns error; which redirect sent the client there, if one did;
whether the same URL over plain http answers; the addresses the name resolved to. Hops
right after a synthetic HSTS hop are left to hsts-upgrade-to-broken-https.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import is_https
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.diagnose.rules._hops import Seen, seen_hops
from httpdoctor.trace.model import Chain, ErrorKind, Outcome
from httpdoctor.trace.urls import origin_of

META = RuleMeta(id="https-unreachable", severity=Severity.ERROR)

_KINDS = frozenset({ErrorKind.CONNECT, ErrorKind.TIMEOUT, ErrorKind.DNS})


def _failed(seen: Seen) -> bool:
    error = seen.hop.observation.error
    return error is not None and error.kind in _KINDS and is_https(seen.hop.request.url)


def _http_evidence(subject: Subject) -> Evidence | None:
    """How the plain-http form of the URL fares, when it was traced."""
    chain: Chain | None = subject.http_variant
    if chain is None or not chain.hops or is_https(chain.request.url):
        return None
    first, last = chain.hops[0], chain.hops[-1]
    if first.observation.error is not None:
        return evidence(
            "http-fails", url=first.request.url, message=first.observation.error.message
        )
    if chain.outcome is Outcome.OK and last.status is not None and 200 <= last.status < 300:
        if last is first:
            return evidence("http-works-direct", url=first.request.url, status=last.status)
        return evidence(
            "http-works", url=first.request.url, status=last.status, final=last.request.url
        )
    return None


def check(subject: Subject) -> Iterator[Finding]:
    found = next((s for s in seen_hops(subject) if _failed(s)), None)
    if found is None:
        return
    hop = found.hop
    error = hop.observation.error
    if error is None:
        return
    origin = origin_of(hop.request.url)
    kind = error.kind.value
    items: list[Evidence] = [
        evidence(
            kind,
            hops=found.hops,
            url=hop.request.url,
            host=origin.host,
            port=origin.port,
            message=error.message,
        )
    ]
    before = found.previous
    redirected = before is not None and before.location is not None
    if before is not None and redirected:
        items.append(
            evidence(
                "redirected-here",
                hops=(before.index,) if found.main else (),
                url=before.request.url,
                status=before.status,
                location=before.location_raw or before.location,
            )
        )
    if not found.main:
        items.append(evidence("https-variant", url=hop.request.url))
    if subject.addresses and origin.host == origin_of(subject.url).host and kind != "dns":
        items.append(
            evidence("addresses", host=origin.host, addresses=", ".join(subject.addresses))
        )
    http = None if redirected and found.main else _http_evidence(subject)
    if http is not None:
        items.append(http)
    # Asked about http:// and only our own https:// probe failed: the site simply has no
    # https (yet). Worth saying, but it is not what broke the user's request.
    severity = Severity.WARNING if not found.main else None
    yield META.finding(
        evidence=tuple(items),
        hops=found.hops,
        severity=severity,
        host=origin.host,
        port=origin.port,
        kind=kind,
        redirected="yes" if redirected else "no",
        server_side="no" if kind == "dns" else "yes",
    )
