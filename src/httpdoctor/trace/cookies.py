"""A cookie jar for redirect chains (RFC 6265 §5.3, §5.4, the parts that matter here).

Without one, "set a cookie, redirect to myself" looks like a loop. Expiry, domain,
path, Secure, nameless cookies and the order of the Cookie header are honoured, checked
against Chromium by tests/browsers/test_cookies_vs_chromium.py. Browsers add two
refusals that cause real login loops:
a ``Secure`` cookie set over http (RFC 6265bis "strict secure cookies"), and
``SameSite=None`` without ``Secure`` (Chrome 80+); ``browser=True`` applies them.
SameSite applies when the navigation was started by a page of another site (``-e``); a
chain of redirects is one top-level navigation, judged against that page. Partitioned
cookies are not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from httpdoctor.trace.model import DroppedHeader
from httpdoctor.trace.urls import origin_of

__all__ = [
    "Cookie",
    "CookieJar",
    "HeldBack",
    "cookie_header",
    "held_back_note",
    "read_held_back",
    "same_site",
    "site_of",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Cookie:
    """One stored cookie."""

    name: str
    value: str
    domain: str
    host_only: bool
    path: str
    secure: bool
    expires_at: float | None
    same_site: str = ""  # "strict", "lax", "none", or "" when the cookie named none
    created_at: float = 0.0


# Chromium lets a cookie that named no SameSite (so Lax by default) ride on a cross-site
# POST for its first two minutes ("Lax-allowing-unsafe", net/cookies/cookie_constants.h
# kLaxAllowUnsafeMaxAge), so that login forms posting across sites kept working.
_LAX_ALLOW_UNSAFE_SECONDS = 120.0
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _default_path(path: str) -> str:
    if not path.startswith("/") or path.count("/") == 1:
        return "/"
    return path[: path.rfind("/")]


def _domain_matches(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _path_matches(request_path: str, cookie_path: str) -> bool:
    if request_path == cookie_path:
        return True
    if request_path.startswith(cookie_path):
        return cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"
    return False


def _parse(
    header: str, host: str, path: str, now: float
) -> tuple[Cookie, str, bool, str | None] | None:
    """The cookie, its SameSite value ("" when absent), whether it came with a Domain
    attribute and the Path attribute as written (None without one): a ``__Host-`` cookie
    must have no Domain and an explicit ``Path=/``."""
    pair, *attributes = header.split(";")
    name, eq, value = pair.partition("=")
    if not eq:  # RFC 6265bis §5.6: "lonely" is a cookie with an empty name
        name, value = "", name
    name, value = name.strip(), value.strip()
    if not name and not value:
        return None
    domain, host_only, cookie_path, secure = host, True, _default_path(path), False
    expires_at: float | None = None
    max_age_seen = False
    same_site = ""
    domain_given = False
    path_given: str | None = None
    for attribute in attributes:
        key, _, val = attribute.partition("=")
        key, val = key.strip().lower(), val.strip()
        if key == "domain" and val:
            wanted = val.lstrip(".").lower()
            if not _domain_matches(host, wanted):
                return None  # a host may not set cookies for another site
            domain_given = True
            if _is_public_suffix(wanted):
                if wanted != host:
                    return None  # a cookie for every site under a public suffix
                continue  # the host is the suffix itself: a host-only cookie (§5.3 step 5)
            domain, host_only = wanted, False
        elif key == "path" and val.startswith("/"):
            cookie_path = path_given = val
        elif key == "secure":
            secure = True
        elif key == "samesite":
            same_site = val.lower()
        elif key == "max-age":
            try:
                expires_at = now + int(val)
                max_age_seen = True
            except ValueError:
                continue
        elif key == "expires" and not max_age_seen:
            from email.utils import parsedate_to_datetime  # rare; costs 6 ms to import

            try:
                expires_at = parsedate_to_datetime(val).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                continue
    cookie = Cookie(
        name=name,
        value=value,
        domain=domain,
        host_only=host_only,
        path=cookie_path,
        secure=secure,
        expires_at=expires_at,
        same_site=same_site if same_site in ("strict", "lax", "none") else "",
        created_at=now,
    )
    return cookie, same_site, domain_given, path_given


def _crosses(cookie: Cookie, method: str, now: float) -> bool:
    """Whether a cookie goes with a top-level navigation another site started: Strict
    never; Lax on safe methods; one that named no SameSite like Lax, except for its
    first two minutes; None always (it had to be Secure to be stored)."""
    if cookie.same_site == "strict":
        return False
    if cookie.same_site == "none" or method.upper() in _SAFE_METHODS:
        return True
    young = now - cookie.created_at <= _LAX_ALLOW_UNSAFE_SECONDS
    return cookie.same_site == "" and young


def cookie_header(cookies: list[Cookie]) -> str | None:
    """The Cookie header for these cookies, in the order given, or None for none."""
    # A nameless cookie goes out as its bare value, as browsers send it.
    return "; ".join(f"{c.name}={c.value}" if c.name else c.value for c in cookies) or None


def site_of(url: str) -> str:
    """The URL's schemeful site, ``https://example.co.uk``: its scheme and registrable
    domain, the list's private suffixes counted (two github.io pages are two sites); an
    IP address or a name without one is a site of its own."""
    from httpdoctor.hsts.domains import registrable_domain

    origin = origin_of(url)
    return f"{origin.scheme}://{registrable_domain(origin.host, private=True) or origin.host}"


def same_site(a: str, b: str) -> bool:
    """Schemeful same-site (HTML): the same scheme and the same registrable domain."""
    return site_of(a) == site_of(b)


@dataclass(frozen=True, slots=True, kw_only=True)
class HeldBack:
    """A cookie SameSite kept off a request, as its ``DroppedHeader`` records it."""

    cookie: str
    same_site: str  # "strict", "lax", or "" when the cookie named none (Lax by default)
    page: str
    method: str


def held_back_note(cookie: Cookie, page: str, method: str) -> DroppedHeader:
    """The hop's note for a cookie SameSite held back: the English reason the JSON gives,
    and the fields the reports word and ``read_held_back`` reads."""
    kind = cookie.same_site.capitalize() or "Lax by default"
    reason = f"{cookie.name}: SameSite={kind}, and {page} started this {method}"
    details = (("cookie", cookie.name), ("kind", kind), ("page", page), ("method", method))
    return DroppedHeader(name="Cookie", reason=reason, why="samesite", details=details)


def read_held_back(dropped: DroppedHeader) -> HeldBack | None:
    """``held_back_note`` read back; None for a header dropped for any other reason."""
    if dropped.why != "samesite":
        return None
    fields = dict(dropped.details)
    kind = fields["kind"]
    return HeldBack(
        cookie=fields["cookie"],
        same_site="" if kind == "Lax by default" else kind.lower(),
        page=fields["page"],
        method=fields["method"],
    )


def _is_public_suffix(domain: str) -> bool:
    """A public suffix, private ones (github.io) included, or a bare top-level label such as
    ``test``: Chromium refuses a Domain attribute naming one (measured)."""
    from httpdoctor.hsts.domains import registrable_domain  # only for Domain= cookies

    return registrable_domain(domain, private=True) is None


def _prefix_allows(
    cookie: Cookie, domain_given: bool, path_given: str | None, secure_origin: bool
) -> bool:
    """RFC 6265bis §4.1.3: ``__Secure-`` needs Secure from a secure origin; ``__Host-``
    also no Domain attribute and an explicit Path=/ (a default path of "/" is not enough).
    Chromium matches the prefixes in any case (both measured)."""
    name = cookie.name.lower()
    if name.startswith("__secure-"):
        return cookie.secure and secure_origin
    if name.startswith("__host-"):
        return cookie.secure and secure_origin and not domain_given and path_given == "/"
    return True


@dataclass(frozen=True, slots=True, kw_only=True)
class CookieJar:
    """Immutable: ``store`` returns the jar after a response's Set-Cookie headers."""

    cookies: tuple[Cookie, ...] = ()

    def store(
        self,
        set_cookies: list[str],
        *,
        host: str,
        path: str,
        now: float,
        secure_origin: bool = True,
        browser: bool = False,
    ) -> CookieJar:
        jar = list(self.cookies)
        for header in set_cookies:
            parsed = _parse(header, host.lower(), path or "/", now)
            if parsed is None:
                continue
            cookie, same_site, domain_given, path_given = parsed
            if browser and cookie.secure and not secure_origin:
                continue  # a Secure cookie from an http:// page is refused
            if browser and not _prefix_allows(cookie, domain_given, path_given, secure_origin):
                continue
            if browser and same_site == "none" and not cookie.secure:
                continue  # SameSite=None needs Secure
            # An overwrite goes to the end, as if newly created: RFC 6265 §5.3 would keep
            # the old creation time, Chromium does not (measured), and the creation order
            # is what sorts cookies with equally long paths in the Cookie header.
            jar = [
                c
                for c in jar
                if (c.name, c.domain, c.path) != (cookie.name, cookie.domain, cookie.path)
            ]
            if cookie.expires_at is None or cookie.expires_at > now:
                jar.append(cookie)
        return replace(self, cookies=tuple(jar))

    def header_for(
        self,
        *,
        host: str,
        path: str,
        secure: bool,
        now: float,
        cross_site: bool = False,
        method: str = "GET",
    ) -> str | None:
        """The Cookie header value a browser sends to this URL, or None. ``cross_site``:
        the navigation was started by a page of another site, so SameSite applies."""
        sent, _ = self.select(
            host=host, path=path, secure=secure, now=now, cross_site=cross_site, method=method
        )
        return cookie_header(sent)

    def select(
        self,
        *,
        host: str,
        path: str,
        secure: bool,
        now: float,
        cross_site: bool = False,
        method: str = "GET",
    ) -> tuple[list[Cookie], list[Cookie]]:
        """The cookies sent to this URL in header order, and those SameSite held back."""
        host = host.lower()
        matching = [
            c
            for c in self.cookies
            if (c.expires_at is None or c.expires_at > now)
            and (host == c.domain if c.host_only else _domain_matches(host, c.domain))
            and _path_matches(path or "/", c.path)
            and (secure or not c.secure)
        ]
        # RFC 6265 §5.4: longer paths first.
        matching.sort(key=lambda c: -len(c.path))
        if not cross_site:
            return matching, []
        sent = [c for c in matching if _crosses(c, method, now)]
        return sent, [c for c in matching if c not in sent]
