"""redirect-chain-too-long: the chain ends, but only after two or more server redirects.

Evidence: a trace that ended normally (outcome ``ok``) with at least two redirects sent by
servers; synthetic HSTS 307s are not counted. The main trace and, when HSTS hid the http
hop from it, the first-time browser's trace are both looked at, and the longer one is
reported, hop by hop. One exception is worded apart: from http://host to another host of
the same site, HSTS wants the first hop to stay on the host (see
first-redirect-changes-host), so two redirects is the shortest good chain; that case is
only worth knowing (info), and longer chains get a fix that keeps that first hop. A
chain that bounces to a login page because SameSite held the session cookie back is
cookie-held-back-by-samesite's: its redirects are the sign-in flow, not a detour.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import client_label, client_limit, host, is_https, network_hops
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.diagnose.rules import cookie_held_back_by_samesite
from httpdoctor.diagnose.rules.first_redirect_changes_host import skips_own_host
from httpdoctor.trace.model import Chain, Hop, Outcome
from httpdoctor.trace.urls import origin_of

META = RuleMeta(id="redirect-chain-too-long", severity=Severity.WARNING)

# Consumers that give up on a chain that still ends for browsers (redirect-semantics §2.4).
# Consumers that give up early on long chains: the preload list's checker (3,
# hsts-preload-spec.md §1.7) and Googlebot, whose limit is its profile's.
_PRELOAD_CHECKER = ("hstspreload.org", 3)


def _server_redirects(chain: Chain) -> list[Hop]:
    return [h for h in network_hops(chain) if h.location is not None]


def _ended(chain: Chain | None) -> bool:
    return (
        chain is not None
        and chain.outcome is Outcome.OK
        and bool(chain.hops)
        and chain.hops[-1].observation.error is None
    )


def _origin(url: str) -> str:
    return origin_of(url).serialize()


def _path(url: str) -> str:
    """The path and query of ``url`` (what nginx calls $request_uri)."""
    rest = url.split("://", 1)[-1].split("#", 1)[0]
    slash = rest.find("/")
    return rest[slash:] if slash >= 0 else "/"


def check(subject: Subject) -> Iterator[Finding]:
    if cookie_held_back_by_samesite.explains(subject):
        return
    main, fresh = subject.chain, subject.fresh
    chosen = main if _ended(main) else None
    if fresh is not None and _ended(fresh):
        longer = chosen is None or len(_server_redirects(fresh)) > len(_server_redirects(main))
        chosen = fresh if longer else chosen
    if chosen is None:
        return
    hops = _server_redirects(chosen)
    if len(hops) < 2:
        return
    in_main = chosen is main
    start, last = chosen.hops[0].request.url, chosen.hops[-1]
    final = last.request.url
    start_host, final_host = host(start), host(final)
    # Only when the server itself answers the http:// request (no HSTS 307 before it).
    need_two = not is_https(hops[0].request.url) and skips_own_host(start_host, final_host)
    count = len(hops)
    moves_origin = any(_origin(h.request.url) != _origin(h.location or "") for h in hops)
    if need_two:
        variant = "hsts-order" if count == 2 else "keep-https-first"
    else:
        variant = "flatten" if moves_origin else "flatten-path"
    items: list[Evidence] = [
        evidence(
            "hop",
            hops=(h.index,) if in_main else (),
            n=n,
            status=h.status,
            url=h.request.url,
            location=h.location,
        )
        for n, h in enumerate(hops, 1)
    ]
    items.append(
        evidence("final", hops=(last.index,) if in_main else (), status=last.status, url=final)
    )
    if not in_main:
        items.append(evidence("fresh-visitor", other=len(_server_redirects(main))))
    # hstspreload.org only ever follows http://domain/ and https://domain/.
    googlebot = (client_label("googlebot"), client_limit("googlebot"))
    candidates = (_PRELOAD_CHECKER, googlebot)
    follows = [(n, lim) for n, lim in candidates if n != _PRELOAD_CHECKER[0] or _path(start) == "/"]
    breaks = [f"{name} ({limit})" for name, limit in follows if limit < count]
    if breaks:
        items.append(evidence("breaks", clients=", ".join(breaks)))
    if variant == "hsts-order":
        items.append(evidence("hsts-order", host=start_host))
    yield META.finding(
        evidence=tuple(items),
        hops=tuple(h.index for h in hops) if in_main else (),
        severity=Severity.INFO if variant == "hsts-order" else None,
        count=count,
        start=start,
        start_host=start_host,
        final_url=final,
        final_host=final_host,
        final_origin=_origin(final),
        listen="443 ssl" if is_https(start) else "80",
        start_path=_path(start).split("?", 1)[0],
        final_path=_path(final),
        variant=variant,
    )
