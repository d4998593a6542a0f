"""post-redirected-as-get: a request with a body (POST, PUT, PATCH…) is redirected with
301, 302 or 303, and the client repeats it as a GET without the body.

Evidence: in the main trace and curl's, a network hop whose request method is not GET or
HEAD, answered 301/302/303 with a Location, and the next network hop's request (an HSTS
307 in between keeps the method, so it is skipped) being GET with no body; and a sign the
data was lost rather than handled: the Location only normalises the URL (scheme, host,
slash, case: a rule that runs before any handler), or the GET ends in 405/411. A redirect
to another page after a POST is Post/Redirect/Get and stays silent. Reported: the
method and body size, the status and target, the body headers the client dropped, and
what the final URL answered to the GET (405, 411, or a 200 that never saw the data).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from httpdoctor.diagnose.facts import client_label, host, is_https
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.trace.model import Chain, Hop

META = RuleMeta(id="post-redirected-as-get", severity=Severity.ERROR)


def _next_network(chain: Chain, hop: Hop) -> Hop | None:
    return next((h for h in chain.hops[hop.index + 1 :] if not h.synthetic), None)


def _path(url: str) -> str:
    rest = url.split("://", 1)[-1].split("#", 1)[0].split("?", 1)[0]
    slash = rest.find("/")
    return rest[slash:] if slash >= 0 else "/"


def _same_resource(url: str, location: str) -> bool:
    """The Location only normalises the URL (scheme, host, trailing slash, case): a rule
    that ran before any handler, not the handler's own Post/Redirect/Get."""

    def key(u: str) -> tuple[str, str]:
        rest = u.split("://", 1)[-1].split("#", 1)[0]
        target = rest[rest.find("/") :] if "/" in rest else "/"
        path, _, query = target.partition("?")
        return path.rstrip("/").lower(), query

    return url != location and key(url) == key(location)


def _lost(chain: Chain) -> tuple[Hop, Hop] | None:
    """The first redirect after which a request with a body came back as a bare GET, when
    the evidence says the data was lost: the redirect only normalised the URL, or the
    GET was refused with 405/411. A POST answered by a redirect to another page is the
    usual Post/Redirect/Get after the data was handled, and is left alone."""
    last = chain.hops[-1] if chain.hops else None
    refused = last is not None and last.location is None and last.status in (405, 411)
    for hop in chain.hops:
        if hop.synthetic or hop.location is None or hop.status not in (301, 302, 303):
            continue
        if hop.request.method.upper() in ("GET", "HEAD"):
            continue
        following = _next_network(chain, hop)
        if following is None:
            continue
        if following.request.method.upper() != "GET" or following.request.body is not None:
            continue
        if refused or _same_resource(hop.request.url, hop.location):
            return hop, following
    return None


def _final(chain: Chain) -> Evidence | None:
    last = chain.hops[-1]
    if last.status is None or last.location is not None:
        return None
    key = {405: "final-405", 411: "final-411"}.get(last.status)
    if key is None:
        key = "final-ok" if last.status < 400 else "final-status"
    return evidence(key, hops=(last.index,), url=last.request.url, status=last.status)


def check(subject: Subject) -> Iterator[Finding]:
    traces = [subject.chain]
    if subject.curl is not None and subject.curl is not subject.chain:
        traces.append(subject.curl)
    items: list[Evidence] = []
    first: tuple[str, Hop, Hop, bool] | None = None
    seen: set[tuple[str, str]] = set()
    for chain in traces:
        found = _lost(chain)
        if found is None or (found[0].request.url, found[1].request.url) in seen:
            continue
        hop, following = found
        seen.add((hop.request.url, following.request.url))
        client = client_label(chain.profile)
        in_main = chain is subject.chain
        first = first or (client, hop, following, in_main)
        body = hop.request.body
        items.append(
            evidence(
                "became-get-body" if body else "became-get",
                hops=(hop.index, following.index) if in_main else (),
                client=client,
                method=hop.request.method,
                url=hop.request.url,
                size=len(body or b""),
                status=hop.status,
                location=hop.location,
            )
        )
        dropped = [d.name for d in following.dropped_headers if d.name.lower() != "authorization"]
        if dropped:
            items.append(evidence("dropped-headers", names=", ".join(dropped)))
        final = _final(chain)
        if final is not None:
            items.append(replace(final, hops=final.hops if in_main else ()))
    if first is None:
        return
    client, hop, following, in_main = first
    url, location = hop.request.url, hop.location or ""
    upgrade = not is_https(url) and is_https(location) and host(url) == host(location)
    yield META.finding(
        evidence=tuple(items),
        hops=(hop.index, following.index) if in_main else (),
        client=client,
        method=hop.request.method,
        url=url,
        location=location,
        status=hop.status,
        host=host(url),
        path=_path(url),
        https="yes" if upgrade else "no",
        slash="yes" if location.rstrip("/") == url.rstrip("/") and location != url else "no",
        see_other="yes" if hop.status == 303 else "no",
    )
