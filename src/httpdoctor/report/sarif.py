"""Lint findings as a SARIF 2.1.0 log, for code-scanning dashboards and editors.

OASIS SARIF 2.1.0 (errata 01): one run whose ``tool.driver`` lists every rule
(``reportingDescriptor``: id, short and full description, help, default level) and whose
results point at file and line (``physicalLocation.artifactLocation.uri`` and
``region.startLine``). Paths under ``base`` (the directory the command ran in) are
written relative to it with the ``%SRCROOT%`` base id, as GitHub code scanning expects;
others as absolute ``file://`` URIs. Tested against the official schema
(tests/unit/test_sarif.py).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from httpdoctor import __version__
from httpdoctor.i18n import Lang
from httpdoctor.report.lint_words import word_lint
from httpdoctor.servers.nginx.lint.catalogue import lint_text
from httpdoctor.servers.nginx.lint.model import LintFinding, LintRule
from httpdoctor.servers.nginx.model import SourceSpan

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "sarif_log"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_BASE_ID = "%SRCROOT%"
_FIELD = re.compile(r"\{(\w+)\}")
# SARIF §3.27.10 levels; our "info" is SARIF's "note".
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _file_uri(path: str) -> str:
    absolute = path.replace(os.sep, "/")
    return "file://" + quote(absolute if absolute.startswith("/") else "/" + absolute)


def _artifact(file: str, base: str | None) -> dict[str, str]:
    if base is not None:
        absolute, root = os.path.abspath(file), os.path.abspath(base)
        if os.path.commonpath([absolute, root]) == root:
            relative = os.path.relpath(absolute, root).replace(os.sep, "/")
            return {"uri": quote(relative), "uriBaseId": _BASE_ID}
        return {"uri": _file_uri(absolute)}
    if os.path.isabs(file):
        return {"uri": _file_uri(file)}
    return {"uri": quote(file.replace(os.sep, "/"))}  # a relative reference, as given


def _location(span: SourceSpan, base: str | None, **extra: Any) -> dict[str, Any]:
    return {
        **extra,
        "physicalLocation": {
            "artifactLocation": _artifact(span.file, base),
            "region": {"startLine": span.line},
        },
    }


def _generic(template: str) -> str:
    # A rule's help is not about one finding: its fields read as <placeholders>.
    return _FIELD.sub(lambda m: f"<{m[1]}>", template)


def _rule(rule: LintRule, lang: Lang) -> dict[str, Any]:
    texts = lint_text(rule.meta.id)
    help_text = _generic(texts.fix.get(lang))
    snippet = _generic(texts.snippet) if texts.snippet else None
    markdown = help_text if not snippet else f"{help_text}\n\n```nginx\n{snippet}\n```"
    return {
        "id": rule.meta.id,
        "name": "".join(part.capitalize() for part in rule.meta.id.split("-")),
        "shortDescription": {"text": texts.title.get(lang)},
        "fullDescription": {"text": texts.explanation.get(lang)},
        "help": {"text": help_text, "markdown": markdown},
        "defaultConfiguration": {"level": _LEVEL[rule.meta.severity.value]},
        "properties": {"tags": ["nginx", "configuration"]},
    }


def _fingerprint(finding: LintFinding) -> str:
    # Stable across line moves: the rule, the file's name and the directive's text.
    seed = "\0".join((finding.rule, os.path.basename(finding.span.file), finding.directive))
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32]


def _result(finding: LintFinding, index: int, lang: Lang, base: str | None) -> dict[str, Any]:
    worded = word_lint(finding, lang)
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": _LEVEL[finding.severity.value],
        "message": {"text": f"{worded.title}. {worded.message}"},
        "locations": [_location(finding.span, base)],
        "partialFingerprints": {"httpdoctorDirective/v1": _fingerprint(finding)},
        # This finding's own fix, fields filled (the rule's help is generic).
        "properties": {
            "directive": finding.directive,
            "fix": worded.fix,
            **({"snippet": worded.snippet} if worded.snippet else {}),
            "params": dict(finding.params),
        },
    }
    if finding.related:
        result["relatedLocations"] = [
            _location(span, base, id=number) for number, span in enumerate(finding.related, 1)
        ]
    return result


def sarif_log(
    findings: Sequence[LintFinding],
    rules: Sequence[LintRule],
    *,
    lang: Lang,
    base: str | None = None,
) -> dict[str, Any]:
    """The SARIF log of one lint run; ``base`` makes file URIs relative to it."""
    index = {rule.meta.id: number for number, rule in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "httpdoctor",
                "version": __version__,
                "language": lang.value,
                "rules": [_rule(rule, lang) for rule in rules],
            }
        },
        "language": lang.value,
        "invocations": [{"executionSuccessful": True}],
        "results": [_result(f, index[f.rule], lang, base) for f in findings],
    }
    if base is not None:
        root = os.path.abspath(base).replace(os.sep, "/").rstrip("/") + "/"
        run["originalUriBaseIds"] = {_BASE_ID: {"uri": _file_uri(root)}}
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
