"""Small questions rules ask about hops and chains, answered once here."""

from __future__ import annotations

from httpdoctor.trace.model import Chain, Hop
from httpdoctor.trace.urls import origin_of

__all__ = [
    "final_hop",
    "header",
    "headers",
    "host",
    "is_https",
    "network_hops",
    "redirects",
    "scheme",
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
