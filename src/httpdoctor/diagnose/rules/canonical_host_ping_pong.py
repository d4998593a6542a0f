"""A redirect loop between two names of one site: one layer forces www, another removes it.

Evidence, from the main chain's loop (``redirect-loop``, or ``too-many-redirects`` with a
repeating tail): the server responses of one turn come from exactly two hosts, which
differ by a leading ``www.`` (or share a registrable domain, like ``m.site.com`` and
``site.com``), and each of them redirects to the other. Who sent each redirect is shown
when the response says so (``X-Redirect-By``, ``X-Powered-By``, ``Server``), and
Cloudflare when its headers are on the looping answers.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import header, host, loop_turn, scheme
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.hsts.domains import registrable_domain
from httpdoctor.trace.model import Hop

META = RuleMeta(id="canonical-host-ping-pong", severity=Severity.ERROR)


def _relation(a: str, b: str) -> str | None:
    if a == "www." + b or b == "www." + a:
        return "www"
    top = registrable_domain(a)
    return "sibling" if top is not None and top == registrable_domain(b) else None


def _redirect_evidence(hop: Hop) -> Evidence:
    fields: dict[str, object] = {
        "url": hop.request.url,
        "status": hop.status,
        "location": hop.location or "",
    }
    for name in ("X-Redirect-By", "X-Powered-By"):
        if by := header(hop, name):
            return evidence("redirect-by", hops=(hop.index,), header=name, by=by, **fields)
    if server := header(hop, "server"):
        return evidence("redirect-server", hops=(hop.index,), server=server, **fields)
    return evidence("redirect", hops=(hop.index,), **fields)


def _cloudflare(tail: list[Hop]) -> Evidence | None:
    for hop in tail:
        server, ray = (header(hop, "server") or "").strip(), header(hop, "cf-ray")
        if ray is not None or server.lower() == "cloudflare":
            shown = ", ".join(f"{k}: {v}" for k, v in (("Server", server), ("CF-RAY", ray)) if v)
            return evidence("cloudflare", hops=(hop.index,), headers=shown)
    return None


def check(subject: Subject) -> Iterator[Finding]:
    chain = subject.chain
    turn, tail = loop_turn(chain, max_period=6)
    served = [h for h in turn if not h.synthetic and h.location is not None]
    names = list(dict.fromkeys(host(h.request.url) for h in served))
    if len(names) != 2:
        return
    first, second = names
    kind = _relation(first, second)
    if kind is None:
        return
    there = next(
        (
            h
            for h in served
            if host(h.request.url) == first and h.location and host(h.location) == second
        ),
        None,
    )
    back = next(
        (
            h
            for h in served
            if host(h.request.url) == second and h.location and host(h.location) == first
        ),
        None,
    )
    if there is None or back is None:
        return
    items = [_redirect_evidence(there), _redirect_evidence(back)]
    if (cloudflare := _cloudflare(tail)) is not None:
        items.append(cloudflare)
    items.append(evidence("repeats", count=max(1, len(tail) // len(turn)), client=chain.profile))
    www, apex = (first, second) if first.startswith("www.") else (second, first)
    if kind != "www":
        www = apex = ""  # the www fixes are shown only for kind=www
    yield META.finding(
        evidence=tuple(items),
        hops=tuple(h.index for h in turn),
        first_host=first,
        second_host=second,
        kind=kind,
        scheme=scheme(there.location or there.request.url),
        cdn="cloudflare" if cloudflare is not None else "unknown",
        www_host=www,
        apex_host=apex,
        apex_host_regex=apex.replace(".", "\\."),
    )
