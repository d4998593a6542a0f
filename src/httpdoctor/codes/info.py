"""Where the knowledge base comes from and when it was last checked (registry.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from httpdoctor import _resources

__all__ = ["RegistryInfo", "Source", "registry_info"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """One source the knowledge base is checked against."""

    name: str
    url: str | None
    last_updated: str | None
    note: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryInfo:
    """When the knowledge base was reviewed, and against what."""

    reviewed: str
    sources: tuple[Source, ...]


@cache
def registry_info() -> RegistryInfo:
    table = _resources.load_toml("codes", "registry.toml")
    sources = tuple(
        Source(
            name=s["name"],
            url=s.get("url"),
            last_updated=s.get("last_updated"),
            note=s.get("note"),
        )
        for s in table.get("source", [])
    )
    return RegistryInfo(reviewed=str(table["reviewed"]), sources=sources)
