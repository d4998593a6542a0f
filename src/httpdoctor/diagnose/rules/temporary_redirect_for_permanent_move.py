"""temporary-redirect-for-permanent-move: a 302 or 307 doing a job that is permanent by nature.

Evidence: a server redirect (synthetic HSTS 307s and other browser-internal hops excluded)
with status 302 or 307 whose target differs from the request only in a way that is never
temporary: http → https on the same host with the same path; the same path on the
www / non-www twin of the host; or, on the same origin, only a trailing slash or the case
of the path. Anything else (a login page, a language switch) is left alone. Every trace
is looked at (main, first-time browser, curl, the other scheme), because a returning
browser's HSTS hides the http hop; each distinct redirect is one evidence item.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import client_label, header
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.trace.model import Hop
from httpdoctor.trace.urls import origin_of

META = RuleMeta(id="temporary-redirect-for-permanent-move", severity=Severity.WARNING)

_KINDS = ("https", "www", "slash", "case")


def _path(url: str) -> tuple[str, str]:
    """Path and query of ``url``, the fragment dropped."""
    rest = url.split("://", 1)[-1].split("#", 1)[0]
    slash = rest.find("/")
    target = rest[slash:] if slash >= 0 else "/"
    path, _, query = target.partition("?")
    return path, query


def kind_of(url: str, location: str) -> str | None:
    """Which permanent-looking move a redirect from ``url`` to ``location`` is, if any."""
    old, new = origin_of(url), origin_of(location)
    same_target = _path(url) == _path(location)
    twins = old.host != new.host and (
        new.host == "www." + old.host or old.host == "www." + new.host
    )
    if twins and same_target:
        return "www"
    if (old.scheme, new.scheme) == ("http", "https") and old.host == new.host and same_target:
        return "https"
    if old != new:
        return None
    (p1, q1), (p2, q2) = _path(url), _path(location)
    if q1 != q2 or p1 == p2:
        return None
    if p1 + "/" == p2 or p2 + "/" == p1:
        return "slash"
    return "case" if p1.lower() == p2.lower() else None


def _candidates(subject: Subject) -> Iterator[tuple[str, bool, Hop]]:
    traces = (
        subject.chain,
        subject.fresh,
        subject.curl,
        subject.http_variant,
        subject.https_variant,
    )
    for chain in traces:
        if chain is None:
            continue
        client = client_label(chain.profile)
        for hop in chain.hops:
            if hop.synthetic or hop.location is None or hop.status not in (302, 307):
                continue
            if header(hop, "non-authoritative-reason") is not None:
                continue
            yield client, chain is subject.chain, hop


def check(subject: Subject) -> Iterator[Finding]:
    seen: set[tuple[str, int | None, str]] = set()
    items: list[Evidence] = []
    hops: list[int] = []
    examples: dict[str, tuple[str, str]] = {}
    for client, in_main, hop in _candidates(subject):
        location = hop.location or ""
        key = (hop.request.url, hop.status, location)
        kind = kind_of(hop.request.url, location)
        if kind is None or key in seen:
            continue
        seen.add(key)
        examples.setdefault(kind, (hop.request.url, location))
        where = (hop.index,) if in_main else ()
        hops.extend(where)
        items.append(
            evidence(
                f"hop-{kind}",
                hops=where,
                status=hop.status,
                url=hop.request.url,
                location=location,
                client=client,
            )
        )
    if not items:
        return
    flags = {k: "yes" if k in examples else "no" for k in _KINDS}
    https_from = examples.get("https", ("", ""))[0]
    www_from, www_to = examples.get("www", ("", ""))
    yield META.finding(
        evidence=tuple(items),
        hops=tuple(hops),
        https=flags["https"],
        www=flags["www"],
        slash=flags["slash"],
        case=flags["case"],
        count=len(items),
        https_host=origin_of(https_from).host if https_from else "",
        www_from=origin_of(www_from).host if www_from else "",
        www_to=origin_of(www_to).host if www_to else "",
        www_scheme=origin_of(www_to).scheme if www_to else "",
    )
