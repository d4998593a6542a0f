"""A location no request can ever select.

Proved from nginx's search order [nginx-semantics.md §2; src ngx_http_core_module.c
`ngx_http_core_find_location`], at one level of locations:

* ``duplicate``: the same ``=`` or prefix path twice (``/a`` and ``^~ /a`` included); nginx
  1.22 refuses this at start ("duplicate location"), so it is an error.
* ``repeated``: a regex after the same pattern (or the same one case-insensitive): nginx
  accepts it, but the first match wins.
* ``noregex``: a regex whose every match starts with a ``^~`` prefix (``^~ /static/`` and
  ``~ ^/static/.*\\.css$``), when no longer plain prefix could be the longest match
  instead: the ``^~`` switches the regex search off.
* ``regex``: a prefix location without nested locations whose every URI a regex of the
  same level also matches (``/images/`` and ``~ ^/images``; ``/.well-known/`` and
  ``~ /\\.``): regexes beat plain prefixes.

Case-insensitive regexes are used only where case cannot matter. Anything unreadable to
Python's ``re`` proves nothing. Not reported: a regex such as ``~ ^/x$`` beside ``= /x``,
which looks dead but still takes ``/x%0A`` (PCRE's ``$`` accepts a final newline;
checked against nginx 1.22).
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.model import Severity
from httpdoctor.servers.nginx.lint._locations import Location, sublocations
from httpdoctor.servers.nginx.lint._regex import compile_pcre, literal_prefix
from httpdoctor.servers.nginx.lint._scan import server_blocks
from httpdoctor.servers.nginx.lint.model import LintFinding, LintMeta, directive_text, where
from httpdoctor.servers.nginx.model import Config, Directive

META = LintMeta(id="unreachable-location", severity=Severity.WARNING)

# Tails that match whatever follows the literal. Not `.*$`: `.` stops at a newline, so
# a URI with an encoded %0A inside would slip past such a pattern.
_ANYTHING = frozenset({"", ".*", "(.*)"})


def _cased(text: str) -> bool:
    return any(c.lower() != c.upper() for c in text)


def _duplicates(items: tuple[Location, ...]) -> Iterator[tuple[Location, Location]]:
    seen: dict[tuple[str, str], Location] = {}
    for item in items:
        if item.static:
            key = ("=" if item.modifier == "=" else "prefix", item.path)
            if key in seen:
                yield item, seen[key]
            seen.setdefault(key, item)
        elif item.regex:
            earlier = seen.get(("~*", item.path)) or seen.get((item.modifier, item.path))
            if earlier is not None:
                yield item, earlier
            seen.setdefault((item.modifier, item.path), item)


def _regex_shadowed(item: Location, items: tuple[Location, ...]) -> tuple[str, Location] | None:
    anchored, literal, _ = literal_prefix(item.path)
    if not anchored or compile_pcre(item.path, item.modifier == "~*") is None:
        return None
    if item.modifier == "~*" and _cased(literal):
        return None
    for cover in items:
        if cover.modifier != "^~" or not literal.startswith(cover.path):
            continue
        longer = [
            i
            for i in items
            if i.modifier == ""
            and len(i.path) > len(cover.path)
            and (literal.startswith(i.path) or i.path.startswith(literal))
        ]
        if not longer:
            return "noregex", cover
    return None


def _prefix_shadowed(item: Location, items: tuple[Location, ...]) -> Location | None:
    if item.modifier != "" or any(True for _ in item.directive.children("location")):
        return None
    for cover in items:
        if not cover.regex or compile_pcre(cover.path, cover.modifier == "~*") is None:
            continue
        anchored, literal, rest = literal_prefix(cover.path)
        if rest not in _ANYTHING:
            continue
        if (anchored and item.path.startswith(literal)) or (not anchored and literal in item.path):
            return cover
    return None


def _level(config: Config, block: Directive) -> Iterator[LintFinding]:
    items = sublocations(block)
    reported: set[int] = set()
    for item, cover in _duplicates(items):
        reported.add(id(item))
        if item.static:  # nginx refuses to start: an error, not a warning
            yield _finding(config, item, cover, "duplicate", Severity.ERROR)
        else:
            yield _finding(config, item, cover, "repeated", None)
    for item in items:
        if id(item) in reported:
            continue
        shadow = _regex_shadowed(item, items) if item.regex else None
        if shadow is not None:
            yield _finding(config, item, shadow[1], shadow[0], None)
            continue
        regex = _prefix_shadowed(item, items)
        if regex is not None:
            yield _finding(config, item, regex, "regex", None)
    for item in items:
        yield from _level(config, item.directive)


def _finding(
    config: Config, item: Location, cover: Location, kind: str, severity: Severity | None
) -> LintFinding:
    return META.finding(
        item.directive,
        related=(cover.directive.span,),
        severity=severity,
        kind=kind,
        location=directive_text(item.directive).removesuffix(" { … }"),
        by=directive_text(cover.directive).removesuffix(" { … }"),
        by_line=where(config, cover.directive.span),
    )


def check(config: Config) -> Iterator[LintFinding]:
    for server in server_blocks(config):
        yield from _level(config, server)
