"""``diagnose --json`` (docs/json/diagnose.schema.json)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from httpdoctor.diagnose.model import Finding
from httpdoctor.i18n import Lang
from httpdoctor.report.findings import word

__all__ = ["SCHEMA_VERSION", "findings_json"]

SCHEMA_VERSION = 1


def findings_json(findings: Sequence[Finding], lang: Lang) -> list[dict[str, Any]]:
    out = []
    for finding in findings:
        worded = word(finding, lang)
        out.append(
            {
                "id": finding.rule,
                "severity": finding.severity.value,
                "title": worded.title,
                "explanation": worded.explanation,
                "evidence": [{"text": text, "hops": list(hops)} for text, hops in worded.evidence],
                "fixes": [
                    {"for": fix.target, "text": fix.text, "snippet": fix.snippet}
                    for fix in worded.fixes
                ],
                "hops": list(finding.hops),
                "params": dict(finding.params),
            }
        )
    return out
