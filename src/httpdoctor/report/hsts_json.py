"""``hsts --json`` and ``preload --json`` (docs/json/hsts.schema.json, preload.schema.json).

Issue lists keep the reference's order; an ISSUE is ``{"code", "summary", "message"}``
in the chosen language (hsts-preload-spec.md §1.1 gives the same shape).
"""

from __future__ import annotations

from typing import Any

from httpdoctor.hsts.checker import HeaderJudgement, Issue, Issues
from httpdoctor.hsts.domain import DomainVerdict
from httpdoctor.hsts.domain_checks import NotChecked
from httpdoctor.hsts.header import ChromiumReading
from httpdoctor.hsts.preload import PreloadList, PreloadMatch
from httpdoctor.i18n import Lang
from httpdoctor.report.messages import message

__all__ = [
    "SCHEMA_VERSION",
    "domain_json",
    "header_json",
    "issue_words",
    "issues_json",
    "list_json",
    "not_checked_words",
]

SCHEMA_VERSION = 1


def issue_words(issue: Issue, lang: Lang) -> tuple[str, str]:
    """``(summary, message)`` of an issue, with its variable parts filled in."""
    fields = issue.fields
    if "first_error" in fields:  # the summary of another issue, in the same language
        fields["first_error"] = message(f"hsts.issue.{fields['first_error']}.summary", lang)
    if "period" in fields:
        fields["period"] = message(f"hsts.period.{fields['period']}", lang)
    summary = message(f"hsts.issue.{issue.code}.summary", lang)
    text = message(f"hsts.issue.{issue.code}.message", lang, **fields)
    return summary, text


def _issue(issue: Issue, lang: Lang) -> dict[str, str]:
    summary, text = issue_words(issue, lang)
    return {"code": issue.code, "summary": summary, "message": text}


def issues_json(issues: Issues, lang: Lang) -> dict[str, list[dict[str, str]]]:
    return {
        "errors": [_issue(i, lang) for i in issues.errors],
        "warnings": [_issue(i, lang) for i in issues.warnings],
    }


def header_json(judged: HeaderJudgement, chromium: ChromiumReading, lang: Lang) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "header": judged.header,
        "parsed": {
            "max_age": judged.parsed.max_age,
            "include_subdomains": judged.parsed.include_subdomains,
            "preload": judged.parsed.preload,
        },
        "parse": issues_json(judged.parse, lang),
        "preloadable": issues_json(judged.preloadable, lang),
        "removable": issues_json(judged.removable, lang),
        "eligible": {"policy": judged.policy.value, **issues_json(judged.eligible, lang)},
        "chromium": {
            "valid": chromium.valid,
            "max_age": chromium.max_age if chromium.valid else None,
            "include_subdomains": chromium.include_subdomains,
        },
    }


def not_checked_words(item: NotChecked, lang: Lang) -> str:
    return message(f"hsts.not-checked.{item.reason}", lang, code=item.code)


def list_json(listing: PreloadList, found: PreloadMatch | None) -> dict[str, Any]:
    return {
        "source": listing.source,
        "version": listing.version,
        "listed": found is not None,
        "entry": found.entry if found else None,
        "include_subdomains": found.include_subdomains if found else None,
        "exact": found.exact if found else None,
    }


def domain_json(
    domain: str,
    verdict: DomainVerdict | None,
    listing: PreloadList,
    found: PreloadMatch | None,
    lang: Lang,
) -> dict[str, Any]:
    """``preload`` (verdict for eligibility or removal) and ``preload status`` (None)."""
    issues = verdict.issues if verdict is not None else Issues()
    return {
        "schema_version": SCHEMA_VERSION,
        "domain": domain,
        **issues_json(issues, lang),
        "status": {
            "check": verdict.check if verdict is not None else "list",
            "policy": verdict.policy.value
            if verdict is not None and verdict.check == "preloadable"
            else None,
            "passed": issues.passed if verdict is not None else found is not None,
            "header": verdict.header if verdict is not None else None,
            "not_checked": [
                {"code": n.code, "reason": n.reason, "message": not_checked_words(n, lang)}
                for n in (verdict.not_checked if verdict is not None else ())
            ],
            "preload_list": list_json(listing, found),
        },
    }
