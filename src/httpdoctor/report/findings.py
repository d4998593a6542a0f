"""Findings put into words: the rule's texts with the finding's fields filled in.

Templates use ``{field}``; anything in braces that is not a field of the finding (an
nginx block, say) is left alone, so config snippets need no escaping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from httpdoctor.diagnose.catalogue import rule_text
from httpdoctor.diagnose.model import Finding
from httpdoctor.i18n import Lang

__all__ = ["WordedFinding", "WordedFix", "fill", "word"]

_FIELD = re.compile(r"\{(\w+)\}")


def fill(template: str, fields: dict[str, str]) -> str:
    return _FIELD.sub(lambda m: fields.get(m[1], m[0]), template)


@dataclass(frozen=True, slots=True, kw_only=True)
class WordedFix:
    """A fix as shown: audience, sentence, snippet."""

    target: str
    text: str
    snippet: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class WordedFinding:
    """A finding as shown, in one language."""

    finding: Finding
    title: str
    explanation: str
    evidence: tuple[tuple[str, tuple[int, ...]], ...]
    fixes: tuple[WordedFix, ...]


def word(finding: Finding, lang: Lang) -> WordedFinding:
    texts = rule_text(finding.rule)
    fields = dict(finding.params)
    evidence = []
    for item in finding.evidence:
        template = texts.evidence.get(item.key)
        sentence = fill(template.get(lang), dict(item.params)) if template else item.key
        evidence.append((sentence, item.hops))
    fixes = tuple(
        WordedFix(
            target=fix.target,
            text=fill(fix.text.get(lang), fields),
            snippet=fill(fix.snippet, fields) if fix.snippet else None,
        )
        for fix in texts.fixes
        if fix.when is None or fields.get(fix.when[0]) == fix.when[1]
    )
    return WordedFinding(
        finding=finding,
        title=fill(texts.title.get(lang), fields),
        explanation=fill(texts.explanation.get(lang), fields),
        evidence=tuple(evidence),
        fixes=fixes,
    )
