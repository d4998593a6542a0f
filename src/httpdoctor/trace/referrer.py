"""Referer and Origin on each hop of a browser's redirect chain.

W3C Referrer Policy §8 decides a Referer from a referrer URL and a policy, which a
redirect's own ``Referrer-Policy`` header can replace for the next hop (Fetch,
HTTP-redirect fetch step 10; Chromium ``ProcessReferrerPolicyHeaderOnRedirect``): the full
URL, the origin or nothing. Fetch's "append a request Origin header" sends Origin on
requests that are neither GET nor HEAD, ``null`` under some policies and once a redirect
has tainted the request. Which referrer URL each hop starts from, and what taints, is
the tracer's business: it follows Chromium, which tests/browsers measures.
"""

from __future__ import annotations

from dataclasses import replace

from httpdoctor.trace.model import DroppedHeader, Request
from httpdoctor.trace.urls import Origin, origin_of, strip_for_referrer

__all__ = ["POLICIES", "PageReferrer", "origin_header", "parse_policy", "referer_header"]

POLICIES = (
    "no-referrer",
    "no-referrer-when-downgrade",
    "same-origin",
    "origin",
    "strict-origin",
    "origin-when-cross-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
)
_MAX_REFERER = 4096  # Referrer Policy §8.3 step 6: longer full URLs fall back to the origin
_LOOPBACK_NAMES = ("localhost", ".localhost")
# The policies under which an https page's Origin becomes null towards http (Fetch).
_STRICT = frozenset(
    {"no-referrer-when-downgrade", "strict-origin", "strict-origin-when-cross-origin"}
)


def parse_policy(values: list[str]) -> str | None:
    """The policy a ``Referrer-Policy`` header sets: its last recognised token (§8.1),
    None when it names none (then the current policy stays)."""
    chosen = None
    for value in values:
        for token in value.split(","):
            token = token.strip().lower()
            if token in POLICIES:
                chosen = token
    return chosen


def _trustworthy(origin: Origin) -> bool:
    """Secure Contexts' "potentially trustworthy origin", for the schemes a trace sees."""
    if origin.scheme == "https":
        return True
    host = origin.host.strip("[]")
    return host == "::1" or host.startswith("127.") or host.endswith(_LOOPBACK_NAMES)


def referer_header(page: str, target: str, policy: str) -> str | None:
    """The Referer a browser sends to ``target`` when the referrer URL is ``page``."""
    full = strip_for_referrer(page)
    page_origin, target_origin = origin_of(page), origin_of(target)
    only_origin = page_origin.serialize() + "/"
    if len(full) > _MAX_REFERER:
        full = only_origin
    same = page_origin == target_origin
    downgrade = _trustworthy(page_origin) and not _trustworthy(target_origin)
    if policy == "no-referrer":
        return None
    if policy == "unsafe-url":
        return full
    if policy == "origin":
        return only_origin
    if policy == "same-origin":
        return full if same else None
    if policy == "origin-when-cross-origin":
        return full if same else only_origin
    if policy == "no-referrer-when-downgrade":
        return None if downgrade else full
    if policy == "strict-origin":
        return None if downgrade else only_origin
    # strict-origin-when-cross-origin, the default since Chrome 85
    if same:
        return full
    return None if downgrade else only_origin


def origin_header(page: str, target: str, method: str, policy: str, tainted: bool) -> str | None:
    """The Origin a navigation sends, or None (GET and HEAD navigations send none)."""
    if method in ("GET", "HEAD"):
        return None
    page_origin, target_origin = origin_of(page), origin_of(target)
    if tainted or policy == "no-referrer":
        return "null"
    downgrade = page_origin.scheme == "https" and target_origin.scheme != "https"
    if downgrade and policy in _STRICT:
        return "null"
    if policy == "same-origin" and page_origin != target_origin:
        return "null"
    return page_origin.serialize()


class PageReferrer:
    """A browser's Referer and Origin along one chain that a page started.

    Chromium derives each redirect's Referer from the one the last request carried, not
    from the page (net/url_request/redirect_info.cc): once cut to an origin or withheld,
    it never grows back, even on a return to the page's own origin. A redirect's
    ``Referrer-Policy`` governs the hops after it, and after any redirect to another
    origin, the browser's own HSTS upgrade included, Origin is ``null`` for good
    (measured in tests/browsers: stricter than Fetch's tainted-origin rule).
    """

    def __init__(self, page: str, policy: str) -> None:
        self.page = page
        self._policy = policy
        self._base: str | None = page  # what the next Referer is derived from
        self._tainted = False

    def apply(self, request: Request) -> tuple[Request, DroppedHeader | None]:
        """The request with the Referer and Origin the browser sends, and a note when the
        policy withholds the Referer."""
        names = ("referer", "origin")
        headers = [(k, v) for k, v in request.headers if k.lower() not in names]
        referer = self._referer(request.url)
        dropped = None
        if referer is not None:
            headers.append(("Referer", referer))
        else:
            why = f"the referrer policy {self._policy} sends none from {self.page} to this URL"
            details = (("policy", self._policy), ("page", self.page))
            dropped = DroppedHeader(name="Referer", reason=why, why="policy", details=details)
        origin = origin_header(self.page, request.url, request.method, self._policy, self._tainted)
        if origin is not None:
            headers.append(("Origin", origin))
        return replace(request, headers=tuple(headers)), dropped

    def redirected(self, policy_headers: list[str], current: str, target: str) -> None:
        """A redirect from ``current`` to ``target`` happened (a server's or HSTS's)."""
        self._base = self._referer(current)
        policy = parse_policy(policy_headers)
        if policy is not None:
            self._policy = policy
        if origin_of(current) != origin_of(target):
            self._tainted = True

    def _referer(self, url: str) -> str | None:
        return None if self._base is None else referer_header(self._base, url, self._policy)
