"""The vocabulary of ``lint --nginx``: a rule's identity, its findings, the registry entry.

A rule reads a :class:`~httpdoctor.servers.nginx.model.Config` and yields
:class:`LintFinding` values. A finding names the directive (file, line, its text) and
carries parameters, never sentences: the words live in ``data/<id>.toml`` in English and
Russian, and the report fills them in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from httpdoctor.diagnose.model import Params, Severity, params
from httpdoctor.servers.nginx.model import Config, Directive, SourceSpan

__all__ = ["LintFinding", "LintMeta", "LintRule", "directive_text", "quote", "where"]

# Characters that force nginx to need quotes around an argument.
_NEEDS_QUOTES = frozenset(" \t\r\n;{}#'\"")


def quote(arg: str) -> str:
    """An argument as it must be written in nginx.conf (quoted when needed)."""
    if arg and not (_NEEDS_QUOTES & set(arg)):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def directive_text(directive: Directive) -> str:
    """The directive as it would be written: ``add_header X "a b" always;``.

    Block directives end in ``{ … }`` so that a location reads ``location /api { … }``.
    """
    args = " ".join(quote(a) for a in directive.args)
    if directive.name == "if":
        args = f"({args})"  # crossplane drops the parentheses nginx requires
    words = f"{directive.name} {args}" if args else directive.name
    return f"{words} {{ … }}" if directive.block is not None else f"{words};"


def where(config: Config, span: SourceSpan) -> str:
    """``file:line`` for a sentence: relative to the configuration's folder when inside it."""
    root = config.prefix.rstrip("/") + "/"
    file = span.file[len(root) :] if root != "/" and span.file.startswith(root) else span.file
    return f"{file}:{span.line}"


@dataclass(frozen=True, slots=True, kw_only=True)
class LintFinding:
    """One problem at one directive: where it is, what it says, the fields for the texts.

    ``related`` lists other places the finding depends on (the inherited HSTS line that a
    nested ``add_header`` drops, the first ``default_server`` of a pair…).
    """

    rule: str
    severity: Severity
    span: SourceSpan
    directive: str
    params: Params = ()
    related: tuple[SourceSpan, ...] = ()

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name)


@dataclass(frozen=True, slots=True, kw_only=True)
class LintMeta:
    """A lint rule's stable identity: its kebab-case id and the severity of its findings."""

    id: str
    severity: Severity

    def finding(
        self,
        directive: Directive,
        *,
        related: tuple[SourceSpan, ...] = (),
        severity: Severity | None = None,
        **fields: object,
    ) -> LintFinding:
        return LintFinding(
            rule=self.id,
            severity=severity or self.severity,
            span=directive.span,
            directive=directive_text(directive),
            params=params(fields),
            related=related,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class LintRule:
    """A registered lint rule: its identity and its pure check."""

    meta: LintMeta
    check: Callable[[Config], Iterator[LintFinding]]
