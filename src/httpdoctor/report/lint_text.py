"""``httpdoctor lint`` for people: findings grouped by file, then by line."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from httpdoctor.i18n import Lang
from httpdoctor.report.lint_json import summary
from httpdoctor.report.lint_words import word_lint
from httpdoctor.report.messages import message
from httpdoctor.report.style import Styler
from httpdoctor.report.wrapping import wrap
from httpdoctor.servers.nginx.lint.model import LintFinding
from httpdoctor.servers.nginx.model import SourceSpan

__all__ = ["render_lint"]

_COLOUR = {"error": "red", "warning": "yellow", "info": "cyan"}
_INDENT = "        "


def _short(span: SourceSpan, prefix: str) -> str:
    root = prefix.rstrip("/") + "/"
    file = span.file[len(root) :] if root != "/" and span.file.startswith(root) else span.file
    return f"{file}:{span.line}"


def _one(finding: LintFinding, *, lang: Lang, style: Styler, width: int, prefix: str) -> list[str]:
    worded = word_lint(finding, lang)
    severity = finding.severity.value
    labels = [message(f"diagnose.severity-{s}", lang) for s in _COLOUR]
    label = message(f"diagnose.severity-{severity}", lang).ljust(max(map(len, labels)))
    badge = style(label, "bold", _COLOUR[severity])
    lines = [f"  {finding.span.line:>4}  {badge}  {style(worded.title, 'bold')}"]
    lines.append(_INDENT + style(finding.directive, "dim") + "  " + style(finding.rule, "dim"))
    lines += wrap(worded.message, width, _INDENT)
    lines += wrap(f"{message('lint.fix', lang)}: {worded.fix}", width, _INDENT)
    if worded.snippet:
        lines += [_INDENT + "    " + style(row, "cyan") for row in worded.snippet.splitlines()]
    if finding.related:
        where = ", ".join(_short(span, prefix) for span in finding.related)
        lines += wrap(f"{message('lint.related', lang)}: {where}", width, _INDENT)
    return lines


def render_lint(
    findings: Sequence[LintFinding],
    *,
    files: Sequence[str],
    prefix: str,
    lang: Lang,
    style: Styler,
    width: int,
) -> str:
    """Each file that has findings, its findings by line; then one summary line.

    Other places a finding refers to are written relative to ``prefix`` (the folder of
    the main configuration file) when they lie inside it.
    """
    width = max(40, min(width, 100))
    if not findings:
        return message("lint.none", lang, files=len(files)) + "\n"
    lines: list[str] = []
    for file, group in groupby(findings, key=lambda f: f.span.file):
        lines.append(style(file, "bold"))
        for finding in group:
            lines += _one(finding, lang=lang, style=style, width=width, prefix=prefix)
            lines.append("")
    counts = summary(findings)
    lines.append(
        message(
            "lint.summary",
            lang,
            count=counts["findings"],
            errors=counts["error"],
            warnings=counts["warning"],
            notes=counts["info"],
            files=len(files),
        )
    )
    return "\n".join(lines) + "\n"
