"""The founding case: a parent's HSTS includes subdomains, a subdomain has no TLS here.

A browser that got ``Strict-Transport-Security: …; includeSubDomains`` from
``example.com`` rewrites every later ``http://info.example.com/`` to https before sending
anything (RFC 6797 §8.3; redirect-semantics.md, HSTS internal 307). If the only server
block for ``info.example.com`` listens on plain http, the upgraded request lands on
whatever answers port 443 — another site's certificate, an error page — and the visitor
cannot reach the subdomain at all, while curl (no HSTS) shows it working.

Evidence, all from the configuration: a TLS server whose exact name (or ``.name``) sends
HSTS with ``includeSubDomains`` and a non-zero max-age in one of its blocks; another
server with an exact name under it, no TLS listen and nothing showing a proxy in front
(loopback-only or PROXY-protocol listens, real-IP settings: a proxy may add the TLS); and
no server in the configuration
that would take that name over TLS on port 443 (exact, wildcard or regex name). The
finding sits on the subdomain's ``server_name``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from httpdoctor.diagnose.model import Severity
from httpdoctor.servers.nginx.lint._redirects import proxy_evidence
from httpdoctor.servers.nginx.lint._regex import compile_pcre
from httpdoctor.servers.nginx.lint._scan import (
    effective_headers,
    has_tls,
    hsts_value,
    is_hsts,
    listens,
    name_matches,
    scopes,
    server_blocks,
    server_scope,
    tls_listen,
)
from httpdoctor.servers.nginx.lint.model import LintFinding, LintMeta, where
from httpdoctor.servers.nginx.model import Config, Directive

META = LintMeta(id="hsts-subdomain-without-tls", severity=Severity.ERROR)

_ZERO_AGE = re.compile(r"(?:^|;)\s*max-age\s*=\s*\"?0+\"?\s*(?:;|$)", re.IGNORECASE)


def _covers_subdomains(value: str) -> bool:
    tokens = {part.strip().lower() for part in value.split(";")}
    return "includesubdomains" in tokens and not _ZERO_AGE.search(value)


def _parent_policies(config: Config, server: Directive) -> Iterator[Directive]:
    seen: set[int] = set()
    for scope in scopes(config, server):
        for directive in effective_headers(scope.chain):
            if is_hsts(directive) and id(directive) not in seen:
                seen.add(id(directive))
                if _covers_subdomains(hsts_value(directive)):
                    yield directive


def _exact_names(server: Directive) -> Iterator[tuple[str, Directive]]:
    for directive in server.children("server_name"):
        for name in directive.args:
            name = name.lower()
            if name.startswith("."):
                name = name[1:]
            if name and not name.startswith("~") and "*" not in name and name != "_":
                yield name, directive


def _regex_covers(pattern: str, host: str) -> bool:
    compiled = compile_pcre(pattern[1:])
    # A regex we cannot read might take the name: no proof, so count it as covering.
    return compiled is None or compiled.search(host) is not None


def _served_over_tls(servers: tuple[Directive, ...], host: str) -> bool:
    for server in servers:
        if not any(tls_listen(server, i) and i.port == 443 for i in listens(server)):
            continue
        for directive in server.children("server_name"):
            for name in directive.args:
                covered = name_matches(name.lower(), host)
                if covered or (covered is None and _regex_covers(name, host)):
                    return True
    return False


def check(config: Config) -> Iterator[LintFinding]:
    servers = server_blocks(config)
    # Names only plain http serves, with no proxy in front that might add TLS: the victims.
    victims = [
        (child, name, directive)
        for child in servers
        if not has_tls(child) and proxy_evidence(config, server_scope(config, child)) is None
        for name, directive in _exact_names(child)
    ]
    reported: set[tuple[str, str]] = set()
    for parent in servers:
        if not victims or not has_tls(parent):
            continue
        policies = list(_parent_policies(config, parent))
        if not policies:
            continue
        for parent_name, parent_directive in _exact_names(parent):
            for child, name, directive in victims:
                key = (str(directive.span), name)
                if child is parent or key in reported or not name.endswith("." + parent_name):
                    continue
                if _served_over_tls(servers, name):
                    continue
                reported.add(key)
                yield META.finding(
                    directive,
                    related=(policies[0].span, parent_directive.span),
                    host=name,
                    parent=parent_name,
                    header=hsts_value(policies[0]),
                    hsts_line=where(config, policies[0].span),
                )
