"""An https request is redirected to plain http on the same site.

Evidence: a redirect whose target starts with ``http://`` and names the same site
(``$host``, ``$server_name`` or one of the server's names) at a point that https requests
reach: a TLS server, or a server with both kinds of listen unless an ``if`` limits the
branch to plain http. The visitor leaves TLS; with HSTS the browser upgrades the target
back to https and the two redirects chase each other.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.model import Severity
from httpdoctor.servers.nginx.lint._redirects import (
    redirects,
    request_schemes,
    same_site,
    target_scheme,
)
from httpdoctor.servers.nginx.lint.model import LintFinding, LintMeta
from httpdoctor.servers.nginx.model import Config

META = LintMeta(id="https-to-http-redirect", severity=Severity.ERROR)


def check(config: Config) -> Iterator[LintFinding]:
    for redirect in redirects(config):
        if target_scheme(redirect.target) != "http" or not same_site(redirect):
            continue
        if "https" not in request_schemes(redirect):
            continue
        yield META.finding(redirect.directive, status=redirect.status, target=redirect.target)
