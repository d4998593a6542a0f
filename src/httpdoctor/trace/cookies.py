"""A cookie jar for redirect chains (RFC 6265 §5.3, §5.4, the parts that matter here).

Without one, "set a cookie, redirect to myself" looks like a loop. Expiry, domain,
path, Secure, nameless cookies and the order of the Cookie header are honoured, checked
against Chromium by tests/browsers/test_cookies_vs_chromium.py. Browsers add two
refusals that cause real login loops:
a ``Secure`` cookie set over http (RFC 6265bis "strict secure cookies"), and
``SameSite=None`` without ``Secure`` (Chrome 80+); ``browser=True`` applies them.
SameSite's cross-site rules, partitioning and the public-suffix check are not modelled
(a chain of redirects is one top-level navigation).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["Cookie", "CookieJar"]


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
    )
    return cookie, same_site, domain_given, path_given


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

    def header_for(self, *, host: str, path: str, secure: bool, now: float) -> str | None:
        """The Cookie header value a browser sends to this URL, or None."""
        host = host.lower()
        chosen = [
            c
            for c in self.cookies
            if (c.expires_at is None or c.expires_at > now)
            and (host == c.domain if c.host_only else _domain_matches(host, c.domain))
            and _path_matches(path or "/", c.path)
            and (secure or not c.secure)
        ]
        # RFC 6265 §5.4: longer paths first.
        chosen.sort(key=lambda c: -len(c.path))
        # A nameless cookie goes out as its bare value, as browsers send it.
        return "; ".join(f"{c.name}={c.value}" if c.name else c.value for c in chosen) or None
