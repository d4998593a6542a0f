"""An ``if`` in a location that does more than ``return`` or ``rewrite``.

When its condition is true, ``if`` puts the request into the configuration of the ``if``
block itself, an implicit nested location [doc ngx_http_rewrite_module#if;
nginx-semantics.md §3.5]. Directives there do not combine the way people expect:
``try_files`` and ``proxy_pass`` of the location stop applying, an ``add_header`` replaces
the location's list, and ``proxy_pass`` or ``set`` mix with the rest surprisingly. Only
``return`` and ``rewrite … last|redirect|permanent`` (leaving the location at once) are
safe inside it ("If is evil", nginx wiki).

Evidence: an ``if`` inside a ``location`` whose block holds any other directive; the
finding names the first one. ``if`` at server level is not reported: location search
replaces its configuration anyway.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.model import Severity
from httpdoctor.servers.nginx.lint._scan import scopes
from httpdoctor.servers.nginx.lint.model import LintFinding, LintMeta, directive_text, quote
from httpdoctor.servers.nginx.model import Config, Directive

META = LintMeta(id="if-is-evil", severity=Severity.WARNING)

_LEAVES = ("last", "redirect", "permanent")
_REDIRECT = ("http://", "https://", "$scheme")


def _safe(directive: Directive) -> bool:
    if directive.name == "return":
        return True
    if directive.name == "rewrite" and len(directive.args) >= 2:
        flag = directive.args[2] if len(directive.args) > 2 else ""
        return flag in _LEAVES or directive.args[1].startswith(_REDIRECT)
    return False


def check(config: Config) -> Iterator[LintFinding]:
    for scope in scopes(config):
        block = scope.block
        if block.name != "if" or not any(d.name == "location" for d in scope.chain):
            continue
        unsafe = [d for d in block.block or () if not _safe(d)]
        if unsafe:
            names = sorted({d.name for d in unsafe})
            yield META.finding(
                block,
                related=(unsafe[0].span,),
                condition=" ".join(quote(a) for a in block.args),
                first=directive_text(unsafe[0]),
                names=", ".join(names),
            )
