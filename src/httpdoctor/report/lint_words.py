"""Lint findings put into words: the rule's texts with the finding's fields filled in."""

from __future__ import annotations

from dataclasses import dataclass

from httpdoctor.i18n import Lang
from httpdoctor.report.findings import fill
from httpdoctor.servers.nginx.lint.catalogue import lint_text
from httpdoctor.servers.nginx.lint.model import LintFinding

__all__ = ["WordedLint", "word_lint"]


@dataclass(frozen=True, slots=True, kw_only=True)
class WordedLint:
    """A lint finding as shown, in one language."""

    finding: LintFinding
    title: str
    message: str
    explanation: str
    fix: str
    snippet: str | None


def word_lint(finding: LintFinding, lang: Lang) -> WordedLint:
    texts = lint_text(finding.rule)
    fields = dict(finding.params)
    return WordedLint(
        finding=finding,
        title=texts.title.get(lang),
        message=fill(texts.message(fields.get("kind")).get(lang), fields),
        explanation=texts.explanation.get(lang),
        fix=fill(texts.fix.get(lang), fields),
        snippet=fill(texts.snippet, fields) if texts.snippet else None,
    )
