"""``lint --nginx``: static checks of an nginx configuration, each a small pure rule.

Rules are registered here explicitly, in report order within a severity (no discovery,
no subclass magic). ``lint(config)`` runs them all and returns the findings sorted by
file and line.
"""

from __future__ import annotations

from httpdoctor.servers.nginx.lint import (
    duplicate_default_server,
    hsts_dropped_in_nested_block,
    hsts_on_plain_http,
    hsts_subdomain_without_tls,
    hsts_without_always,
    http_to_https_temporary_redirect,
    https_to_http_redirect,
    if_is_evil,
    redirect_host_self_loop,
    redirect_port_leak,
    redirect_scheme_behind_proxy,
    redirect_server_name_not_hostname,
    rewrite_cycle,
    unreachable_location,
)
from httpdoctor.servers.nginx.lint.model import LintFinding, LintMeta, LintRule
from httpdoctor.servers.nginx.model import Config

__all__ = ["RULES", "LintFinding", "LintMeta", "LintRule", "lint", "rule_named"]

RULES: tuple[LintRule, ...] = (
    LintRule(meta=hsts_subdomain_without_tls.META, check=hsts_subdomain_without_tls.check),
    LintRule(meta=https_to_http_redirect.META, check=https_to_http_redirect.check),
    LintRule(meta=redirect_host_self_loop.META, check=redirect_host_self_loop.check),
    LintRule(
        meta=redirect_server_name_not_hostname.META,
        check=redirect_server_name_not_hostname.check,
    ),
    LintRule(meta=rewrite_cycle.META, check=rewrite_cycle.check),
    LintRule(meta=duplicate_default_server.META, check=duplicate_default_server.check),
    LintRule(meta=hsts_without_always.META, check=hsts_without_always.check),
    LintRule(meta=hsts_dropped_in_nested_block.META, check=hsts_dropped_in_nested_block.check),
    LintRule(meta=hsts_on_plain_http.META, check=hsts_on_plain_http.check),
    LintRule(
        meta=http_to_https_temporary_redirect.META,
        check=http_to_https_temporary_redirect.check,
    ),
    LintRule(meta=redirect_scheme_behind_proxy.META, check=redirect_scheme_behind_proxy.check),
    LintRule(meta=redirect_port_leak.META, check=redirect_port_leak.check),
    LintRule(meta=unreachable_location.META, check=unreachable_location.check),
    LintRule(meta=if_is_evil.META, check=if_is_evil.check),
)

_ORDER = {rule.meta.id: number for number, rule in enumerate(RULES)}


def rule_named(rule_id: str) -> LintRule:
    for rule in RULES:
        if rule.meta.id == rule_id:
            return rule
    raise KeyError(rule_id)


def lint(config: Config, rules: tuple[LintRule, ...] = RULES) -> tuple[LintFinding, ...]:
    """Every finding of every rule, by file (in reading order), line, then rule order."""
    files = {name: number for number, name in enumerate(config.files)}
    found = [finding for rule in rules for finding in rule.check(config)]
    found.sort(
        key=lambda f: (
            files.get(f.span.file, len(files)),
            f.span.file,
            f.span.line,
            _ORDER.get(f.rule, len(_ORDER)),
        )
    )
    return tuple(found)
