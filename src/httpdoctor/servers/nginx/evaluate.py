"""``evaluate(config, request)``: what nginx 1.22 does with one request, directive by
directive, without running it. Pure: no files, no sockets.

Finalisation [src ngx_http_special_response.c ``ngx_http_special_response_handler``,
``ngx_http_send_error_page``; ngx_http_core_module.c ``ngx_http_send_response``]:

* an error or redirect status may be intercepted by the innermost level's ``error_page``
  (once per request unless ``recursive_error_pages on``, never after the 10-change
  budget is spent); ``=code`` overrides the status, a URI target is an internal redirect
  keeping the original status, a URL target is a 302 (or the ``=30x`` given);
* ``add_header`` comes from the innermost level that has any, only for 200, 201, 204,
  206, 301, 302, 303, 304, 307, 308 unless ``always`` [src ngx_http_headers_filter_module.c];
* a ``Location`` starting with ``/`` is made absolute (scheme of the connection,
  ``server_name_in_redirect`` / Host / local address, local port unless default or
  ``port_in_redirect off``) unless ``absolute_redirect off``
  [src ngx_http_header_filter_module.c:327-365].

Anything not modelled stops the evaluation with an :class:`Unsupported` entry.
"""

from __future__ import annotations

from httpdoctor.servers.nginx.engine import Engine
from httpdoctor.servers.nginx.evaluation import (
    Evaluation,
    Handler,
    NginxRequest,
    Outcome,
    Response,
    Unsupported,
)
from httpdoctor.servers.nginx.model import Config, Directive
from httpdoctor.servers.nginx.regex import to_wire
from httpdoctor.servers.nginx.rewrite import REDIRECT_CODES, ScriptEnd, directive_text
from httpdoctor.servers.nginx.select import PASS_HANDLERS, listens_of, pick_server
from httpdoctor.servers.nginx.uri import (
    BadRequest,
    ParsedTarget,
    UriUnsupported,
    normalise_host,
    parse_target,
)
from httpdoctor.servers.nginx.variables import NotModelled, parse_script, render

__all__ = ["evaluate"]

SAFE_STATUSES = frozenset({200, 201, 204, 206, 301, 302, 303, 304, 307, 308})
CONTENT_HANDLERS = (*PASS_HANDLERS, "empty_gif", "stub_status", "js_content", "perl", "mp4", "flv")
ACCESS_DIRECTIVES = (
    "allow",
    "deny",
    "auth_basic",
    "auth_request",
    "satisfy",
    "limit_except",
    "auth_jwt",
)
# Settings that change request reading; only their default (or off) is modelled.
_MODELLED_ONLY_AS = {
    "merge_slashes": "on",
    "ssl_verify_client": "off",
    "underscores_in_headers": "off",
    "ignore_invalid_headers": "on",
    "ssl": "off",
}


class _Done(Exception):
    def __init__(self, response: Response | None, handler: Handler | None = None) -> None:
        super().__init__()
        self.response = response
        self.handler = handler


def evaluate(config: Config, request: NginxRequest) -> Evaluation:
    """Evaluate ``request`` against ``config`` (see the module docstring)."""
    bad_target = False
    try:
        target = parse_target(to_wire(request.path_and_query))
    except BadRequest:
        bad_target = True
        target = ParsedTarget(
            uri="/", args="", request_uri=request.path_and_query, quoted=False, plus=False
        )
    except UriUnsupported as error:
        return _unsupported(
            Engine(config, request, _dummy(request)), NotModelled.because(error.why)
        )
    engine = Engine(config, request, target)
    response: Response | None = None
    handler: Handler | None = None
    try:
        response, handler = _run(engine, bad_target)
    except NotModelled as error:
        return _unsupported(engine, error)
    return Evaluation(
        request=request,
        server=engine.server_choice(),
        location=engine.location_choice(),
        steps=tuple(engine.steps),
        response=response,
        handler=handler,
        decided_by=engine.decided,
    )


def _dummy(request: NginxRequest) -> ParsedTarget:
    return ParsedTarget(
        uri="/", args="", request_uri=request.path_and_query, quoted=False, plus=False
    )


