"""A nested block's own ``add_header`` silently drops the HSTS header it would inherit.

nginx inherits the add_header list from the enclosing level only when a level has none of
its own [doc ngx_http_headers_module#add_header; nginx-semantics.md §6, ORACLE
`/inherit-dropped`]. So one ``add_header X-Frame-Options …`` in a location (or a server, or
an ``if`` in a location) removes the Strict-Transport-Security of the server or http
level from every response made there. Only servers whose responses reach browsers over
TLS are checked: those with a TLS listen, or plain ones behind a proxy (which passes the
header on); on plain http alone the header does nothing anyway.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.model import Severity
from httpdoctor.servers.nginx.lint._redirects import proxy_evidence
from httpdoctor.servers.nginx.lint._scan import (
    Scope,
    effective_headers,
    has_tls,
    is_hsts,
    primary_name,
    scopes,
    server_scope,
)
from httpdoctor.servers.nginx.lint.model import LintFinding, LintMeta, directive_text, where
from httpdoctor.servers.nginx.model import Config

META = LintMeta(id="hsts-dropped-in-nested-block", severity=Severity.WARNING)


def _ends_here(scope: Scope) -> bool:
    """Whether responses can be made in this block's own configuration.

    A server with ``location /`` hands every request to a location, so its own list only
    matters for what it answers itself (a server-level return or redirecting rewrite).
    """
    block = scope.block
    if block.name != "server":
        return True
    catch_all = any(
        d.args in {("/",), ("^~", "/")} for d in block.children("location") if d.block is not None
    )
    answers = any(d.name in {"return", "rewrite"} for d in block.block or ())
    return answers or not catch_all


def _label(scope: Scope) -> str:
    block = scope.block
    if block.name == "server":
        return f"server {{ server_name {primary_name(block) or '_'}; … }}"
    return directive_text(block).removesuffix(" { … }")


def check(config: Config) -> Iterator[LintFinding]:
    over_tls: dict[int, bool] = {}
    for scope in scopes(config):
        key = id(scope.server)
        if key not in over_tls:
            proxied = proxy_evidence(config, server_scope(config, scope.server)) is not None
            over_tls[key] = has_tls(scope.server) or proxied
        if not over_tls[key] or len(scope.chain) < 2 or not _ends_here(scope):
            continue
        own = tuple(scope.block.children("add_header"))
        if not own or any(is_hsts(d) for d in effective_headers(scope.chain)):
            continue
        inherited = [d for d in effective_headers(scope.chain[:-1]) if is_hsts(d)]
        if not inherited:
            continue
        yield META.finding(
            own[0],
            related=(inherited[0].span, scope.block.span),
            block=_label(scope),
            block_line=where(config, scope.block.span),
            hsts=directive_text(inherited[0]),
            hsts_line=where(config, inherited[0].span),
            value=inherited[0].args[1],
        )
