"""Behind a TLS-terminating proxy, a redirect takes ``http`` from ``$scheme``.

``$scheme``, and the scheme nginx puts in front of a relative Location, come from the
connection nginx itself accepted [nginx-semantics.md §3.4, §4]. A plain-http server that
sits behind a proxy (real-IP settings, a PROXY-protocol or loopback-only listen, or a
configuration that reads ``X-Forwarded-Proto``) therefore redirects https visitors to
``http://…``: an extra hop at best, an http↔https loop at worst.

Evidence: the server has no TLS listen, something shows the proxy, and a redirect target
starts with ``$scheme`` (kind ``variable``) or with ``/`` while ``absolute_redirect`` is
on (kind ``relative``).
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.model import Severity
from httpdoctor.servers.nginx.lint._redirects import proxy_evidence, redirects, target_scheme
from httpdoctor.servers.nginx.lint._scan import has_tls, setting
from httpdoctor.servers.nginx.lint.model import LintFinding, LintMeta, directive_text, where
from httpdoctor.servers.nginx.model import Config

META = LintMeta(id="redirect-scheme-behind-proxy", severity=Severity.WARNING)


def check(config: Config) -> Iterator[LintFinding]:
    for redirect in redirects(config):
        scope = redirect.scope
        if has_tls(scope.server):
            continue
        scheme = target_scheme(redirect.target)
        if scheme == "same":
            kind = "variable"
        elif scheme == "relative" and not redirect.on_error:
            absolute = setting(scope.chain, "absolute_redirect")
            if absolute is not None and absolute.args[:1] == ("off",):
                continue
            kind = "relative"
        else:
            continue
        evidence = proxy_evidence(config, scope)
        if evidence is None:
            continue
        yield META.finding(
            redirect.directive,
            related=(evidence.span,),
            target=redirect.target,
            kind=kind,
            evidence=directive_text(evidence),
            evidence_line=where(config, evidence.span),
        )
