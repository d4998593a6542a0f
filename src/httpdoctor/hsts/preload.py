"""The HSTS preload list: which hosts every browser upgrades from the very first visit.

Two sources, same question. A Chromium ``transport_security_state_static.json`` given by
the user (``preload-list update``) knows every entry and is preferred; otherwise the
``hstspreload`` package answers, whose data is older and which only says yes or no, so
the covering entry is inferred by asking about the host's parents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from httpdoctor.errors import DataError
from httpdoctor.hsts.hosts import canonical_host, suffixes

__all__ = ["PreloadList", "PreloadMatch", "bundled_list", "parse_chromium_json"]

# A name no real domain has as a child label; asking about it tells whether a parent's
# entry reaches its subdomains.
_PROBE_LABEL = "httpdoctor-probe-label"
# Compiled on first use (re caches it): only `preload-list update` and traces with an
# installed list read Chromium's JSON.
_COMMENT = r'^\s*//.*$|("(?:[^"\\]|\\.)*")|//[^\n]*'


@dataclass(frozen=True, slots=True, kw_only=True)
class PreloadMatch:
    """The preloaded entry that covers a host."""

    entry: str
    include_subdomains: bool
    exact: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class PreloadList:
    """A lookup over one version of the list, with where it came from and how old it is."""

    source: str
    version: str
    lookup: Callable[[str], PreloadMatch | None]

    def match(self, host: str) -> PreloadMatch | None:
        name = canonical_host(host)
        return self.lookup(name) if name else None


def _from_entries(entries: dict[str, tuple[bool, bool]]) -> Callable[[str], PreloadMatch | None]:
    """Lookup over ``name -> (force_https, include_subdomains)``."""

    def lookup(host: str) -> PreloadMatch | None:
        # Chromium's trie walk overwrites its answer at every entry from the TLD down,
        # so the most specific entry decides, and a pins-only entry (no force-https)
        # decides "no upgrade" (hsts-preload-spec.md §3.6).
        result: PreloadMatch | None = None
        for candidate in reversed(suffixes(host)):
            if candidate not in entries:
                continue
            force_https, include = entries[candidate]
            exact = candidate == host
            result = PreloadMatch(entry=candidate, include_subdomains=include, exact=exact)
            if not force_https or (not exact and not include):
                result = None
        return result

    return lookup


def parse_chromium_json(text: str, *, version: str) -> PreloadList:
    """Read Chromium's static list (JSON with ``//`` comments).

    Pins-only entries are kept: they never upgrade, and they stop a parent's
    includeSubDomains from reaching below them, as in Chromium.
    """
    import json

    stripped = re.sub(_COMMENT, lambda m: m.group(1) or "", text, flags=re.MULTILINE)
    try:
        document = json.loads(stripped)
        rows: Iterable[dict[str, object]] = document["entries"]
        entries = {
            str(row["name"]).lower().rstrip("."): (
                row.get("mode") == "force-https",
                bool(row.get("include_subdomains", False)),
            )
            for row in rows
        }
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError.of("hsts.list_invalid", reason=exc) from exc
    return PreloadList(source="chromium-json", version=version, lookup=_from_entries(entries))


def bundled_list() -> PreloadList:
    """The list bundled with the ``hstspreload`` package (dated by its version)."""
    import warnings

    import hstspreload

    def ask(host: str) -> bool:
        # hstspreload 2025.1.1 reads its data with importlib.resources.open_binary, which
        # warns on Python 3.11+; the warning is the package's, not the user's business.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return bool(hstspreload.in_hsts_preload(host))

    def lookup(host: str) -> PreloadMatch | None:
        if not ask(host):
            return None
        # Find the shortest parent whose entry reaches its subdomains; otherwise the
        # host is preloaded on its own.
        for candidate in reversed(suffixes(host)[1:]):
            if ask(f"{_PROBE_LABEL}.{candidate}"):
                return PreloadMatch(entry=candidate, include_subdomains=True, exact=False)
        reaches_below = ask(f"{_PROBE_LABEL}.{host}")
        return PreloadMatch(entry=host, include_subdomains=reaches_below, exact=True)

    return PreloadList(
        source="hstspreload-package",
        version=str(getattr(hstspreload, "__version__", "unknown")),
        lookup=lookup,
    )
