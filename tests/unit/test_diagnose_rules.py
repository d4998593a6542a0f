"""Every diagnosis rule against its own cases, and the promises every rule keeps.

Cases live in tests/cases/diagnose/<rule_id>.py (POSITIVE and NEGATIVE subjects).
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType

import pytest

from httpdoctor.diagnose import RULES, Rule
from httpdoctor.diagnose.catalogue import rule_text
from httpdoctor.i18n import Lang
from httpdoctor.report.findings import word

pytestmark = pytest.mark.unit

_LEFTOVER = re.compile(r"\{\w+\}")
IDS = [rule.meta.id for rule in RULES]


def _cases(rule: Rule) -> ModuleType:
    return importlib.import_module(f"tests.cases.diagnose.{rule.meta.id.replace('-', '_')}")


def test_rule_ids_are_unique_kebab_case() -> None:
    assert len(set(IDS)) == len(IDS)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule_id) for rule_id in IDS)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_every_rule_has_positive_and_negative_cases(rule: Rule) -> None:
    cases = _cases(rule)
    assert cases.POSITIVE, f"{rule.meta.id} has no positive case"
    assert cases.NEGATIVE, f"{rule.meta.id} has no negative case"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_the_rule_fires_on_each_positive_case(rule: Rule) -> None:
    for number, case in enumerate(_cases(rule).POSITIVE):
        found = [f for f in rule.check(case) if f.rule == rule.meta.id]
        assert found, f"{rule.meta.id}: positive case {number} found nothing"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_the_rule_stays_silent_on_each_negative_case(rule: Rule) -> None:
    for number, case in enumerate(_cases(rule).NEGATIVE):
        found = list(rule.check(case))
        assert not found, f"{rule.meta.id}: negative case {number} found {found}"


@pytest.mark.parametrize("lang", list(Lang))
@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_every_finding_reads_whole_in_both_languages(rule: Rule, lang: Lang) -> None:
    for case in _cases(rule).POSITIVE:
        for finding in rule.check(case):
            worded = word(finding, lang)
            texts = [worded.title, worded.explanation, *(t for t, _ in worded.evidence)]
            texts += [fix.text for fix in worded.fixes]
            for text in texts:
                assert not _LEFTOVER.search(text), f"{rule.meta.id}: unfilled field in {text!r}"
            keys = {item.key for item in finding.evidence}
            assert keys <= set(rule_text(rule.meta.id).evidence), f"{rule.meta.id}: {keys}"
            assert worded.fixes, f"{rule.meta.id}: a finding without a fix"
