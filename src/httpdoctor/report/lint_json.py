"""``lint --format json`` (docs/json/lint.schema.json)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from httpdoctor.i18n import Lang
from httpdoctor.report.lint_words import word_lint
from httpdoctor.servers.nginx.lint.model import LintFinding

__all__ = ["SCHEMA_VERSION", "lint_json", "summary"]

SCHEMA_VERSION = 1


def summary(findings: Sequence[LintFinding]) -> dict[str, int]:
    counts = {"findings": len(findings), "error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity.value] += 1
    return counts


def lint_json(
    findings: Sequence[LintFinding],
    *,
    server: str,
    path: str,
    files: Sequence[str],
    lang: Lang,
) -> dict[str, Any]:
    out = []
    for finding in findings:
        worded = word_lint(finding, lang)
        out.append(
            {
                "id": finding.rule,
                "severity": finding.severity.value,
                "file": finding.span.file,
                "line": finding.span.line,
                "directive": finding.directive,
                "title": worded.title,
                "message": worded.message,
                "explanation": worded.explanation,
                "fix": worded.fix,
                "snippet": worded.snippet,
                "params": dict(finding.params),
                "related": [{"file": s.file, "line": s.line} for s in finding.related],
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "lang": lang.value,
        "server": server,
        "path": path,
        "files": list(files),
        "summary": summary(findings),
        "findings": out,
    }
