"""Host names as HSTS compares them: canonical form, IP detection, label suffixes."""

from __future__ import annotations

import ipaddress

__all__ = ["canonical_host", "is_ip_address", "suffixes"]


def canonical_host(host: str) -> str | None:
    """Lowercase ASCII (IDNA) form without a trailing dot; None for an invalid name."""
    name = host.strip().rstrip(".").lower()
    if not name or name.startswith("[") or ".." in name:
        return None
    if not name.isascii():
        try:
            name = name.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return name


def is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def suffixes(host: str) -> list[str]:
    """``a.b.example.com`` -> [a.b.example.com, b.example.com, example.com, com]."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]
