"""A redirect loop kept alive by a cookie that the client is told to set but never sends.

Evidence, from the main chain (only when its client keeps cookies, as browsers do): the
chain ended in a loop (``redirect-loop``, or ``too-many-redirects`` with a repeating tail)
of at most four hops; inside it, responses send ``Set-Cookie`` for the same name again
and again, and not one later request carries that name in its ``Cookie`` header. Cookies
being deleted (empty value, ``Max-Age<=0``, an Expires in the past) are not sessions and
do not count. Why the cookie is dropped is read from its own attributes against the
request URLs: ``Secure`` over http, a ``Domain`` that does not cover the host, a ``Path``
that does not cover the next address. A cookie that SameSite kept off the later requests
(a page of another site started the navigation) is cookie-held-back-by-samesite's: its
attributes fit the address, the page they were measured against does not.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import (
    deletes_cookie,
    headers,
    held_back,
    host,
    loop_turn,
    network_hops,
    scheme,
    set_cookie_parts,
)
from httpdoctor.diagnose.model import Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.trace.model import Hop
from httpdoctor.trace.profiles import load_profiles
from httpdoctor.trace.urls import path_of

META = RuleMeta(id="cookie-never-sticks-loop", severity=Severity.ERROR)

MAX_CYCLE = 4


def _request_cookie_names(hop: Hop) -> set[str]:
    found: set[str] = set()
    for key, value in hop.request.headers:
        if key.lower() == "cookie":
            found.update(part.split("=", 1)[0].strip() for part in value.split(";"))
    return found - {""}


def _why(url: str, attrs: dict[str, str], later: list[Hop]) -> tuple[str, dict[str, object]]:
    where = host(url)
    domain = attrs.get("domain", "").lstrip(".").lower()
    if domain and where != domain and not where.endswith("." + domain):
        return "domain-mismatch", {"domain": attrs["domain"], "host": where}
    plain = [h.request.url for h in later if scheme(h.request.url) == "http"]
    if "secure" in attrs and (scheme(url) == "http" or len(plain) == len(later)):
        return "secure-over-http", {"url": url if scheme(url) == "http" else plain[0]}
    cookie_path = attrs.get("path", "")
    if cookie_path.startswith("/") and later:
        nxt = path_of(later[0].request.url)
        inside = nxt == cookie_path or nxt.startswith(cookie_path.rstrip("/") + "/")
        if not inside:
            return "path-mismatch", {"cookie_path": cookie_path, "next_path": nxt}
    return "unknown", {}


def check(subject: Subject) -> Iterator[Finding]:
    chain = subject.chain
    profile = load_profiles().get(chain.profile)
    if profile is not None and not profile.cookies:
        return  # this client keeps no cookies at all: another rule's business
    turn, tail = loop_turn(chain, max_period=MAX_CYCLE)
    if not turn or len([h for h in turn if not h.synthetic]) > MAX_CYCLE:
        return
    settings: dict[str, list[tuple[Hop, str, dict[str, str]]]] = {}
    for hop in (h for h in network_hops(chain) if h.index >= tail[0].index):
        for value in headers(hop, "set-cookie"):
            name, content, attrs = set_cookie_parts(value)
            if name and not deletes_cookie(content, attrs, hop.observation.at):
                settings.setdefault(name, []).append((hop, value, attrs))
    for name, sets in settings.items():
        start = sets[0][0].index
        later = [h for h in chain.hops if h.index > start]
        if len(sets) < 2 or not later or any(name in _request_cookie_names(h) for h in later):
            continue
        if any(held.cookie == name for h in later for held in held_back(h)):
            continue
        hop, value, attrs = sets[0]
        url = hop.request.url
        reason, fields = _why(url, attrs, later)
        others = sorted(set().union(*(_request_cookie_names(h) for h in later)))
        shown = tuple(s[0].index for s in sets[:3])
        items = [
            evidence("set-cookie", hops=shown, count=len(sets), cookie=name, value=value[:200]),
            evidence("never-sent", hops=(later[0].index,), count=len(later), cookie=name),
        ]
        if others:
            items.append(evidence("other-cookies-sent", names=", ".join(others)))
        if reason != "unknown":
            items.append(evidence(f"reason-{reason}", hops=(hop.index,), cookie=name, **fields))
        yield META.finding(
            evidence=tuple(items),
            hops=tuple(h.index for h in turn),
            cookie=name,
            reason=reason,
            url=url,
            host=host(url),
            path=path_of(url),
            cookie_domain=attrs.get("domain", "").lstrip("."),
            cookie_path=attrs.get("path", ""),
        )
        return
