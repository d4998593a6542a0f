"""Rewrites that send a request round and round until nginx answers 500.

``rewrite … last`` (or a flagless rewrite that changed the URI) starts the location search
again; nginx allows 10 such changes and answers 500 "rewrite or internal redirection
cycle" at the 11th [nginx-semantics.md §3.1, ORACLE: two locations rewriting to each
other → 500]. The rule replays the rewrite phase on sample URIs built from each location
and rewrite pattern: the server-level directives once, then location search and the
location's directives, as nginx does. A cycle is reported when a state (location, URI)
comes back (``loop``) or the URI keeps changing past the limit (``limit``, e.g.
``rewrite ^/a/(.*)$ /a/x/$1 last;`` inside ``location /a/``).

Only what the configuration proves: a rewrite pattern or location Python cannot read, a
variable whose value is unknown, or an ``if`` on the URI, a file test or a ``set``/``map``
variable stops the replay without a finding. Other ``if``s (on headers, the method…) are
taken as false: some request passes them.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.model import Severity
from httpdoctor.servers.nginx.lint._locations import Location, sublocations
from httpdoctor.servers.nginx.lint._regex import literal_prefix
from httpdoctor.servers.nginx.lint._replay import MAX_URI_CHANGES, Replay, assigned_variables
from httpdoctor.servers.nginx.lint._scan import descendants, server_blocks
from httpdoctor.servers.nginx.lint.model import LintFinding, LintMeta
from httpdoctor.servers.nginx.model import Config, Directive

META = LintMeta(id="rewrite-cycle", severity=Severity.ERROR)


def _samples(location: Location) -> Iterator[str]:
    if location.static and location.path.startswith("/"):
        yield location.path
        yield location.path.rstrip("/") + "/x"
    for rewrite in location.directive.children("rewrite"):
        anchored, literal, _ = literal_prefix(rewrite.args[0]) if rewrite.args else (False, "", "")
        base = literal if anchored and literal.startswith("/") else "/" + literal.lstrip("/")
        yield from (base, base + "x", base.rstrip("/") + "/x")


def _all_locations(block: Directive) -> Iterator[Location]:
    for item in sublocations(block):
        yield item
        yield from _all_locations(item.directive)


def _arrow(uris: list[str]) -> str:
    shown = uris if len(uris) <= 6 else [*uris[:5], "…"]
    return " → ".join(shown)


def check(config: Config) -> Iterator[LintFinding]:
    assigned = assigned_variables(config)
    for server in server_blocks(config):
        if next(descendants(server, "rewrite"), None) is None:
            continue
        replay = Replay(server, assigned)
        reported: set[frozenset[int]] = set()
        for item in _all_locations(server):
            if next(item.directive.children("rewrite"), None) is None:
                continue
            for sample in dict.fromkeys(_samples(item)):
                found = replay.cycle(sample)
                if found is None or not found[2]:
                    continue
                kind, uris, rewrites = found
                key = frozenset(id(d) for d in rewrites)
                if key in reported:
                    continue
                reported.add(key)
                others = tuple(dict.fromkeys(d.span for d in rewrites[1:] if d is not rewrites[0]))
                yield META.finding(
                    rewrites[0],
                    related=others,
                    kind=kind,
                    uri=sample,
                    path=_arrow(uris),
                    limit=MAX_URI_CHANGES,
                )
