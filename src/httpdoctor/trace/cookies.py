"""A cookie jar for redirect chains (RFC 6265 §5.3, §5.4, the parts that matter here).

Without one, "set a cookie, redirect to myself" looks like a loop. Expiry, domain,
path and Secure are honoured. Browsers add two refusals that cause real login loops:
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


def _parse(header: str, host: str, path: str, now: float) -> tuple[Cookie, str] | None:
    """The cookie and its SameSite value ("" when absent)."""
    pair, *attributes = header.split(";")
    name, eq, value = pair.partition("=")
    name, value = name.strip(), value.strip()
    if not eq or not name:
        return None
    domain, host_only, cookie_path, secure = host, True, _default_path(path), False
    expires_at: float | None = None
    max_age_seen = False
    same_site = ""
    for attribute in attributes:
        key, _, val = attribute.partition("=")
        key, val = key.strip().lower(), val.strip()
        if key == "domain" and val:
            wanted = val.lstrip(".").lower()
            if not _domain_matches(host, wanted):
                return None  # a host may not set cookies for another site
            domain, host_only = wanted, False
        elif key == "path" and val.startswith("/"):
            cookie_path = val
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
    return cookie, same_site


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
            cookie, same_site = parsed
            if browser and cookie.secure and not secure_origin:
                continue  # a Secure cookie from an http:// page is refused
            if browser and same_site == "none" and not cookie.secure:
                continue  # SameSite=None needs Secure
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
        return "; ".join(f"{c.name}={c.value}" for c in chosen) or None
