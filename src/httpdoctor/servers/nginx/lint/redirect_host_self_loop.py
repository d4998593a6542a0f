"""A redirect built from ``$host`` that points at the very URL it answers: a loop.

``$host`` is the name the client asked for [nginx-semantics.md §4], so
``return 301 https://$host$request_uri;`` in a server that itself answers https on 443
sends the visitor back to the same URL, forever. It is the canonical-host redirect written
with ``$host`` where a fixed name (``https://example.com$request_uri``) was meant.

Proof, all from the configuration: the redirect runs for every request reaching its block
(a ``return``, or a ``rewrite`` whose pattern matches every URI, outside any ``if``); its
target is ``<scheme>://$host`` (or ``$http_host``) followed by ``$request_uri`` (or
``$uri``/``$uri$is_args$args`` when the server rewrites nothing); and one of the server's
listens serves that scheme, for ``$host`` (which drops the port) on the scheme's default
port (``$http_host`` keeps the port the client used). A request on that listen comes back
to the same socket, the same server and the same block.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.model import Severity
from httpdoctor.servers.nginx.lint._redirects import Redirect, redirects
from httpdoctor.servers.nginx.lint._scan import descendants, listens, tls_listen
from httpdoctor.servers.nginx.lint.model import LintFinding, LintMeta
from httpdoctor.servers.nginx.model import Config

META = LintMeta(id="redirect-host-self-loop", severity=Severity.ERROR)

_MATCH_ALL = frozenset({"^", "^(.*)$", "^(.*)", "^.*$", "^.*", ".*", "(.*)", "^/(.*)$", "^/(.*)"})
_HOSTS = {"$host": False, "${host}": False, "$http_host": True, "${http_host}": True}
_URIS_ALWAYS = frozenset({"$request_uri", "${request_uri}"})
_URIS_UNREWRITTEN = frozenset({"$uri$is_args$args", "$uri", "$document_uri", "$uri?$args"})


def _split(target: str) -> tuple[str, str, str] | None:
    scheme, sep, rest = target.partition("://")
    if not sep:
        return None
    for host in _HOSTS:
        if rest.startswith(host) and rest[len(host) :].startswith(("$", "/")):
            return scheme, host, rest[len(host) :]
    return None


def _every_request(redirect: Redirect) -> bool:
    directive = redirect.directive
    if redirect.on_error or redirect.scope.conditions:
        return False
    return directive.name == "return" or directive.args[0] in _MATCH_ALL


def _loops_on_one(ports: list[tuple[bool, int | None]], scheme: str, keeps_port: bool) -> bool:
    wanted = {"https": {True}, "http": {False}, "$scheme": {True, False}}.get(scheme)
    if wanted is None:
        return False
    default = {True: 443, False: 80}
    return any(tls in wanted and (keeps_port or port == default[tls]) for tls, port in ports)


def check(config: Config) -> Iterator[LintFinding]:
    for redirect in redirects(config):
        parts = _split(redirect.target)
        if parts is None or not _every_request(redirect):
            continue
        scheme, host, uri = parts
        server = redirect.scope.server
        rewrites = next(descendants(server, "rewrite"), None) is not None
        if uri not in _URIS_ALWAYS and (rewrites or uri not in _URIS_UNREWRITTEN):
            continue
        # Behind a proxy (loopback, unix socket, PROXY protocol) the client's own scheme and
        # port are not this listen's: no proof there.
        ports = [
            (tls_listen(server, item), item.port)
            for item in listens(server)
            if not (item.loopback or item.proxy_protocol)
        ]
        if not _loops_on_one(ports, scheme, _HOSTS[host]):
            continue
        yield META.finding(redirect.directive, target=redirect.target, host=host)
