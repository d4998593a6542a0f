"""Every preload-checker code is explained in English and Russian, with its variable parts."""

from __future__ import annotations

import string

import pytest

from httpdoctor.hsts.checker import HEADER_CODES, Issue, Policy, Severity, judge_header
from httpdoctor.hsts.domain import eligible_domain
from httpdoctor.hsts.domain_checks import DOMAIN_CODES, format_issues, level_issues
from httpdoctor.i18n import Lang
from httpdoctor.report.hsts_json import issue_words
from httpdoctor.report.messages import catalogue
from tests.unit.preload_fakes import drive
from tests.unit.test_hsts_checker import CASES
from tests.unit.test_preload_domain import SCENARIOS

pytestmark = pytest.mark.unit

ALL_CODES = {**HEADER_CODES, **DOMAIN_CODES}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(ALL_CODES))
def test_each_code_has_a_summary_and_a_message_in_both_languages(code: str) -> None:
    texts = catalogue()
    for part in ("summary", "message"):
        text = texts[f"hsts.issue.{code}.{part}"]
        assert text.en and text.ru
        # Both languages use the same variable parts.
        assert _fields(text.en) == _fields(text.ru), (code, part)


def test_the_catalogue_explains_no_code_that_does_not_exist() -> None:
    keys = {k for k in catalogue() if k.startswith("hsts.issue.")}
    expected = {f"hsts.issue.{c}.{p}" for c in ALL_CODES for p in ("summary", "message")}
    assert keys == expected


def _produced() -> list[Issue]:
    issues: list[Issue] = []
    for case in CASES.values():
        judged = judge_header(case["header"], Policy.BULK_18_WEEKS)
        for found in (judged.preloadable, judged.removable, judged.eligible):
            issues += [*found.errors, *found.warnings]
    for scenario in SCENARIOS.values():
        verdict = drive(eligible_domain(scenario.domain, scenario.policy), scenario.net())
        issues += [*verdict.issues.errors, *verdict.issues.warnings]
    for domain in (".a.test", "a.test.", "a..test", "test", "a_b.test", "1.1.1.1"):
        issues += format_issues(domain).errors
    issues += level_issues("a.test", suffix_of=lambda name: name).errors
    return issues


@pytest.mark.parametrize("lang", list(Lang))
def test_every_produced_issue_reads_whole_in_both_languages(lang: Lang) -> None:
    seen = set()
    for issue in _produced():
        assert issue.severity is ALL_CODES[issue.code]
        summary, text = issue_words(issue, lang)
        assert summary and text and "{" not in text.replace("{}", ""), issue
        seen.add(issue.code)
    assert seen == set(ALL_CODES)


def test_the_first_redirect_message_gives_the_first_errors_summary_in_the_same_language() -> None:
    issue = Issue(
        code="redirects.http.first_redirect.no_hsts",
        severity=Severity.ERROR,
        params=(
            ("url", "http://a.test"),
            ("target", "https://a.test/"),
            ("first_error", "response.no_header"),
        ),
    )
    assert "No HSTS header" in issue_words(issue, Lang.EN)[1]
    assert "Нет заголовка HSTS" in issue_words(issue, Lang.RU)[1]
