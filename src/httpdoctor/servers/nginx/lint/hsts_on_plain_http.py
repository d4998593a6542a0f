"""Strict-Transport-Security configured in a server block that only speaks plain http.

Browsers ignore HSTS received over http (RFC 6797 §8.1), so the line does nothing there;
usually it was meant for the https server of the same site, which may lack it. Evidence:
an HSTS ``add_header`` written inside a server (or its locations) none of whose listens is
TLS, with nothing showing a proxy in front (a backend behind a TLS-terminating proxy
rightly sends HSTS for the proxy to pass on). A header inherited from the http level is
not reported: that is one global line serving every server.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.model import Severity
from httpdoctor.servers.nginx.lint._redirects import proxy_evidence
from httpdoctor.servers.nginx.lint._scan import (
    has_tls,
    is_hsts,
    listens,
    primary_name,
    scopes,
    server_blocks,
    server_scope,
)
from httpdoctor.servers.nginx.lint.model import LintFinding, LintMeta
from httpdoctor.servers.nginx.model import Config

META = LintMeta(id="hsts-on-plain-http", severity=Severity.WARNING)


def check(config: Config) -> Iterator[LintFinding]:
    for server in server_blocks(config):
        if has_tls(server) or proxy_evidence(config, server_scope(config, server)):
            continue
        sockets = ", ".join(item.socket for item in listens(server))
        for scope in scopes(config, server):
            for directive in scope.block.children("add_header"):
                if is_hsts(directive):
                    yield META.finding(
                        directive,
                        related=(server.span,),
                        server=primary_name(server) or "_",
                        listen=sockets,
                    )
