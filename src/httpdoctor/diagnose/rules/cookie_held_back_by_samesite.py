"""cookie-held-back-by-samesite: a page of another site started the navigation, a hop of
the chain set a cookie the rest of the flow needs (the session, typically, on an SSO,
OAuth or payment callback), SameSite kept that cookie off the requests that followed, and
the chain ended the way a site treats a visitor it does not know.

Evidence, from the main trace only (SameSite is the browser's; the tracer models it for
Chrome with ``-e``, curl and the libraries send what their jar holds):

* a network hop whose dropped headers hold a Cookie SameSite kept off, as the tracer
  records it (``facts.held_back``): Strict on any request of a navigation another site
  started, Lax (or no SameSite at all, after its first two minutes) on a method other
  than GET or HEAD;
* an earlier network hop of the same chain whose Set-Cookie set that name for the
  held-back request's host (host-only: the same host; with Domain: one covering it), not
  as a deletion: the site meant the cookie for this very flow. A cookie the jar held
  from elsewhere tells nothing about how this flow was built;
* a bad ending, the first of: a response to a request that went without the cookie
  redirecting to the page's own site (back to the provider, which usually sends the
  visitor round again), to a URL with a login segment in its path (``LOGIN_SEGMENTS``)
  or to a URL the chain had already requested (the flow starting over); the final
  response to such a request, when it is 401 or 403 (the visitor unknown or refused),
  419 (Laravel: the session expired), 400 or 422 (a CSRF or state check whose token
  lives in the missing session, and also a plain validation error, so the evidence says
  to confirm), or 5xx (an application that takes the session for granted; hedged
  alike); or a chain the client stopped as a loop.

Without ``-e`` (no ``Chain.referrer``) nothing is held back and the rule is silent.

A chain that ends with a 2xx or 3xx elsewhere, a 404 (a missing page is no sign of a
missing session) or a network failure (no answer at all) is left alone even when
SameSite held something back: nothing shows that the flow needed the cookie.
Reported: the page and its site against the URL's, the hop that set the cookie with its
attributes (the value masked: reports get pasted into tickets), the hop that went without
it and why, how the chain ended, and the other cookies of this flow SameSite held back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from httpdoctor.diagnose.facts import (
    client_label,
    deletes_cookie,
    headers,
    held_back,
    host,
    network_hops,
    redirects,
    set_cookie_parts,
)
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.trace.cookies import HeldBack, same_site, site_of
from httpdoctor.trace.model import Chain, Hop, Outcome
from httpdoctor.trace.urls import origin_of, path_of, target_of

META = RuleMeta(id="cookie-held-back-by-samesite", severity=Severity.ERROR)

# Path segments (lower-cased, an extension cut) that name a login or sign-in step: the
# defaults of common frameworks and identity providers (Django's accounts/login, Devise's
# users/sign_in, WordPress's wp-login.php, OAuth's authorize, SAML's sso).
LOGIN_SEGMENTS = frozenset(
    {
        "login",
        "log-in",
        "log_in",
        "logon",
        "signin",
        "sign-in",
        "sign_in",
        "wp-login",
        "auth",
        "authorize",
        "authenticate",
        "sso",
        "saml",
        "saml2",
        "oauth",
        "oauth2",
    }
)
FINAL_ENDINGS = {401: "401", 403: "403", 419: "419", 400: "refused", 422: "refused"}
LOOPS = (Outcome.REDIRECT_LOOP, Outcome.TOO_MANY_REDIRECTS)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Found:
    """A held-back cookie this flow set, where it was set and missed, and the ending."""

    held: HeldBack
    setter: Hop
    set_cookie: str
    first: Hop
    end: Hop
    ending: str


def _without(hop: Hop, name: str) -> bool:
    return any(item.cookie == name for item in held_back(hop))


def _setter(chain: Chain, missed: Hop, name: str) -> tuple[Hop, str] | None:
    """The last earlier hop that set ``name`` for the missed request's host, and how."""
    where = host(missed.request.url)
    for hop in reversed([h for h in network_hops(chain) if h.index < missed.index]):
        for value in reversed(headers(hop, "set-cookie")):
            cookie, content, attrs = set_cookie_parts(value)
            domain = attrs.get("domain", "").lstrip(".").lower()
            covers = (
                where == domain or where.endswith("." + domain)
                if domain
                else where == host(hop.request.url)
            )
            if cookie != name or not covers:
                continue
            return None if deletes_cookie(content, attrs, hop.observation.at) else (hop, value)
    return None


def _is_login(url: str) -> bool:
    segments = (s.lower().rsplit(".", 1)[0] for s in path_of(url).split("/"))
    return any(s in LOGIN_SEGMENTS for s in segments)


