"""origin-null-after-redirect: a form or script posts from a page, a redirect on the way
leads to another origin, the browser sends ``Origin: null`` from there on, and the final
URL refuses the request the way a CSRF or origin check does.

Evidence, from the main trace only (the browser's: curl and the libraries send no Origin
of their own): the first hop carried the page's Origin, not ``null`` (a page that is
itself opaque, a sandboxed frame say, is another story); a redirect earlier than the
first hop that carried ``Origin: null``, whose target has another origin: one a server
sent, or the browser's own HSTS upgrade from http to https (Chromium taints the request
for good after either, measured in tests/browsers, and the tracer models it); and a
final response, to a request that still carried ``Origin: null``, with
one of the refusal statuses below. A 303 or a 301/302 that turned the POST into a GET
leaves no Origin on the final request, and that is post-redirected-as-get's business.

The refusal statuses are the ones CSRF protections answer with by default: 403 (Django's
CsrfViewMiddleware, Spring Security, WAFs and most middlewares), 419 (Laravel's
TokenMismatchException), 422 (Rails' InvalidAuthenticityToken) and 400 (ASP.NET Core's
antiforgery filter). 400 and 422 are also plain validation errors, so their evidence
says to confirm in the answer's body or the application log. 401 is an authentication
challenge, not a forgery check; 404, 405 and 5xx are not refusals of the request's origin.
Reported: the redirect that crossed origins (status, from, to), the first hop that
carried ``Origin: null``, the final status, and how curl -L ended when it ended otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import client_label, origin_change
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.trace.model import Chain, Hop, Outcome
from httpdoctor.trace.urls import Origin, origin_of

META = RuleMeta(id="origin-null-after-redirect", severity=Severity.ERROR)

REFUSALS = frozenset({400, 403, 419, 422})


def _origin(hop: Hop) -> str | None:
    """The Origin the request carried (``facts.header`` reads the response)."""
    return next((v for k, v in hop.request.headers if k.lower() == "origin"), None)


def _listen(origin: Origin) -> str:
    return f"{origin.port} ssl" if origin.scheme == "https" else str(origin.port)


def _tainted(chain: Chain) -> tuple[Hop, Hop, Hop] | None:
    """The first hop, the redirect that crossed origins and the first hop that carried
    ``Origin: null`` after it, when the page's own Origin went out first."""
    hops = list(chain.hops)  # an HSTS upgrade is a redirect here too
    if not hops:
        return None
    first_origin = _origin(hops[0])
    if first_origin is None or first_origin == "null":
        return None
    crossed: Hop | None = None
    for hop in hops:
        if _origin(hop) == "null":
            # Before any cross-origin redirect, null comes from a Referrer-Policy instead.
            return (hops[0], crossed, hop) if crossed is not None else None
        moves = hop.location is not None and origin_of(hop.request.url) != origin_of(hop.location)
        if crossed is None and moves:
            crossed = hop
    return None


def _refused(chain: Chain) -> Hop | None:
    """The final answer, when it refuses a request that carried ``Origin: null``."""
    last = chain.hops[-1] if chain.hops else None
    if last is None or last.synthetic or chain.outcome is not Outcome.OK:
        return None
    if last.location is not None or last.observation.error is not None:
        return None
    if last.status not in REFUSALS or _origin(last) != "null":
        return None
    return last


def _curl(subject: Subject, last: Hop) -> Evidence | None:
    """curl -L's ending, when it differs from the browser's (curl sends no Origin)."""
    curl = subject.curl
    if curl is None or curl is subject.chain or not curl.hops:
        return None
    end = curl.hops[-1]
    if end.status is None or end.observation.error is not None or end.location is not None:
        return None
    if (end.request.url, end.status) == (last.request.url, last.status):
        return None
    key = "curl-accepts" if end.status < 400 else "curl-differs"
    return evidence(key, url=end.request.url, status=end.status, method=end.request.method)


def explains(subject: Subject) -> bool:
    """Whether this rule names the cause of the chain's final refusal, so that the
    generic error-at-end-of-chain, whose fixes are about moved pages, stays silent."""
    return _refused(subject.chain) is not None and _tainted(subject.chain) is not None


def check(subject: Subject) -> Iterator[Finding]:
    chain = subject.chain
    last = _refused(chain)
    if last is None:
        return
    found = _tainted(chain)
    if found is None:
        return
    first, crossed, null_hop = found
    target = crossed.location or ""
    old, new = origin_of(crossed.request.url), origin_of(target)
    page_origin = _origin(first) or ""
    client = client_label(chain.profile)
    final_url = last.request.url
    items: list[Evidence] = [
        evidence(
            "crossed-hsts" if crossed.synthetic else "crossed",
            hops=tuple(dict.fromkeys((first.index, crossed.index))),
            client=client,
            method=first.request.method,
            start=first.request.url,
            page=chain.referrer or page_origin,
            page_origin=page_origin,
            url=crossed.request.url,
            status=crossed.status,
            location=target,
            from_origin=old.serialize(),
            to_origin=new.serialize(),
        ),
        evidence(
            "origin-null",
            hops=(null_hop.index,),
            client=client,
            method=null_hop.request.method,
            url=null_hop.request.url,
        ),
        evidence(
            f"final-{last.status}",
            hops=(last.index,),
            url=final_url,
            status=last.status,
            method=last.request.method,
        ),
    ]
    curl = _curl(subject, last)
    if curl is not None:
        items.append(curl)
    final_origin = origin_of(final_url)
    # Django (403) trusts a page's real origin on another host; a scheme or port move on
    # the same host is no reason to trust anything.
    django_trust = last.status == 403 and origin_of(page_origin).host != final_origin.host
    yield META.finding(
        evidence=tuple(items),
        hops=tuple(dict.fromkeys((crossed.index, null_hop.index, last.index))),
        client=client,
        method=null_hop.request.method,
        page=chain.referrer or page_origin,
        page_origin=page_origin,
        from_url=crossed.request.url,
        to_url=target,
        status=crossed.status,
        from_origin=old.serialize(),
        to_origin=new.serialize(),
        from_host=old.host,
        to_host=new.host,
        final_url=final_url,
        final_origin=final_origin.serialize(),
        final_host=final_origin.host,
        final_status=last.status,
        change=origin_change(old, new),
        listen=_listen(old),
        start=first.request.url,
        trust_page="yes" if django_trust else "no",
    )
