"""Redirects as the preload checker follows and judges them (redirects.go, §1.7).

The checker follows redirects with Go's ``http.Client``: 301, 302, 303, 307 and 308 with
a non-empty ``Location`` are followed, every target is recorded, and the 4th recorded
target aborts with ``redirects.too_many``. Host names are compared exactly as Go's
``URL.Hostname()`` returns them: case kept, port and brackets dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from httpdoctor.hsts.checker import Issues
from httpdoctor.trace.model import Observation

__all__ = [
    "MAX_REDIRECTS",
    "RedirectChain",
    "RedirectError",
    "hostname_of",
    "insecure_hop_issues",
    "redirect_target",
    "scheme_of",
]

MAX_REDIRECTS = 3  # redirects.go maxRedirects
_FOLLOWED = frozenset({301, 302, 303, 307, 308})  # net/http redirectBehavior
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


@dataclass(frozen=True, slots=True, kw_only=True)
class RedirectError:
    """A Location Go's url.Parse refuses: following stops with this message."""

    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RedirectChain:
    """``preloadableRedirects``: the recorded targets and how following ended."""

    start: str
    targets: tuple[str, ...] = ()
    too_many: bool = False
    error: str | None = None  # follow_error's text


def scheme_of(url: str) -> str:
    head, sep, _ = url.partition(":")
    return head.lower() if sep else ""


def hostname_of(url: str) -> str:
    """Go's ``URL.Hostname()``: no userinfo, no port, no brackets, case as written."""
    rest = url.split("://", 1)[1] if "://" in url else ""
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]
    if authority.startswith("["):
        return authority[1:].split("]", 1)[0]
    return authority.split(":", 1)[0]


def _parse_error(location: str) -> str | None:
    """The url.Parse failures that matter for a Location header (net/url)."""
    if _CONTROL.search(location):
        return f"parse {location!r}: net/url: invalid control character in URL"
    bad = _BAD_ESCAPE.search(location)
    if bad is not None:
        return f"parse {location!r}: invalid URL escape {location[bad.start() : bad.start() + 3]!r}"
    if "://" in location:
        authority = re.split(r"[/?#]", location.split("://", 1)[1], maxsplit=1)[0]
        host = authority.rsplit("@", 1)[-1]
        port = host.rsplit("]", 1)[-1].partition(":")[2] if ":" in host else ""
        if port and not port.isdigit():
            return f"parse {location!r}: invalid port {':' + port!r} after host"
    return None


def redirect_target(url: str, response: Observation) -> str | RedirectError | None:
    """Where Go's client goes next from this response; None when it stops here."""
    if response.status not in _FOLLOWED:
        return None
    location = next((v for k, v in response.headers if k.lower() == "location"), "")
    if location == "":
        return None  # a 3xx without Location is returned as the response
    problem = _parse_error(location)
    if problem is not None:
        return RedirectError(message=f"failed to parse Location header: {problem}")
    return urljoin(url, location)


def insecure_hop_issues(initial: str, chain: RedirectChain) -> Issues:
    """``preloadableRedirectChain``: the first hop that is not https, if any."""
    for number, target in enumerate(chain.targets, 1):
        if scheme_of(target) != "https":
            if number == 1:
                return Issues().error("redirects.insecure.initial", url=initial, target=target)
            return Issues().error(
                "redirects.insecure.subsequent", url=initial, number=number, target=target
            )
    return Issues()
