"""Which ``server {}`` and which ``location`` nginx 1.22 picks for a request.

Server: the listen socket (address-specific ``listen`` beats a wildcard one on the same
port), then the name among that socket's servers: exact → longest leading wildcard →
longest trailing wildcard → first matching regex; else ``default_server``, else the first
server on the socket [doc server_names, request_processing; src ngx_http_request.c
``ngx_http_find_virtual_server``].

Location: ``ngx_http_core_find_location`` reproduced literally, recursion included:
exact, then the longest prefix (whose nested locations are searched first), then — unless
that prefix is ``^~`` — the regexes of the level in file order, whose own nested
locations are searched too. A prefix ending in ``/`` with a ``*_pass`` handler answers a
request for the name without the slash with a 301 (``auto_redirect``).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from httpdoctor.servers.nginx.evaluation import LocationMatch, ServerWhy
from httpdoctor.servers.nginx.model import Directive
from httpdoctor.servers.nginx.regex import CompiledRegex, RegexUnsupported, compile_pcre
from httpdoctor.servers.nginx.variables import NotModelled, RequestState

__all__ = [
    "PASS_HANDLERS",
    "Listen",
    "Location",
    "ServerPick",
    "build_locations",
    "find_location",
    "listens_of",
    "pick_server",
    "primary_name",
]

PASS_HANDLERS = (
    "proxy_pass",
    "fastcgi_pass",
    "uwsgi_pass",
    "scgi_pass",
    "memcached_pass",
    "grpc_pass",
)


@dataclass(frozen=True, slots=True)
class Listen:
    """One ``listen``: address (None = wildcard), port, and its flags."""

    address: str | None
    family: int  # 4 or 6
    port: int
    default: bool
    ssl: bool
    directive: Directive


def _parse_listen(directive: Directive) -> Listen:
    if not directive.args:
        raise NotModelled("listen.no_arguments", directive.span, "listen")
    value = directive.args[0]
    flags = directive.args[1:]
    if value.startswith("unix:"):
        raise NotModelled("listen.unix_socket", directive.span, "listen")
    address: str | None
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else "80"
        address, family = host, 6
    elif value.isdigit():
        address, family, port_text = None, 4, value
    else:
        host, sep, port_text = value.rpartition(":")
        if not sep:
            host, port_text = value, "80"
        address, family = host, 4
    if not port_text.isdigit():
        raise NotModelled("listen.value", directive.span, "listen", value=value)
    if address is not None:
        if address == "*":
            address = None
        else:
            try:
                parsed = ipaddress.ip_address(address)
            except ValueError:
                raise NotModelled(
                    "listen.host_name", directive.span, "listen", address=address
                ) from None
            address = None if parsed.is_unspecified else str(parsed)
    return Listen(
        address=address,
        family=family,
        port=int(port_text),
        default="default_server" in flags or "default" in flags,
        ssl="ssl" in flags,
        directive=directive,
    )


def listens_of(server: Directive) -> tuple[Listen, ...]:
    return tuple(_parse_listen(d) for d in server.children("listen"))


def primary_name(server: Directive) -> str:
    """``$server_name``: the first name of the first ``server_name`` (lower-cased unless a
    regex); empty when there is none."""
    for directive in server.children("server_name"):
        for name in directive.args:
            if name.lower() == "$hostname":
                raise NotModelled("server_name.hostname", directive.span, "server_name")
            return name if name.startswith("~") else name.lower()
    return ""


@dataclass(frozen=True, slots=True)
class ServerPick:
    """The server chosen, why, the name that matched, and the listen socket used."""

    server: Directive
    why: ServerWhy
    detail: str
    listen: Listen


def _socket_servers(
    servers: tuple[Directive, ...], address: str | None, port: int
) -> list[tuple[Directive, Listen]]:
    family = 6 if address is not None and ":" in address else 4
    specific: list[tuple[Directive, Listen]] = []
    wildcard: list[tuple[Directive, Listen]] = []
    bound: set[tuple[str | None, int]] = set()
    for server in servers:
        listens = listens_of(server)
        if not listens:
            # no listen: *:80 (nginx running as root, the usual case) [doc listen]
            listens = (Listen(None, 4, 80, False, False, server),)
        for listen in listens:
            if listen.port != port or listen.family != family:
                continue
            bound.add((listen.address, listen.port))
            if address is not None and listen.address == address:
                specific.append((server, listen))
            elif listen.address is None:
                wildcard.append((server, listen))
    if address is None:
        sockets = {a for a, _ in bound}
        if len(sockets) > 1:
            raise NotModelled("listen.ambiguous", None, "listen", port=port)
        return [pair for pair in specific + wildcard]
    return specific or wildcard


def _wildcard_match(name: str, host: str) -> tuple[str, int] | None:
    """('lead'|'trail', length) when server name ``name`` is a wildcard matching ``host``."""
    if name.startswith("*."):
        suffix = name[1:]
        return ("lead", len(suffix)) if host.endswith(suffix) else None
    if name.startswith(".") and len(name) > 1:
        suffix = name
        if host == name[1:] or host.endswith(suffix):
            return ("lead", len(suffix))
        return None
    if name.endswith(".*"):
        prefix = name[:-1]
        return ("trail", len(prefix)) if host.startswith(prefix) else None
    if "*" in name:
        raise NotModelled("server_name.invalid", None, "server_name", name=name)
    return None


def pick_server(
    servers: tuple[Directive, ...],
    address: str | None,
    port: int,
    host: str | None,
    state: RequestState,
) -> ServerPick:
    """``host`` is the normalised name ('' without one; None: the default server only,
    as for a request rejected before its Host is read)."""
    candidates = _socket_servers(servers, address, port)
    if not candidates:
        raise NotModelled("listen.no_server", None, "listen", address=address or "*", port=port)
    exact: tuple[Directive, Listen, str] | None = None
    lead: tuple[int, Directive, Listen, str] | None = None
    trail: tuple[int, Directive, Listen, str] | None = None
    regexes: list[tuple[Directive, Listen, str, CompiledRegex]] = []
    seen: set[int] = set()
    for server, listen in candidates if host is not None else ():
        if id(server) in seen:
            continue
        seen.add(id(server))
        for directive in server.children("server_name"):
            for name in directive.args:
                if name.startswith("~"):
                    pattern = name[1:]
                    caseless = any("A" <= c <= "Z" for c in pattern)
                    try:
                        regex = compile_pcre(pattern, caseless)
                    except RegexUnsupported as error:
                        raise NotModelled.because(
                            error.why, directive.span, "server_name"
                        ) from None
                    regexes.append((server, listen, name, regex))
                    continue
                if name.lower() == "$hostname":
                    raise NotModelled("server_name.hostname", directive.span, "server_name")
                lowered = name.lower()
                if lowered == host and exact is None:
                    exact = (server, listen, name)
                    continue
                wild = _wildcard_match(lowered, host) if host else None
                if wild is None:
                    continue
                kind, length = wild
                if kind == "lead" and (lead is None or length > lead[0]):
                    lead = (length, server, listen, name)
                elif kind == "trail" and (trail is None or length > trail[0]):
                    trail = (length, server, listen, name)
    if exact is not None:
        return ServerPick(exact[0], ServerWhy.EXACT_NAME, exact[2], exact[1])
    if lead is not None:
        return ServerPick(lead[1], ServerWhy.LEADING_WILDCARD, lead[3], lead[2])
    if trail is not None:
        return ServerPick(trail[1], ServerWhy.TRAILING_WILDCARD, trail[3], trail[2])
    if host:
        for server, listen, name, regex in regexes:
            match = regex.compiled.search(host)
            if match is not None:
                state.record_match(match)
                return ServerPick(server, ServerWhy.REGEX_NAME, name, listen)
    for server, listen in candidates:
        if listen.default:
            return ServerPick(server, ServerWhy.DEFAULT_SERVER, host or "", listen)
    server, listen = candidates[0]
    return ServerPick(server, ServerWhy.FIRST_ON_SOCKET, host or "", listen)


# -- locations --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Location:
    """A ``location`` with its match kind, nested locations and enclosing blocks."""

    directive: Directive
    kind: str  # exact | prefix | noregex | regex | iregex | named
    name: str
    children: tuple[Location, ...]
    scope: tuple[Directive, ...]  # http?, server, outer locations..., this location
    auto_redirect: bool

    @property
    def is_regex(self) -> bool:
        return self.kind in ("regex", "iregex")

    def regex(self) -> CompiledRegex:
        """The compiled pattern; compiled when first tested, so an untranslatable regex
        only matters to requests that reach it."""
        try:
            return compile_pcre(self.name, self.kind == "iregex")
        except RegexUnsupported as error:
            raise NotModelled.because(error.why, self.directive.span, "location") from None

    @property
    def text(self) -> str:
        return " ".join(("location", *self.directive.args))


def _location_kind(directive: Directive) -> tuple[str, str]:
    args = directive.args
    if len(args) == 2:
        modifier, name = args
        kinds = {"=": "exact", "^~": "noregex", "~": "regex", "~*": "iregex"}
        if modifier not in kinds:
            raise NotModelled("location.modifier", directive.span, "location", modifier=modifier)
        return kinds[modifier], name
    if len(args) != 1:
        raise NotModelled("location.arguments", directive.span, "location")
    name = args[0]
    for modifier, kind in (("=", "exact"), ("^~", "noregex"), ("~*", "iregex"), ("~", "regex")):
        if name.startswith(modifier) and len(name) > len(modifier):
            return kind, name[len(modifier) :]
    if name.startswith("@"):
        return "named", name
    return "prefix", name


def build_locations(block: Directive, scope: tuple[Directive, ...]) -> tuple[Location, ...]:
    """The ``location`` children of ``block`` (a server or a location), in file order."""
    result: list[Location] = []
    for directive in block.children("location"):
        kind, name = _location_kind(directive)
        inner = (*scope, directive)
        auto = (
            name.endswith("/")
            and kind in ("exact", "prefix", "noregex")
            and any(directive.first(handler) is not None for handler in PASS_HANDLERS)
        )
        result.append(
            Location(directive, kind, name, build_locations(directive, inner), inner, auto)
        )
    return tuple(result)


_STATIC = ("exact", "prefix", "noregex")


def _find_static(locations: tuple[Location, ...], uri: str) -> tuple[str, Location | None]:
    statics = [loc for loc in locations if loc.kind in _STATIC]
    for loc in statics:
        if loc.kind == "exact" and loc.name == uri:
            return "ok", loc
    for loc in statics:
        if loc.kind != "exact" and loc.name == uri:
            return "again", loc
    for loc in statics:
        if loc.auto_redirect and loc.name == uri + "/":
            return "done", loc
    best: Location | None = None
    for loc in statics:
        longer = best is None or len(loc.name) > len(best.name)
        if loc.kind != "exact" and uri.startswith(loc.name) and longer:
            best = loc
    return ("again", best) if best is not None else ("declined", None)


def find_location(
    locations: tuple[Location, ...], uri: str, state: RequestState
) -> tuple[str, Location | None, LocationMatch]:
    """(rc, location, how): rc is ok/again/done/declined as in nginx."""
    rc, found = _find_static(locations, uri)
    how = LocationMatch.EXACT if rc == "ok" else LocationMatch.LONGEST_PREFIX
    noregex = False
    if rc == "again" and found is not None:
        noregex = found.kind == "noregex"
        how = LocationMatch.PREFIX_NO_REGEX if noregex else LocationMatch.LONGEST_PREFIX
        inner_rc, inner, inner_how = find_location(found.children, uri, state)
        if inner_rc in ("ok", "done"):
            return inner_rc, inner, inner_how
        if inner_rc == "again":
            found, how = inner, inner_how
    if rc in ("ok", "done"):
        return rc, found, how
    if not noregex:
        for loc in locations:
            if not loc.is_regex:
                continue
            match = loc.regex().compiled.search(uri)
            if match is None:
                continue
            state.record_match(match)
            regex_how = (
                LocationMatch.REGEX_CASELESS if loc.kind == "iregex" else LocationMatch.REGEX
            )
            inner_rc, inner, inner_how = find_location(loc.children, uri, state)
            if inner is not None and inner_rc != "declined":
                return "ok", inner, inner_how
            return "ok", loc, regex_how
    return rc, found, how
