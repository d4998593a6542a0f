"""Behind a proxy, nginx writes its own non-standard port into redirects.

To make a relative Location absolute nginx adds the port of the socket that accepted
the request, unless it is 80 (http) or 443 (https) or ``port_in_redirect off``
[nginx-semantics.md §3.4, ORACLE]. A server listening on 8080 behind a proxy or a port
mapping thus sends ``Location: http://example.com:8080/…``, a port the visitor cannot
reach. ``$server_port`` written into a target does the same.

Evidence: every TCP listen of the server is on a non-default port, something shows a
proxy in front (see ``redirect-scheme-behind-proxy``), and a redirect target starts with
``/`` while ``absolute_redirect`` and ``port_in_redirect`` are on (kind ``relative``), or
contains ``$server_port`` (kind ``variable``).
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.model import Severity
from httpdoctor.servers.nginx.lint._redirects import proxy_evidence, redirects, target_scheme
from httpdoctor.servers.nginx.lint._scan import listens, setting, tls_listen
from httpdoctor.servers.nginx.lint.model import LintFinding, LintMeta, directive_text, where
from httpdoctor.servers.nginx.model import Config, Directive

META = LintMeta(id="redirect-port-leak", severity=Severity.WARNING)


def _odd_ports(server: Directive) -> list[str]:
    """The listens' ports when none is its scheme's default, else []."""
    ports = []
    for item in listens(server):
        if item.port is None:
            continue
        default = 443 if tls_listen(server, item) else 80
        if item.port == default:
            return []
        ports.append(str(item.port))
    return sorted(set(ports))


def _off(chain: tuple[Directive, ...], name: str) -> bool:
    found = setting(chain, name)
    return found is not None and found.args[:1] == ("off",)


def check(config: Config) -> Iterator[LintFinding]:
    for redirect in redirects(config):
        scope = redirect.scope
        if "$server_port" in redirect.target or "${server_port}" in redirect.target:
            kind = "variable"
        elif target_scheme(redirect.target) == "relative" and not redirect.on_error:
            if _off(scope.chain, "absolute_redirect") or _off(scope.chain, "port_in_redirect"):
                continue
            kind = "relative"
        else:
            continue
        ports = _odd_ports(scope.server)
        evidence = proxy_evidence(config, scope) if ports else None
        if evidence is None:
            continue
        yield META.finding(
            redirect.directive,
            related=(evidence.span,),
            target=redirect.target,
            kind=kind,
            port=", ".join(ports),
            evidence=directive_text(evidence),
            evidence_line=where(config, evidence.span),
        )
