"""A redirect loop over the scheme: the origin never learns that the visitor came over https.

Evidence, from the main chain's loop (``redirect-loop``, or ``too-many-redirects`` with a
repeating tail): either one https:// URL that redirects to itself (the TLS-terminating
proxy or CDN talks http to the origin, which "upgrades" again: Cloudflare Flexible), or
a cycle over one host and path that alternates http:// and https://, where the https→http
step is the origin's (the http→https step may be a server's or the browser's HSTS).
``Server: cloudflare`` / ``CF-RAY`` and ``Via`` on the looping hops are reported. A
self-redirect that is explained by a refused cookie is left to cookie-never-sticks-loop.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import header, host, is_https, loop_turn, scheme
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.diagnose.rules import cookie_never_sticks_loop
from httpdoctor.trace.model import Hop
from httpdoctor.trace.urls import origin_of

META = RuleMeta(id="proxy-scheme-loop", severity=Severity.ERROR)


def _place(url: str) -> tuple[str, int | None, str]:
    """Host, non-default port and path with query: the URL with its scheme left out."""
    origin = origin_of(url)
    port = None if origin.default_port else origin.port
    rest = url.split("#", 1)[0].split("://", 1)[-1]
    slash = rest.find("/")
    return origin.host, port, rest[slash:] if slash >= 0 else "/"


def _proxy_evidence(tail: list[Hop]) -> tuple[str, list[Evidence]]:
    for hop in tail:
        server, ray = header(hop, "server") or "", header(hop, "cf-ray")
        if ray is not None or server.strip().lower() == "cloudflare":
            shown = ", ".join(
                f"{name}: {value}" for name, value in (("Server", server), ("CF-RAY", ray)) if value
            )
            return "cloudflare", [evidence("cloudflare", hops=(hop.index,), headers=shown)]
    for hop in tail:
        if (via := header(hop, "via")) is not None:
            return "proxy", [evidence("via", hops=(hop.index,), value=via)]
    return "unknown", []


def check(subject: Subject) -> Iterator[Finding]:
    chain = subject.chain
    turn, tail = loop_turn(chain, max_period=4)
    if not turn:
        return
    served = [h for h in turn if not h.synthetic and h.location is not None]
    items: list[Evidence] = []
    upgrade = "none"
    if len(turn) == 1 and served and is_https(turn[0].request.url):
        key = served[0]
        if key.location is None or _place(key.location) != _place(key.request.url):
            return
        if not is_https(key.location) or any(cookie_never_sticks_loop.check(subject)):
            return
        pattern = "self"
        items.append(evidence("self", hops=(key.index,), url=key.request.url, status=key.status))
    else:
        schemes = {scheme(h.request.url) for h in turn}
        if schemes != {"http", "https"} or len({_place(h.request.url) for h in turn}) != 1:
            return
        down = next((h for h in served if is_https(h.request.url)), None)
        up = next((h for h in turn if not is_https(h.request.url)), None)
        if down is None or up is None or down.location is None or is_https(down.location):
            return
        pattern, key = "alternate", down
        items.append(
            evidence(
                "downgrade",
                hops=(down.index,),
                url=down.request.url,
                status=down.status,
                location=down.location,
            )
        )
        if up.synthetic and up.hsts_source is not None:
            upgrade = "hsts"
            items.append(evidence("upgrade-hsts", hops=(up.index,), host=up.hsts_source.host))
        else:
            upgrade = "server"
            items.append(
                evidence(
                    "upgrade-server",
                    hops=(up.index,),
                    url=up.request.url,
                    status=up.status,
                    location=up.location or "",
                )
            )
    cdn, found = _proxy_evidence(tail)
    items.extend(found)
    items.append(evidence("repeats", count=max(1, len(tail) // len(turn)), client=chain.profile))
    url = key.request.url  # https:// in both patterns
    yield META.finding(
        evidence=tuple(items),
        hops=tuple(h.index for h in turn),
        url=url,
        host=host(url),
        pattern=pattern,
        upgrade=upgrade,
        cdn=cdn,
        status=key.status,
    )
