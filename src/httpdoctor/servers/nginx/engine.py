"""The request's walk through nginx's phases [src ngx_http.c:491-521,
ngx_http_core_module.c]:

SERVER_REWRITE (server-level rewrite directives) → FIND_CONFIG (location search) →
REWRITE (the location's directives) → POST_REWRITE (URI changed: back to FIND_CONFIG,
at most 10 times, then 500) → content handler. Internal redirects (``error_page /uri``)
restart at SERVER_REWRITE and spend the same budget; ``error_page @name`` jumps to that
location's REWRITE phase. The mutable :class:`Engine` lives for one evaluation only.
"""

from __future__ import annotations

from httpdoctor.servers.nginx.evaluation import (
    Decision,
    LocationChoice,
    LocationMatch,
    NginxRequest,
    Outcome,
    ServerChoice,
    Step,
)
from httpdoctor.servers.nginx.lookup import builtin, map_value
from httpdoctor.servers.nginx.model import Config, Directive
from httpdoctor.servers.nginx.regex import to_wire
from httpdoctor.servers.nginx.rewrite import ScriptEnd, directive_text, run_script
from httpdoctor.servers.nginx.select import (
    Location,
    ServerPick,
    build_locations,
    find_location,
    primary_name,
)
from httpdoctor.servers.nginx.uri import ParsedTarget
from httpdoctor.servers.nginx.variables import NotModelled, RequestState

__all__ = ["MAX_URI_CHANGES", "Engine"]

MAX_URI_CHANGES = 10  # NGX_HTTP_MAX_URI_CHANGES; the budget starts at 11


def _declared_variables(config: Config) -> frozenset[str]:
    """Variables a valid config may read before any value is assigned (then empty)."""
    names: set[str] = set()
    for directive in config.find("set"):
        if directive.args and directive.args[0].startswith("$"):
            names.add(directive.args[0][1:].lower())
    return frozenset(names)


class Engine:
    """State and phase logic for one request (see the module docstring)."""

    def __init__(self, config: Config, request: NginxRequest, target: ParsedTarget) -> None:
        self.config = config
        self.request = request
        self.target = target
        self.http = config.http()
        self.state = RequestState(
            uri=target.uri,
            args=target.args,
            method=request.method,
            quoted=target.quoted,
            plus=target.plus,
        )
        self.steps: list[Step] = []
        self.maps = {
            d.args[1][1:].lower(): d
            for d in (self.http.children("map") if self.http else ())
            if len(d.args) == 2 and d.args[1].startswith("$")
        }
        self.declared = _declared_variables(config)
        self.host = ""
        self.pick: ServerPick | None = None
        self.server_name = ""
        self.scope: tuple[Directive, ...] = ()
        self.locations: tuple[Location, ...] = ()
        self.location: Location | None = None
        self.location_how = LocationMatch.NONE
        self.location_header: str | None = None
        self.err_status: int | None = None
        self.error_page_done = False
        self.uri_changes = MAX_URI_CHANGES + 1
        self.uri_changed = False
        self.decided: Decision | None = None

    # -- bookkeeping ------------------------------------------------------------------

    def step(self, directive: Directive, outcome: Outcome, detail: str = "") -> None:
        self.steps.append(
            Step(
                span=directive.span,
                directive=directive_text(directive),
                outcome=outcome,
                detail=detail,
            )
        )

    def decide(self, directive: Directive) -> None:
        self.decided = Decision(span=directive.span, text=directive_text(directive))

    def base_scope(self) -> tuple[Directive, ...]:
        assert self.pick is not None
        return (*((self.http,) if self.http else ()), self.pick.server)

    def server_choice(self) -> ServerChoice | None:
        if self.pick is None:
            return None
        return ServerChoice(
            span=self.pick.server.span,
            why=self.pick.why,
            detail=self.pick.detail,
            name=self.server_name,
        )

    def location_choice(self) -> LocationChoice | None:
        if self.location is None:
            return None
        return LocationChoice(
            span=self.location.directive.span,
            match=self.location_how,
            text=self.location.text,
            uri=self.state.uri,
        )

    def set_server(self, pick: ServerPick) -> None:
        self.pick = pick
        self.server_name = to_wire(primary_name(pick.server))
        self.scope = self.base_scope()
        self.locations = build_locations(pick.server, self.scope)

    # -- variables ----------------------------------------------------------------------

    def is_builtin(self, name: str) -> bool:
        return name in self.maps or builtin(self, name) is not None

    def lookup(self, name: str) -> str:
        if name in self.state.variables:
            return self.state.variables[name]
        if name in self.maps:
            directive = self.maps[name]
            volatile = any(e.name == "volatile" and not e.args for e in directive.children())
            if name in self.state.map_cache and not volatile:
                return self.state.map_cache[name]
            value = map_value(self, directive)
            self.state.map_cache[name] = value
            return value
        known = builtin(self, name)
        if known is not None:
            return known
        if name in self.declared:
            return ""
        raise NotModelled("variable.unknown", name=name)

    # -- configuration lookups ------------------------------------------------------------

    def setting(self, name: str, default: str) -> str:
        """The innermost value of a simple, normally inherited directive."""
        for block in reversed(self.scope):
            directive = block.first(name)
            if directive is not None and directive.args:
                return directive.args[0]
        return default

    def innermost_list(self, name: str) -> tuple[Directive, ...]:
        """Directives like add_header/error_page: the innermost level that has any wins."""
        for block in reversed(self.scope):
            found = tuple(block.children(name))
            if found:
                return found
        return ()

    def enter_if(self, directive: Directive) -> None:
        self.scope = (*self.scope, directive)

    # -- phases -----------------------------------------------------------------------

    def server_rewrite(self) -> ScriptEnd:
        """SERVER_REWRITE then the location loop; returns how the request ended."""
        assert self.pick is not None
        self.scope = self.base_scope()
        end = run_script(self, self.pick.server, location_level=False)
        if end.kind in ("finalize", "send"):
            return end
        return self.find_config()

    def find_config(self) -> ScriptEnd:
        while True:
            self.scope = self.base_scope()
            self.uri_changed = False
            rc, location, how = find_location(self.locations, self.state.uri, self.state)
            self.location, self.location_how = location, how
            if location is None:
                return ScriptEnd("fell-through")
            self.scope = location.scope
            self.step(location.directive, Outcome.SELECTED, f"{how} {self.state.uri}")
            if rc == "done":
                value = location.name + ("?" + self.state.args if self.state.args else "")
                self.location_header = value
                self.step(location.directive, Outcome.REDIRECT, f"301 {value}")
                return ScriptEnd("finalize", 301, location.directive)
            end = self.location_rewrite(location)
            if end is not None:
                return end

    def location_rewrite(self, location: Location) -> ScriptEnd | None:
        """REWRITE and POST_REWRITE for ``location``; None means search again."""
        end = run_script(self, location.directive, location_level=True)
        if end.kind in ("finalize", "send"):
            return end
        if not self.uri_changed:
            return ScriptEnd("fell-through")
        self.uri_changes -= 1
        if self.uri_changes == 0:
            directive = end.directive or location.directive
            self.step(
                directive, Outcome.CYCLE, f"rewrite or internal redirection cycle: {self.state.uri}"
            )
            return ScriptEnd("finalize", 500, directive)
        return None

    def named_location(self, name: str) -> Location | None:
        return next(
            (loc for loc in self.locations if loc.kind == "named" and loc.name == name), None
        )
