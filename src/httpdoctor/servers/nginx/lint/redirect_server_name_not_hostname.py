"""A redirect to ``$server_name`` in a server whose primary name is not a host name.

``$server_name`` is the server's first ``server_name`` entry, not the name the client
asked for [nginx-semantics.md §1.4]. In a catch-all (``_`` or ``""``), a wildcard
(``*.example.com``, ``.example.com``, ``www.*``), a regex (``~^…``) or a server without
``server_name`` it is that text itself, so ``return 301 https://$server_name$request_uri``
sends visitors to ``https://_/…`` or ``https://~^(.+)$/…``. ``$host`` (the requested name)
or a fixed name is what such a redirect needs.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.model import Severity
from httpdoctor.servers.nginx.lint._redirects import redirects, target_host
from httpdoctor.servers.nginx.lint._scan import primary_name
from httpdoctor.servers.nginx.lint.model import LintFinding, LintMeta
from httpdoctor.servers.nginx.model import Config

META = LintMeta(id="redirect-server-name-not-hostname", severity=Severity.ERROR)

_VARIABLE = ("$server_name", "${server_name}")


def _not_a_host(name: str) -> str | None:
    """Why ``name`` cannot stand in a URL, or None when it can."""
    if name in {"", '""'}:
        return "empty"
    if name == "_":
        return "catch-all"
    if name.startswith("~"):
        return "regex"
    if "*" in name or name.startswith("."):
        return "wildcard"
    return None


def check(config: Config) -> Iterator[LintFinding]:
    for redirect in redirects(config):
        host = target_host(redirect.target)
        if host is None or host not in _VARIABLE:
            continue
        name = primary_name(redirect.scope.server)
        kind = _not_a_host(name)
        if kind is None:
            continue
        scheme = redirect.target.partition("://")[0]
        yield META.finding(
            redirect.directive,
            related=(redirect.scope.server.span,),
            target=redirect.target,
            name=name or '""',
            kind=kind,
            location=f"{scheme}://{name}/…",
        )