def _ending(chain: Chain, first: Hop, name: str, page: str) -> tuple[str, Hop] | None:
    """How the chain went wrong after ``first`` went without the cookie, if it did."""
    for hop in chain.hops[first.index :]:
        target = hop.location
        if target is None or hop.synthetic or not _without(hop, name):
            continue
        if same_site(page, target):
            return "provider", hop
        if _is_login(target):
            return "login", hop
        if target in {h.request.url for h in chain.hops[: hop.index + 1]}:
            return "back", hop
    last = chain.hops[-1]
    if last.synthetic or last.location is not None or last.observation.error is not None:
        return ("loop", last) if chain.outcome in LOOPS else None
    status = last.status or 0
    if _without(last, name) and (status in FINAL_ENDINGS or 500 <= status <= 599):
        return FINAL_ENDINGS.get(status, "5xx"), last
    return None


def _find(chain: Chain) -> _Found | None:
    page = chain.referrer
    if page is None:
        return None
    tried: set[str] = set()
    for hop in network_hops(chain):
        for held in held_back(hop):
            if held.cookie in tried:
                continue  # judged at its first miss
            tried.add(held.cookie)
            setter = _setter(chain, hop, held.cookie)
            ending = _ending(chain, hop, held.cookie, page) if setter else None
            if setter is not None and ending is not None:
                return _Found(
                    held=held,
                    setter=setter[0],
                    set_cookie=setter[1],
                    first=hop,
                    end=ending[1],
                    ending=ending[0],
                )
    return None


def explains(subject: Subject) -> bool:
    """Whether this rule names the cause of the chain's bad end, so that the generic
    error-at-end-of-chain, whose fixes are about moved pages, stays silent."""
    return _find(subject.chain) is not None


def _masked(value: str) -> str:
    """The Set-Cookie with its value hidden: the attributes are the evidence."""
    name, *attributes = (part.strip() for part in value.split(";"))
    return "; ".join([f"{name.partition('=')[0]}=…", *attributes])


def _others(chain: Chain, found: _Found) -> list[str]:
    """Other cookies this chain set that SameSite held back as well."""
    names: list[str] = []
    for hop in network_hops(chain):
        for held in held_back(hop):
            known = held.cookie in names or held.cookie == found.held.cookie
            if not known and _setter(chain, hop, held.cookie) is not None:
                names.append(held.cookie)
    return names


def _items(chain: Chain, found: _Found, page: str) -> list[Evidence]:
    first, setter, end = found.first, found.setter, found.end
    url, name = first.request.url, found.held.cookie
    page_site, site = site_of(page), site_of(url)
    schemes_only = page_site.split("://")[1] == site.split("://")[1]
    carrier = chain.hops[first.index - 1]
    kind = found.held.same_site or "lax-default"
    items = [
        evidence(
            "page-other-scheme" if schemes_only else "page-other-site",
            page=page,
            page_site=page_site,
            site=site,
            host=host(url),
            method=chain.request.method,
            start=chain.request.url,
        ),
        evidence(
            "set-cookie",
            hops=(setter.index,),
            url=setter.request.url,
            method=setter.request.method,
            status=setter.status,
            value=_masked(found.set_cookie),
        ),
        evidence(
            f"held-{kind}",
            hops=(first.index,),
            cookie=name,
            method=first.request.method,
            url=url,
            host=host(url),
            carried_by=carrier.status,
            carried_from=carrier.request.url,
        ),
        evidence(
            f"end-{found.ending}",
            hops=(end.index,) if found.ending != "loop" else (),
            url=end.request.url,
            status=end.status,
            location=end.location or "",
            page_site=page_site,
            client=client_label(chain.profile),
            count=len(redirects(chain)),
            host=host(url),
        ),
    ]
    others = _others(chain, found)
    if others:
        items.append(evidence("also-held", names=", ".join(others)))
    return items


def check(subject: Subject) -> Iterator[Finding]:
    chain = subject.chain
    found = _find(chain)
    if found is None or chain.referrer is None:
        return
    page, first = chain.referrer, found.first
    url = first.request.url
    kind = found.held.same_site or "lax-default"
    carrier = chain.hops[first.index - 1]
    yield META.finding(
        evidence=tuple(_items(chain, found, page)),
        hops=tuple(dict.fromkeys((found.setter.index, first.index, found.end.index))),
        cookie=found.held.cookie,
        kind=kind,
        same_site={"strict": "Strict", "lax": "Lax"}.get(kind, "Lax (by default)"),
        method=first.request.method,
        lax_enough="yes" if first.request.method.upper() in ("GET", "HEAD") else "no",
        post_callback="yes" if found.setter.request.method.upper() == "POST" else "no",
        page=page,
        page_origin=origin_of(page).serialize(),
        page_host=origin_of(page).host,
        page_site=site_of(page),
        url=url,
        host=host(url),
        site=site_of(url),
        next_path=target_of(url),
        setter_url=found.setter.request.url,
        setter_host=host(found.setter.request.url),
        carried_by=carrier.status,
        ending=found.ending,
        final_url=found.end.request.url,
    )
