"""Small questions rules ask about hops and chains, answered once here."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from httpdoctor.diagnose.model import Subject
from httpdoctor.trace.cookies import HeldBack, read_held_back
from httpdoctor.trace.model import Chain, Hop, Outcome
from httpdoctor.trace.profiles import load_profiles
from httpdoctor.trace.urls import Origin, origin_of

__all__ = [
    "all_chains",
    "client_label",
    "client_limit",
    "client_limits",
    "deletes_cookie",
    "final_hop",
    "header",
    "headers",
    "held_back",
    "host",
    "is_https",
    "is_verified_https",
    "loop_turn",
    "main_hops",
    "network_hops",
    "origin_change",
    "reason_of",
    "redirects",
    "scheme",
    "set_cookie_parts",
    "status_line",
]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def headers(hop: Hop, name: str) -> list[str]:
    wanted = name.lower()
    return [v for k, v in hop.observation.headers if k.lower() == wanted]


def header(hop: Hop, name: str) -> str | None:
    values = headers(hop, name)
    return values[0] if values else None


def scheme(url: str) -> str:
    return origin_of(url).scheme


def host(url: str) -> str:
    return origin_of(url).host


def is_https(url: str) -> bool:
    return scheme(url) == "https"


def network_hops(chain: Chain) -> list[Hop]:
    return [h for h in chain.hops if not h.synthetic]


def redirects(chain: Chain) -> list[Hop]:
    """Hops that sent the client on (synthetic HSTS hops included)."""
    return [h for h in chain.hops if h.location is not None]


def final_hop(chain: Chain) -> Hop | None:
    return chain.hops[-1] if chain.hops else None


def all_chains(subject: Subject, *, http_first: bool = False) -> list[Chain]:
    """Every trace of the subject once, the main one first, then the scheme variants."""
    variants = (
        (subject.http_variant, subject.https_variant)
        if http_first
        else (subject.https_variant, subject.http_variant)
    )
    found: list[Chain] = []
    for chain in (subject.chain, *variants, subject.fresh, subject.curl):
        if chain is not None and all(chain is not seen for seen in found):
            found.append(chain)
    return found


def main_hops(subject: Subject, hop: Hop) -> tuple[int, ...]:
    """The hop's index when it belongs to the main chain, the one the report numbers."""
    return (hop.index,) if any(hop is own for own in subject.chain.hops) else ()


def loop_turn(chain: Chain, *, max_period: int) -> tuple[list[Hop], list[Hop]]:
    """One turn of the chain's loop (its first occurrence) and every hop from there on.

    The tracer names the cycle when a request repeats exactly (``chain.loop``); when only
    the count limit stopped it, a repeating tail of at most ``max_period`` URLs counts.
    """
    if chain.outcome not in (Outcome.REDIRECT_LOOP, Outcome.TOO_MANY_REDIRECTS):
        return [], []
    hops, urls, loop = list(chain.hops), [h.request.url for h in chain.hops], list(chain.loop)
    if loop:
        for i in range(len(hops) - len(loop) + 1):
            if urls[i : i + len(loop)] == loop:
                return hops[i : i + len(loop)], hops[i:]
        return [], []
    for period in range(1, max_period + 1):
        if len(urls) >= 2 * period and urls[-period:] == urls[-2 * period : -period]:
            i = len(urls) - 2 * period
            while i > 0 and urls[i - 1] == urls[i - 1 + period]:
                i -= 1
            return hops[i : i + period], hops[i:]
    return [], []


def client_label(profile_id: str) -> str:
    """How a report names the client behind a chain ("Chrome", "Python requests"…)."""
    profile = load_profiles().get(profile_id)
    return profile.label if profile is not None else profile_id


def client_limit(profile_id: str) -> int:
    """How many redirects the client follows (profiles.toml)."""
    return load_profiles()[profile_id].max_redirects


def client_limits() -> tuple[tuple[str, int], ...]:
    """Each client profile's redirect limit, lowest first: one source, profiles.toml."""
    limits = ((p.label, p.max_redirects) for p in load_profiles().values())
    return tuple(sorted(limits, key=lambda pair: pair[1]))


def origin_change(old: Origin, new: Origin) -> str:
    """What made two origins differ, for the texts: ``host``, else ``scheme``, else ``port``."""
    if old.host != new.host:
        return "host"
    return "scheme" if old.scheme != new.scheme else "port"


def is_verified_https(hop: Hop) -> bool:
    """An https response over a certificate the client accepted: what HSTS is learned from."""
    tls = hop.observation.tls
    return (
        is_https(hop.request.url)
        and hop.observation.error is None
        and hop.status is not None
        and tls is not None
        and tls.verified
    )


def reason_of(hop: Hop) -> str:
    """The reason phrase the server sent, or the status's standard name when it sent
    none: HTTP/2 has no reason phrase, and "500" alone reads poorly in a sentence."""
    if hop.observation.reason or hop.status is None:
        return hop.observation.reason
    from httpdoctor.codes import default_registry  # only when a phrase is missing

    meanings = default_registry().meanings(hop.status)
    return meanings[0].name if meanings else ""


def status_line(hop: Hop) -> str:
    """``"500 Internal Server Error"``, as the evidence quotes a response."""
    return f"{hop.status} {reason_of(hop)}".strip()


def set_cookie_parts(value: str) -> tuple[str, str, dict[str, str]]:
    """A ``Set-Cookie`` value as name, value and attributes (lower-cased names, the
    first of each kept)."""
    pair, *rest = value.split(";")
    name, _, content = pair.partition("=")
    attrs: dict[str, str] = {}
    for item in rest:
        key, _, val = item.partition("=")
        attrs.setdefault(key.strip().lower(), val.strip())
    return name.strip(), content.strip(), attrs


def deletes_cookie(content: str, attrs: dict[str, str], at: float) -> bool:
    """Whether a ``Set-Cookie`` removes the cookie rather than sets it: an empty value,
    ``Max-Age<=0`` or an Expires before ``at``. Logouts look like this, sessions do not."""
    if content in ("", '""', "deleted"):
        return True
    age = attrs.get("max-age", "").strip()
    if age.lstrip("-").isdigit():
        return int(age) <= 0
    if expires := attrs.get("expires"):
        try:
            return parsedate_to_datetime(expires).timestamp() < (at or 946684800.0)
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
    return False


def held_back(hop: Hop) -> list[HeldBack]:
    """The cookies SameSite kept off this hop's request, in the jar's order."""
    found = (read_held_back(d) for d in hop.dropped_headers)
    return [item for item in found if item is not None]
