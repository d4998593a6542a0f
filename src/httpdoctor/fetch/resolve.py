"""``--resolve HOST:PORT:ADDR``, as curl reads it, for every request a trace makes.

``HOST`` may be ``*`` (any host) or ``*.example.com`` (any subdomain); ``PORT`` may be
``*``; ``ADDR`` is an IPv4 address or a bracketed IPv6 one. The first rule that matches
wins, as in curl.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from httpdoctor.errors import UsageError

__all__ = ["ResolveRule", "match_rule", "parse_connect_to", "parse_resolve"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolveRule:
    """Connect to ``address`` whenever the host (and port) match."""

    host: str  # lowercase; "*" or "*.suffix" for wildcards
    port: int | None  # None: any port
    address: str
    target_port: int | None = None  # --connect-to: another port as well as another address

    def matches(self, host: str, port: int) -> bool:
        if self.port is not None and self.port != port:
            return False
        name = host.lower().rstrip(".")
        if self.host == "*":
            return True
        if self.host.startswith("*."):
            return name.endswith(self.host[1:])
        return name == self.host


def parse_resolve(text: str) -> ResolveRule:
    host, sep1, rest = text.partition(":")
    port_text, sep2, address = rest.partition(":")
    if not (sep1 and sep2 and host and port_text and address):
        raise UsageError.of("fetch.bad_resolve", text=text)
    if port_text == "*":
        port = None
    elif port_text.isdigit() and 0 < int(port_text) < 65536:
        port = int(port_text)
    else:
        raise UsageError.of("fetch.bad_resolve_port", text=text)
    address = address.split(",", 1)[0].strip("[]")
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise UsageError.of("fetch.resolve_not_ip", address=address) from None
    return ResolveRule(host=host.lower().lstrip("+"), port=port, address=address)


def parse_connect_to(text: str) -> ResolveRule:
    """``--connect-to HOST:PORT:ADDR:PORT2`` as curl reads it (HOST and PORT required)."""
    head, sep, port_text = text.rpartition(":")
    if not sep or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise UsageError.of("fetch.bad_connect_to", text=text)
    rule = parse_resolve(head)
    return ResolveRule(
        host=rule.host, port=rule.port, address=rule.address, target_port=int(port_text)
    )


def match_rule(rules: Iterable[ResolveRule], host: str, port: int) -> ResolveRule | None:
    return next((r for r in rules if r.matches(host, port)), None)
