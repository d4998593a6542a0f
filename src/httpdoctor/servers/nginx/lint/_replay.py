"""The rewrite phase of one server, replayed on concrete URIs (for ``rewrite-cycle``).

nginx runs the server-level rewrite-module directives once, then searches a location and
runs its directives; ``rewrite … last`` (or a flagless rewrite that changed the URI)
searches again, at most 10 times [nginx-semantics.md §3.1; src ngx_http_core_module.c
`ngx_http_core_post_rewrite_phase`]. A replay gives up ("unknown") wherever the outcome
depends on something the configuration does not fix.
"""

from __future__ import annotations

import re

from httpdoctor.servers.nginx.lint._locations import select
from httpdoctor.servers.nginx.lint._regex import compile_pcre
from httpdoctor.servers.nginx.lint._scan import has_plain, has_tls
from httpdoctor.servers.nginx.model import Config, Directive

__all__ = ["MAX_URI_CHANGES", "Replay", "assigned_variables"]


def assigned_variables(config: Config) -> frozenset[str]:
    """Variables the configuration sets itself (``set``, ``map``): not request-dependent."""
    assigned = {d.args[0] for d in config.find("set") if d.args}
    assigned |= {d.args[1] for d in config.find("map") if len(d.args) > 1}
    return frozenset(assigned)


MAX_URI_CHANGES = 10  # NGX_HTTP_MAX_URI_CHANGES [src ngx_http_request.h:12]
_REDIRECT = ("http://", "https://", "$scheme")
_VARIABLE = re.compile(r"\$(?:\{(\w+)\}|(\d)|([A-Za-z_]\w*))")
# Variables whose value follows the URI: an `if` on them is not "false for some request".
_URI_VARIABLES = (
    "$uri",
    "$document_uri",
    "$request_uri",
    "$args",
    "$arg_",
    "$query_string",
    "$is_args",
    "$request_filename",
    "$fastcgi_script_name",
    "$realpath_root",
)
_SCHEME_VARIABLES = ("$scheme", "$https")

_RESPOND, _STAY, _SEARCH, _UNKNOWN = "respond", "stay", "search", "unknown"


class Replay:
    """One server's rewrite phase, replayed on concrete URIs."""

    def __init__(self, server: Directive, assigned: frozenset[str]) -> None:
        self.server = server
        self.both_schemes = has_plain(server) and has_tls(server)
        self.assigned = assigned

    def _false_for_some_request(self, condition: Directive) -> bool:
        text = " ".join(condition.args)
        if condition.args[:1] and condition.args[0].lstrip("!").startswith("-"):
            return False  # -f/-d/-e/-x: depends on the disk
        if any(word in text for word in _URI_VARIABLES) or _VARIABLE.search(text) is None:
            return False
        if any(v in self.assigned for v in re.findall(r"\$\{?\w+", text)):
            return False
        if re.search(r"\$\{?\d", text):
            return False
        if any(word in text for word in _SCHEME_VARIABLES):
            return self.both_schemes
        return "$server_" not in text

    def _substitute(self, replacement: str, match: re.Match[str], uri: str) -> str | None:
        path = replacement.split("?", 1)[0]
        failed = False

        def value(m: re.Match[str]) -> str:
            nonlocal failed
            name = m[1] or m[2] or m[3]
            if name.isdigit():
                index = int(name)
                return (match[index] or "") if index <= (match.re.groups) else ""
            if name in match.re.groupindex:
                return match[name] or ""
            if name in {"uri", "document_uri"}:
                return uri
            failed = True
            return ""

        result = _VARIABLE.sub(value, path)
        return None if failed or not result.startswith("/") else result

    def run(self, block: Directive, uri: str) -> tuple[str, str, tuple[Directive, ...]]:
        """The rewrite-module directives of one block: outcome, URI, rewrites applied."""
        changed = False
        applied: list[Directive] = []
        for directive in block.block or ():
            if directive.name in {"return", "break"}:
                return (_RESPOND if directive.name == "return" else _STAY), uri, tuple(applied)
            if directive.name == "if":
                if not directive.args or not self._false_for_some_request(directive):
                    return _UNKNOWN, uri, tuple(applied)
                continue
            if directive.name != "rewrite" or len(directive.args) < 2:
                continue
            pattern, replacement = directive.args[0], directive.args[1]
            flag = directive.args[2] if len(directive.args) > 2 else ""
            compiled = compile_pcre(pattern)
            if compiled is None:
                return _UNKNOWN, uri, tuple(applied)
            match = compiled.search(uri)
            if match is None:
                continue
            if replacement.startswith(_REDIRECT) or flag in {"redirect", "permanent"}:
                return _RESPOND, uri, tuple(applied)
            new = self._substitute(replacement, match, uri)
            if new is None:
                return _UNKNOWN, uri, tuple(applied)
            uri, changed = new, True
            applied.append(directive)
            if flag == "last":
                return _SEARCH, uri, tuple(applied)
            if flag == "break":
                return _STAY, uri, tuple(applied)
        return (_SEARCH if changed else _STAY), uri, tuple(applied)

    def cycle(self, start: str) -> tuple[str, list[str], list[Directive]] | None:
        """``(kind, URIs visited, rewrites in the cycle)`` when ``start`` never settles."""
        outcome, uri, _ = self.run(self.server, start)
        if outcome in {_RESPOND, _UNKNOWN}:
            return None
        visited: list[tuple[int, str]] = []
        steps: list[tuple[Directive, ...]] = []
        uris = [uri]
        for _ in range(MAX_URI_CHANGES + 1):
            known, found = select(self.server, uri)
            if not known or found is None:
                return None
            state = (id(found.directive), uri)
            if state in visited:
                first = visited.index(state)
                loop = [d for group in steps[first:] for d in group]
                return "loop", uris, loop
            visited.append(state)
            outcome, uri, applied = self.run(found.directive, uri)
            if outcome != _SEARCH:
                return None
            steps.append(applied)
            uris.append(uri)
        return "limit", uris, [d for group in steps for d in group]