def _unsupported(engine: Engine, error: NotModelled) -> Evaluation:
    return Evaluation(
        request=engine.request,
        server=engine.server_choice(),
        location=engine.location_choice(),
        steps=tuple(engine.steps),
        response=None,
        handler=None,
        decided_by=None,
        unsupported=(Unsupported(span=error.span, directive=error.directive, why=error.why),),
    )


def _check_scope_support(engine: Engine) -> None:
    for block in engine.base_scope():
        for name, modelled in _MODELLED_ONLY_AS.items():
            directive = block.first(name)
            if directive is not None and directive.args[:1] != (modelled,):
                raise NotModelled(
                    "setting.not_default", directive.span, name, setting=directive_text(directive)
                )


def _run(engine: Engine, bad_target: bool) -> tuple[Response | None, Handler | None]:
    request = engine.request
    servers = engine.config.servers()
    address, port = request.local_address, request.port
    host: str | None = None
    bad_host = False
    if request.host is not None:
        try:
            host = normalise_host(to_wire(request.host))
        except BadRequest:
            bad_host = True
    if bad_target or bad_host:
        engine.set_server(pick_server(servers, address, port, None, engine.state))
        return _finish(engine, ScriptEnd("finalize", 400))
    engine.host = host or ""
    pick = pick_server(servers, address, port, engine.host, engine.state)
    engine.set_server(pick)
    _check_scope_support(engine)
    if request.host is None and request.http_version == "1.1":
        return _finish(engine, ScriptEnd("finalize", 400))
    tls_socket = any(
        listen.ssl
        for server in servers
        for listen in listens_of(server)
        if listen.port == port and listen.address == pick.listen.address
    )
    if request.scheme == "https" and not tls_socket:
        raise NotModelled("listen.tls_without_ssl", pick.listen.directive.span, "listen")
    if request.scheme == "http" and tls_socket:
        return _finish(engine, ScriptEnd("finalize", 497))  # plain HTTP to an HTTPS port
    return _finish(engine, engine.server_rewrite())


def _finish(engine: Engine, end: ScriptEnd) -> tuple[Response | None, Handler | None]:
    try:
        while True:
            if end.kind == "fell-through":
                return None, _content(engine)
            if end.directive is not None:
                engine.decide(end.directive)
            if end.kind == "send":
                raise _Done(_respond(engine, engine.err_status or end.status))
            end = _special(engine, end.status)
    except _Done as done:
        return done.response, done.handler


def _special(engine: Engine, code: int) -> ScriptEnd:
    """``ngx_http_special_response_handler``: error_page or the built-in page."""
    if code == 444:
        raise _Done(Response(status=444, location=None, closes_connection=True))
    engine.err_status = code
    pages = engine.innermost_list("error_page")
    if not engine.error_page_done and pages and engine.uri_changes != 0:
        if engine.setting("recursive_error_pages", "off") != "on":
            engine.error_page_done = True
        for page in pages:
            codes, overwrite, uri = _parse_error_page(page)
            if code in codes:
                return _send_error_page(engine, page, overwrite, uri)
    raise _Done(_respond(engine, 400 if code in (494, 495, 496, 497) else code))


def _parse_error_page(page: Directive) -> tuple[tuple[int, ...], int | None, str]:
    if len(page.args) < 2:
        raise NotModelled("directive.error_page", page.span, "error_page")
    codes: list[int] = []
    overwrite: int | None = None
    for arg in page.args[:-1]:
        if arg.startswith("="):
            if arg[1:] and not arg[1:].isdigit():
                raise NotModelled("directive.error_page_override", page.span, "error_page", arg=arg)
            overwrite = int(arg[1:]) if arg[1:] else 0
        elif arg.isdigit():
            codes.append(int(arg))
        else:
            raise NotModelled("directive.error_page_code", page.span, "error_page", code=arg)
    return tuple(codes), overwrite, page.args[-1]


