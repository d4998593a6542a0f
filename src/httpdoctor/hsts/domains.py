"""Registrable domains, from the Public Suffix List snapshot bundled with tldextract.

Used to decide how far up a browser that "has visited the site" may have learned HSTS:
the host and each parent up to the registrable domain. Never touches the network.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from httpdoctor.hsts.hosts import canonical_host, is_ip_address, suffixes

__all__ = ["parents_up_to_registrable", "registrable_domain"]


@cache
def _extractor(private: bool) -> Any:
    import tldextract

    # No list URLs and no cache folder: the snapshot inside the package, offline.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=private
    )


def registrable_domain(host: str, *, private: bool = False) -> str | None:
    """``info.site.co.uk`` -> ``site.co.uk``; for names under no public suffix (``.test``,
    ``.internal``) the last two labels; None for IP addresses and single labels, and for
    a name that is itself a public suffix. ``private`` counts the list's private section
    too (``github.io``), as cookies do."""
    name = canonical_host(host)
    if name is None or is_ip_address(name):
        return None
    result = _extractor(private)(name)
    if result.suffix and result.domain:
        return f"{result.domain}.{result.suffix}"
    if result.suffix:
        return None  # the name is itself a public suffix (co.uk): nothing registrable
    labels = name.split(".")
    return ".".join(labels[-2:]) if len(labels) >= 2 else None


def parents_up_to_registrable(host: str) -> tuple[str, ...]:
    """The host's parents whose HSTS could cover it, nearest first (the host excluded)."""
    name = canonical_host(host)
    top = registrable_domain(host)
    if name is None or top is None or name == top:
        return ()
    chain = suffixes(name)[1:]
    return tuple(chain[: chain.index(top) + 1]) if top in chain else ()
