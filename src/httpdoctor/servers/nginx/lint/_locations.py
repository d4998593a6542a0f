"""Location selection as nginx 1.22 does it, enough for the lint rules to prove things.

``ngx_http_core_find_location`` [src ngx_http_core_module.c:1394-1460;
nginx-semantics.md §2]: at each level, an exact ``=`` match ends the search; otherwise
the longest prefix is remembered and its nested locations searched first; then, unless
that prefix is ``^~``, the level's regex locations are tried in file order, and a match's
own nested locations are searched too. The result is None when the answer depends on a
regex Python cannot read (the caller then proves nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from httpdoctor.servers.nginx.lint._regex import compile_pcre
from httpdoctor.servers.nginx.model import Directive

__all__ = ["Location", "location", "select", "sublocations"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """A location's match: its modifier (``=``, ``^~``, ``""``, ``~``, ``~*``, ``@``) and path."""

    directive: Directive
    modifier: str
    path: str

    @property
    def regex(self) -> bool:
        return self.modifier in {"~", "~*"}

    @property
    def static(self) -> bool:
        return self.modifier in {"=", "^~", ""}


def location(directive: Directive) -> Location | None:
    args = directive.args
    if len(args) == 2 and args[0] in {"=", "^~", "~", "~*"}:
        return Location(directive=directive, modifier=args[0], path=args[1])
    if len(args) == 1:
        # `location =/x` and `location ~^/x` glue the modifier on; `@name` is named.
        for modifier in ("^~", "~*", "=", "~"):
            if args[0].startswith(modifier) and len(args[0]) > len(modifier):
                path = args[0][len(modifier) :]
                return Location(directive=directive, modifier=modifier, path=path)
        if args[0].startswith("@"):
            return Location(directive=directive, modifier="@", path=args[0])
        return Location(directive=directive, modifier="", path=args[0])
    return None


def sublocations(block: Directive) -> tuple[Location, ...]:
    found = (location(d) for d in block.children("location") if d.block is not None)
    return tuple(item for item in found if item is not None)


_OK, _AGAIN, _DECLINED, _UNKNOWN = "ok", "again", "declined", "unknown"


def _find(block: Directive, uri: str) -> tuple[Location | None, str]:
    items = sublocations(block)
    for item in items:
        if item.modifier == "=" and item.path == uri:
            return item, _OK
    prefixes = [i for i in items if i.modifier in {"", "^~"} and uri.startswith(i.path)]
    chosen: Location | None = None
    rc = _DECLINED
    noregex = False
    if prefixes:
        chosen = max(prefixes, key=lambda i: len(i.path))
        rc, noregex = _AGAIN, chosen.modifier == "^~"
        nested, nested_rc = _find(chosen.directive, uri)
        if nested_rc in {_OK, _UNKNOWN}:
            return nested, nested_rc
        if nested is not None:
            chosen = nested
    if not noregex:
        for item in items:
            if not item.regex:
                continue
            compiled = compile_pcre(item.path, item.modifier == "~*")
            if compiled is None:
                return None, _UNKNOWN
            if compiled.search(uri):
                nested, nested_rc = _find(item.directive, uri)
                if nested_rc == _UNKNOWN:
                    return None, _UNKNOWN
                return nested or item, _OK
    return chosen, rc


def select(server: Directive, uri: str) -> tuple[bool, Location | None]:
    """``(known, location)`` for a normalised URI; location None means the server level."""
    found, rc = _find(server, uri)
    return rc != _UNKNOWN, found