def _send_error_page(engine: Engine, page: Directive, overwrite: int | None, uri: str) -> ScriptEnd:
    if overwrite is not None:
        engine.err_status = overwrite or None
    try:
        value, _ = render(parse_script(uri), engine.lookup, engine.state)
    except NotModelled as error:
        raise error.at(page) from None
    state = engine.state
    if value.startswith("/"):
        path, _, args = value.partition("?")
        if state.method != "HEAD":
            state.method = "GET"
        engine.step(page, Outcome.INTERNAL_REDIRECT, value)
        engine.uri_changes -= 1
        if engine.uri_changes == 0:
            engine.step(page, Outcome.CYCLE, f"rewrite or internal redirection cycle: {path}")
            return ScriptEnd("finalize", 500, page)
        state.uri, state.args, state.internal = path, args, True
        engine.location = None
        return engine.server_rewrite()
    if value.startswith("@"):
        engine.step(page, Outcome.INTERNAL_REDIRECT, value)
        engine.uri_changes -= 1
        if engine.uri_changes == 0:
            return ScriptEnd("finalize", 500, page)
        named = engine.named_location(value)
        if named is None:
            return ScriptEnd("finalize", 500, page)
        state.internal = True
        engine.location = named
        engine.location_how = engine.location_how.NAMED
        engine.scope = named.scope
        end = engine.location_rewrite(named)
        return end if end is not None else engine.find_config()
    engine.location_header = value
    status = overwrite if overwrite in REDIRECT_CODES else 302
    assert status is not None
    engine.err_status = status
    engine.step(page, Outcome.ERROR_PAGE, f"{status} {value}")
    engine.decide(page)
    raise _Done(_respond(engine, status))


def _respond(engine: Engine, status: int) -> Response:
    headers: list[tuple[str, str]] = []
    for directive in engine.innermost_list("add_header"):
        args = directive.args
        if len(args) not in (2, 3) or (len(args) == 3 and args[2] != "always"):
            raise NotModelled("directive.add_header", directive.span, "add_header")
        if status not in SAFE_STATUSES and len(args) != 3:
            continue
        try:
            value, _ = render(parse_script(args[1]), engine.lookup, engine.state)
        except NotModelled as error:
            raise error.at(directive) from None
        if value:
            headers.append((args[0], value))
    location = engine.location_header
    if location is not None:
        location = _absolute(engine, location)
    return Response(status=status, location=location, headers=tuple(headers))


def _absolute(engine: Engine, value: str) -> str:
    if not value.startswith("/") or engine.setting("absolute_redirect", "on") != "on":
        return value
    request = engine.request
    if engine.setting("server_name_in_redirect", "off") == "on":
        host = engine.server_name
    elif engine.host:
        host = engine.host
    elif request.local_address is not None:
        host = request.local_address
        host = f"[{host}]" if ":" in host else host
    else:
        raise NotModelled("request.relative_location")
    tls = request.scheme == "https"
    port = request.port
    if engine.setting("port_in_redirect", "on") != "on" or port == (443 if tls else 80):
        port = 0
    return f"{'https' if tls else 'http'}://{host}{f':{port}' if port else ''}{value}"


def _content(engine: Engine) -> Handler:
    """The content phase: access checks and handlers are reported, never guessed."""
    scope = engine.scope
    for block in scope[1:] if scope and scope[0].name == "http" else scope:
        for name in ACCESS_DIRECTIVES:
            directive = block.first(name)
            if directive is not None:
                raise NotModelled("access.check", directive.span, name)
    inner = scope[-1]
    candidates = [inner]
    if inner.name == "if" and len(scope) > 1:
        candidates.append(scope[-2])  # an if block inherits its location's *_pass
    for block in candidates:
        for name in CONTENT_HANDLERS:
            directive = block.first(name)
            if directive is not None:
                engine.step(directive, Outcome.HANDLER, name)
                engine.decide(directive)
                return Handler(kind=name, target=" ".join(directive.args), span=directive.span)
    for block in reversed(scope):
        directive = block.first("try_files")
        if directive is not None:
            raise NotModelled("disk.try_files", directive.span, "try_files")
    alias = engine.location.directive.first("alias") if engine.location else None
    chosen: Directive | None
    if alias is not None and engine.location is not None and alias.args:
        path = alias.args[0] + engine.state.uri[len(engine.location.name) :]
        chosen = alias
    else:
        chosen = next((b.first("root") for b in reversed(scope) if b.first("root")), None)
        path = (chosen.args[0] if chosen and chosen.args else "html") + engine.state.uri
    if chosen is not None:
        engine.decide(chosen)
    return Handler(kind="static", target=path, span=chosen.span if chosen else None)
