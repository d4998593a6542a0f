"""Values of built-in variables and ``map`` variables [doc ngx_http_core_module "Embedded
variables", ngx_http_map_module; src ngx_http_variables.c, ngx_http_map_module.c].

``map``: string keys compare case-insensitively; with ``hostnames`` the longest leading
then trailing wildcard; then regexes (``~``, ``~*``) in order, whose captures the value
may use; else ``default`` (empty without one). Results are cached for the request unless
the map is ``volatile``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from httpdoctor.servers.nginx.model import Directive
from httpdoctor.servers.nginx.regex import RegexUnsupported, compile_pcre
from httpdoctor.servers.nginx.variables import NotModelled, parse_script, render

if TYPE_CHECKING:
    from httpdoctor.servers.nginx.engine import Engine

__all__ = ["BUILTINS", "arg_value", "builtin", "map_value"]


def arg_value(args: str, name: str) -> str | None:
    """``ngx_http_arg``: the first ``name=`` (case-insensitive) at the start or after ``&``."""
    lowered, wanted = args.lower(), name.lower() + "="
    start = 0
    while True:
        found = lowered.find(wanted, start)
        if found < 0:
            return None
        if found == 0 or args[found - 1] == "&":
            end = args.find("&", found)
            return args[found + len(wanted) : end if end >= 0 else len(args)]
        start = found + 1


def _header(engine: Engine, wanted: str) -> str:
    matches = [
        value
        for name, value in engine.request.headers
        if "_" not in name and name.lower().replace("-", "_") == wanted
    ]
    if len(matches) > 1:
        raise NotModelled("variable.header_repeated", name=wanted)
    return matches[0] if matches else ""


def _local_address(engine: Engine) -> str:
    if engine.request.local_address is None:
        raise NotModelled("variable.server_addr")
    return engine.request.local_address


def _remote_address(engine: Engine) -> str:
    if engine.request.remote_address is None:
        raise NotModelled("variable.remote_addr")
    return engine.request.remote_address


def _host(e: Engine) -> str:
    return e.host or e.server_name


def _request_line(e: Engine) -> str:
    return f"{e.request.method} {e.target.request_uri} HTTP/{e.request.http_version}"


def _simple(e: Engine, name: str) -> str | None:
    request, state = e.request, e.state
    values: dict[str, str] = {
        "scheme": request.scheme,
        "https": "on" if request.scheme == "https" else "",
        "http_host": request.host if request.host is not None else "",
        "server_name": e.server_name,
        "server_port": str(request.port),
        "request_uri": e.target.request_uri,
        "uri": state.uri,
        "document_uri": state.uri,
        "args": state.args,
        "query_string": state.args,
        "is_args": "?" if state.args else "",
        "request_method": state.method,
        "server_protocol": f"HTTP/{request.http_version}",
        "nginx_version": "1.22.1",
    }
    return values.get(name)


BUILTINS: dict[str, Callable[[Engine], str]] = {
    "host": _host,
    "request": _request_line,
    "server_addr": _local_address,
    "remote_addr": _remote_address,
    "content_type": lambda e: _header(e, "content_type"),
    "content_length": lambda e: _header(e, "content_length"),
}


def builtin(engine: Engine, name: str) -> str | None:
    """The value of a built-in or prefix variable, None when ``name`` is not one."""
    value = _simple(engine, name)
    if value is not None:
        return value
    if name in BUILTINS:
        return BUILTINS[name](engine)
    if name.startswith("http_") and len(name) > 5:
        return _header(engine, name[5:])
    if name.startswith("arg_") and len(name) > 4:
        return arg_value(engine.state.args, name[4:]) or ""
    return None


def _hostname_match(key: str, value: str) -> tuple[int, int] | None:
    """(rank, length) of a ``hostnames`` wildcard key: 1 leading, 2 trailing."""
    if key.startswith("*."):
        return (1, len(key) - 1) if value.endswith(key[1:]) else None
    if key.startswith(".") and len(key) > 1:
        return (1, len(key)) if value == key[1:] or value.endswith(key) else None
    if key.endswith(".*"):
        return (2, len(key) - 1) if value.startswith(key[:-1]) else None
    return None


def map_value(engine: Engine, directive: Directive) -> str:
    """Evaluate the ``map`` block ``directive`` for the current request."""
    source, _ = render(parse_script(directive.args[0]), engine.lookup, engine.state)
    entries = list(directive.children())
    hostnames = any(e.name == "hostnames" and not e.args for e in entries)
    if hostnames and source.endswith("."):
        source = source[:-1]
    default: str | None = None
    exact: str | None = None
    wildcard: tuple[tuple[int, int], str] | None = None
    regexes: list[Directive] = []
    for entry in entries:
        if entry.name in ("hostnames", "volatile") and not entry.args:
            continue
        if len(entry.args) != 1:
            raise NotModelled("directive.map_entry", entry.span, "map")
        key = entry.name
        if key == "default":
            default = entry.args[0]
            continue
        if key.startswith("~"):
            regexes.append(entry)
            continue
        if key.startswith("\\"):
            key = key[1:]
        key = key.lower() if not hostnames else key.lower().rstrip(".")
        if exact is None and key == source.lower():
            exact = entry.args[0]
        elif hostnames and exact is None:
            rank = _hostname_match(key, source.lower())
            if rank is not None and (
                wildcard is None
                or rank[0] < wildcard[0][0]
                or (rank[0] == wildcard[0][0] and rank[1] > wildcard[0][1])
            ):
                wildcard = (rank, entry.args[0])
    chosen = exact if exact is not None else (wildcard[1] if wildcard else None)
    if chosen is None:
        for entry in regexes:
            caseless = entry.name.startswith("~*")
            pattern = entry.name[2:] if caseless else entry.name[1:]
            try:
                regex = compile_pcre(pattern, caseless)
            except RegexUnsupported as error:
                raise NotModelled.because(error.why, entry.span, "map") from None
            match = regex.compiled.search(source)
            if match is not None:
                engine.state.record_match(match)
                chosen = entry.args[0]
                break
    if chosen is None:
        chosen = default if default is not None else ""
    value, _ = render(parse_script(chosen), engine.lookup, engine.state)
    return value
