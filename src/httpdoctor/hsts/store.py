"""The browser's dynamic HSTS state: what it learned from headers, as an immutable value.

Restates Chromium's TransportSecurityState (hsts-preload-spec.md §3.3, §3.4): a valid
header over a valid TLS connection replaces the entry for that exact host; max-age=0
erases that exact host only; lookup walks from the host up its parents, and the most
specific entry that covers the host (itself, or a parent with includeSubDomains) wins.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from httpdoctor.hsts.header import parse_chromium
from httpdoctor.hsts.hosts import canonical_host, is_ip_address, suffixes

__all__ = ["DynamicEntry", "HstsStore"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DynamicEntry:
    """One learned policy: the host that sent it, its reach and its expiry."""

    host: str
    include_subdomains: bool
    expires_at: float  # seconds since the epoch
    observed_at: float
    header: str  # the header value as received, for evidence


@dataclass(frozen=True, slots=True, kw_only=True)
class HstsStore:
    """Dynamic entries keyed by exact host; ``learn`` returns a new store."""

    entries: tuple[DynamicEntry, ...] = ()

    def learn(self, host: str, header_value: str, now: float) -> HstsStore:
        """The store after a valid HTTPS response from ``host`` carried this header.

        The caller guarantees the TLS connection was valid (Chromium ignores the header
        otherwise); an IP host or a header Chromium rejects changes nothing.
        """
        name = canonical_host(host)
        reading = parse_chromium(header_value)
        if name is None or is_ip_address(name) or not reading.valid or reading.max_age is None:
            return self
        others = tuple(e for e in self.entries if e.host != name)
        if reading.max_age == 0:
            return replace(self, entries=others)
        entry = DynamicEntry(
            host=name,
            include_subdomains=reading.include_subdomains,
            expires_at=now + reading.max_age,
            observed_at=now,
            header=header_value,
        )
        return replace(self, entries=(*others, entry))

    def match(self, host: str, now: float) -> DynamicEntry | None:
        """The entry that makes the browser upgrade ``host``, if any."""
        name = canonical_host(host)
        if name is None or is_ip_address(name):
            return None
        # Chromium erases an entry only once now > expiry (GetDynamicSTSState).
        by_host = {e.host: e for e in self.entries if e.expires_at >= now}
        for index, candidate in enumerate(suffixes(name)):
            entry = by_host.get(candidate)
            if entry is not None and (index == 0 or entry.include_subdomains):
                return entry
        return None
