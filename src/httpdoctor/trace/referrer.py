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

from httpdoctor.trace.urls import Origin, origin_of, strip_for_referrer

__all__ = ["POLICIES", "origin_header", "parse_policy", "referer_header"]

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
