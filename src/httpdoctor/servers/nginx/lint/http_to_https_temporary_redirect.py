"""The http→https redirect is temporary (302/303/307) where a permanent one is meant.

Evidence: a redirect to ``https://`` on the same site (``$host``, ``$server_name`` or one
of the server's own names) that runs for plain-http requests only (a server without TLS,
an ``if ($scheme = http)`` branch, or ``error_page 497``), with status 302, 303 or 307.
``return https://…`` without a code and ``rewrite … https://…`` without ``permanent`` are
302 [nginx-semantics.md §3.2, §3.3]. Browsers and search engines keep requesting the
http URL, and the hstspreload.org check wants a permanent redirect.
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

META = LintMeta(id="http-to-https-temporary-redirect", severity=Severity.WARNING)


def check(config: Config) -> Iterator[LintFinding]:
    for redirect in redirects(config):
        if redirect.status not in {302, 303, 307}:
            continue
        if target_scheme(redirect.target) != "https" or not same_site(redirect):
            continue
        if request_schemes(redirect) != {"http"}:
            continue
        permanent = "308" if redirect.status == 307 else "301"
        yield META.finding(
            redirect.directive,
            status=redirect.status,
            target=redirect.target,
            permanent=permanent,
        )
