"""``httpdoctor diagnose`` for people: the chain in brief, then each finding."""

from __future__ import annotations

from collections.abc import Sequence

from httpdoctor.diagnose.model import Finding
from httpdoctor.i18n import Lang
from httpdoctor.report.findings import word
from httpdoctor.report.messages import message
from httpdoctor.report.style import Styler
from httpdoctor.report.wrapping import wrap

__all__ = ["render_findings"]

_COLOUR = {"error": "red", "warning": "yellow", "info": "cyan"}


def render_findings(findings: Sequence[Finding], *, lang: Lang, style: Styler, width: int) -> str:
    width = max(40, min(width, 100))
    if not findings:
        return message("diagnose.none", lang) + "\n"
    lines: list[str] = []
    for number, finding in enumerate(findings, 1):
        worded = word(finding, lang)
        severity = message(f"diagnose.severity-{finding.severity.value}", lang)
        badge = style(f"[{severity}]", "bold", _COLOUR[finding.severity.value])
        lines.append(
            f"{number}. {badge} {style(worded.title, 'bold')}  {style(finding.rule, 'dim')}"
        )
        lines += wrap(worded.explanation, width, "   ")
        if worded.evidence:
            lines.append("   " + style(message("diagnose.evidence", lang), "bold"))
            for sentence, hops in worded.evidence:
                label = message("diagnose.hop", lang)
                where = f"[{label} {', '.join(map(str, hops))}] " if hops else ""
                lines += wrap(f"{where}{sentence}", width, "       ", first="     • ")
        if worded.fixes:
            lines.append("   " + style(message("diagnose.fixes", lang), "bold"))
            for fix in worded.fixes:
                label = message(f"fix.{fix.target}", lang)
                lines += wrap(f"[{label}] {fix.text}", width, "       ", first="     • ")
                if fix.snippet:
                    lines += ["         " + style(row, "dim") for row in fix.snippet.splitlines()]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
