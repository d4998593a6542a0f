"""Redirects in a configuration: which directives send a Location, where, over which scheme.

``return CODE URL``, ``return URL``, ``rewrite`` to an absolute URL or with
``redirect``/``permanent``, and ``error_page`` to a URL [nginx-semantics.md §3.2, §3.3, §5].
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from httpdoctor.servers.nginx.lint._scan import (
    Scope,
    has_plain,
    has_tls,
    listens,
    name_matches,
    scopes,
    server_names,
    setting,
)
from httpdoctor.servers.nginx.model import Config, Directive

__all__ = [
    "REDIRECT_CODES",
    "Redirect",
    "proxy_evidence",
    "redirects",
    "request_schemes",
    "same_site",
    "target_host",
    "target_scheme",
]

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_ABSOLUTE = ("http://", "https://", "$scheme")


@dataclass(frozen=True, slots=True, kw_only=True)
class Redirect:
    """A directive that answers with a Location: its status, target and where it runs."""

    directive: Directive
    status: int
    target: str
    scope: Scope
    on_error: bool = False  # error_page: only for the listed error codes
    codes: tuple[str, ...] = ()


def _redirect(directive: Directive, scope: Scope) -> Redirect | None:
    args = directive.args
    if directive.name == "return" and args:
        if args[0].isdigit() and int(args[0]) in REDIRECT_CODES and len(args) > 1:
            return Redirect(directive=directive, status=int(args[0]), target=args[1], scope=scope)
        if args[0].startswith(_ABSOLUTE):
            return Redirect(directive=directive, status=302, target=args[0], scope=scope)
    if directive.name == "rewrite" and len(args) >= 2:
        flag = args[2] if len(args) > 2 else ""
        if args[1].startswith(_ABSOLUTE) or flag in {"redirect", "permanent"}:
            status = 301 if flag == "permanent" else 302
            return Redirect(directive=directive, status=status, target=args[1], scope=scope)
    if directive.name == "error_page" and len(args) >= 2 and not args[-1].startswith(("/", "@")):
        codes = tuple(a for a in args[:-1] if not a.startswith("="))
        override = next((a[1:] for a in args[:-1] if a.startswith("=")), "")
        status = int(override) if override.isdigit() and int(override) in REDIRECT_CODES else 302
        return Redirect(
            directive=directive,
            status=status,
            target=args[-1],
            scope=scope,
            on_error=True,
            codes=codes,
        )
    return None


def redirects(config: Config, server: Directive | None = None) -> Iterator[Redirect]:
    """Every return/rewrite/error_page that sends a Location, in file order per server."""
    for scope in scopes(config, server):
        for directive in scope.block.block or ():
            found = _redirect(directive, scope)
            if found is not None:
                yield found


def target_scheme(target: str) -> str:
    """``https``, ``http``, ``same`` ($scheme), ``relative`` (``/…``) or ``unknown``."""
    lowered = target.lower()
    if lowered.startswith("https://"):
        return "https"
    if lowered.startswith("http://"):
        return "http"
    if target.startswith(("$scheme://", "${scheme}://")):
        return "same"
    if target.startswith("/"):
        return "relative"
    return "unknown"


_HOST = re.compile(r"\$\{\w+\}|\$\w+|[^/?$:]+")


def target_host(target: str) -> str | None:
    """The host part of an absolute target: ``$host``, ``${host}`` or ``example.com``.

    ``https://$host$request_uri`` gives ``$host``; a port (``:8443``) is not included.
    """
    _, sep, rest = target.partition("://")
    match = _HOST.match(rest) if sep else None
    return match[0] if match else None


# `if` conditions (crossplane drops the parentheses) that let only one scheme through.
_HTTP_ONLY: set[tuple[str, ...]] = {
    ("$scheme", "=", "http"),
    ("$scheme", "!=", "https"),
    ("$https", "=", ""),
    ("$https", "!=", "on"),
}
_HTTPS_ONLY: set[tuple[str, ...]] = {
    ("$scheme", "=", "https"),
    ("$scheme", "!=", "http"),
    ("$https", "=", "on"),
    ("$https",),
    ("$https", "!=", ""),
}


def request_schemes(redirect_or_scope: Redirect | Scope) -> frozenset[str]:
    """Over which schemes requests can reach this point: the server's, narrowed by ifs.

    ``error_page 497`` handles plain-http requests sent to a TLS port [nginx-semantics §5].
    """
    scope = (
        redirect_or_scope.scope if isinstance(redirect_or_scope, Redirect) else redirect_or_scope
    )
    schemes = set()
    if has_plain(scope.server):
        schemes.add("http")
    if has_tls(scope.server):
        schemes.add("https")
    if isinstance(redirect_or_scope, Redirect) and redirect_or_scope.codes == ("497",):
        return frozenset({"http"}) if has_tls(scope.server) else frozenset()
    for condition in scope.conditions:
        if condition.args in _HTTP_ONLY:
            schemes &= {"http"}
        elif condition.args in _HTTPS_ONLY:
            schemes &= {"https"}
    return frozenset(schemes)


_HOST_VARIABLES = frozenset({"$host", "${host}", "$http_host", "${http_host}"})
_HOST_VARIABLES |= {"$server_name", "${server_name}"}


def same_site(redirect: Redirect) -> bool:
    """The target keeps the request's site: a host variable or one of the server's names."""
    host = target_host(redirect.target)
    if host is None:
        return False
    if host.lower() in _HOST_VARIABLES:
        return True
    names = server_names(redirect.scope.server)
    return any(name_matches(name, host.lower()) for name in names)


# Request headers a proxy in front adds (Cloudflare's CF-Visitor, RFC 7239 Forwarded…).
_FORWARDED = (
    "$http_x_forwarded_proto",
    "$http_x_forwarded_port",
    "$http_x_forwarded_ssl",
    "$http_cf_visitor",
    "$http_forwarded",
)


def _mentions_forwarded(block: Directive) -> Directive | None:
    stack = [block]
    while stack:
        directive = stack.pop()
        if any(word in arg for arg in directive.args for word in _FORWARDED):
            return directive
        stack.extend(reversed(directive.block or ()))
    return None


def proxy_evidence(config: Config, scope: Scope) -> Directive | None:
    """The directive showing that requests reach this server through a proxy, if any.

    The real IP module trusting a proxy, a PROXY-protocol listen, listens only on loopback
    or unix sockets (nothing but a local proxy can connect), or the configuration reading
    ``X-Forwarded-Proto``-like headers the proxy adds.
    """
    for name in ("set_real_ip_from", "real_ip_header"):
        found = setting(scope.chain, name)
        if found is not None:
            return found
    items = [item for item in listens(scope.server) if item.directive is not None]
    for item in items:
        if item.proxy_protocol:
            return item.directive
    if items and all(item.loopback for item in items):
        return items[0].directive
    http = config.http()
    outside = [d for d in (http.block or ()) if d.name != "server"] if http else []
    for block in (scope.server, *outside):
        found = _mentions_forwarded(block)
        if found is not None:
            return found
    return None
