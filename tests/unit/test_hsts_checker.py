"""The preload checker's header judgement, case by case from our own vector file.

tests/cases/hsts/preload-header.toml restates hsts-preload-spec.md §1.2-§1.4: each case
gives the exact, ordered error and warning codes of ParseHeaderString,
PreloadableHeaderString, RemovableHeaderString and EligibleHeaderString (18 weeks), as
the Go library's own test comparison requires (§1.1). §1.5 (one header per response) is
tested here with header lists.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from httpdoctor.hsts.checker import (
    EIGHTEEN_WEEKS,
    ONE_YEAR,
    TEN_YEARS,
    Issues,
    Policy,
    Severity,
    eligible_header_string,
    eligible_response,
    judge_header,
    parse_header,
    preloadable_header_string,
    preloadable_response,
    removable_header_string,
    removable_response,
    suggested_header,
)
from httpdoctor.hsts.header import parse_chromium

pytestmark = pytest.mark.unit

VECTORS = Path(__file__).resolve().parents[1] / "cases" / "hsts" / "preload-header.toml"
CASES: dict[str, dict[str, Any]] = tomllib.loads(VECTORS.read_text(encoding="utf-8"))
_SECTIONS = ("parse", "preloadable", "removable", "eligible_18_weeks")


def _codes(issues: Issues) -> dict[str, list[str]]:
    return {"errors": list(issues.error_codes), "warnings": list(issues.warning_codes)}


def _expected(table: dict[str, list[str]]) -> dict[str, list[str]]:
    return {"errors": table.get("errors", []), "warnings": table.get("warnings", [])}


def test_every_vector_is_well_formed() -> None:
    assert len(CASES) >= 40
    for case_id, case in CASES.items():
        assert set(case) == {"description", "header", "parsed", *_SECTIONS}, case_id
        assert case["description"], case_id
        for section in _SECTIONS:
            assert set(case[section]) <= {"errors", "warnings"}, (case_id, section)


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_parse_reads_the_header_as_the_vector_says(case_id: str) -> None:
    case = CASES[case_id]
    parsed, issues = parse_header(case["header"])
    reading: dict[str, object] = {
        "include_subdomains": parsed.include_subdomains,
        "preload": parsed.preload,
    }
    if parsed.max_age is not None:
        reading["max_age"] = parsed.max_age
    assert reading == case["parsed"], case["description"]
    assert _codes(issues) == _expected(case["parse"]), case["description"]


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_preloadable_removable_and_eligible_give_the_vectors_codes_in_order(case_id: str) -> None:
    case = CASES[case_id]
    header = case["header"]
    got = {
        "preloadable": _codes(preloadable_header_string(header)),
        "removable": _codes(removable_header_string(header)),
        "eligible_18_weeks": _codes(eligible_header_string(header, Policy.BULK_18_WEEKS)),
    }
    want = {name: _expected(case[name]) for name in got}
    assert got == want, case["description"]


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_the_judgement_bundles_the_same_verdicts(case_id: str) -> None:
    header = CASES[case_id]["header"]
    judged = judge_header(header, Policy.BULK_18_WEEKS)
    assert judged.preloadable == preloadable_header_string(header)
    assert judged.removable == removable_header_string(header)
    assert judged.eligible == eligible_header_string(header, Policy.BULK_18_WEEKS)
    assert judged.parse + judged.requirements == judged.eligible


def test_the_thresholds_are_the_libraries_constants() -> None:
    assert (EIGHTEEN_WEEKS, ONE_YEAR, TEN_YEARS) == (10_886_400, 31_536_000, 315_360_000)


def test_the_zero_message_names_the_policy_minimum() -> None:
    issues = eligible_header_string("max-age=0", Policy.BULK_18_WEEKS)
    zero = issues.errors[-1]
    assert zero.code == "header.preloadable.max_age.zero"
    assert zero.fields == {"minimum": str(EIGHTEEN_WEEKS), "period": "18-weeks"}


def test_unique_issues_are_kept_once_per_list_only() -> None:
    issues = Issues().warning("a", unique=True).warning("a", unique=True).error("a", unique=True)
    assert issues.warning_codes == ("a",) and issues.error_codes == ("a",)
    assert [i.severity for i in (*issues.errors, *issues.warnings)] == [
        Severity.ERROR,
        Severity.WARNING,
    ]


# -- §1.5: one Strict-Transport-Security field line per response -------------------------

GOOD = "max-age=31536000; includeSubDomains; preload"


def test_a_response_without_the_header_is_an_error_and_skips_the_header_checks() -> None:
    header, issues = preloadable_response([("Content-Type", "text/html")])
    assert header is None
    assert _codes(issues) == {"errors": ["response.no_header"], "warnings": []}


def test_two_field_lines_are_an_error_with_their_count() -> None:
    headers = [("Strict-Transport-Security", GOOD), ("strict-transport-security", GOOD)]
    header, issues = eligible_response(headers, Policy.BULK_1_YEAR)
    assert header is None
    assert issues.error_codes == ("response.multiple_headers",)
    assert issues.errors[0].fields == {"count": "2"}


def test_a_comma_does_not_split_a_field_line() -> None:
    value = "max-age=31536000, max-age=1; includeSubDomains; preload"
    header, issues = preloadable_response([("Strict-Transport-Security", value)])
    assert header == value
    assert issues.error_codes == (
        "header.parse.max_age.non_digit_characters",
        "header.preloadable.max_age.missing",
    )


def test_the_single_header_is_judged_with_the_policy() -> None:
    headers = [("STRICT-TRANSPORT-SECURITY", "max-age=10886400; includeSubDomains; preload")]
    assert preloadable_response(headers)[1].error_codes == (
        "header.preloadable.max_age.below_1_year",
    )
    assert eligible_response(headers, Policy.BULK_18_WEEKS)[1].passed


def test_removable_response_needs_one_header_too() -> None:
    assert removable_response([])[1].error_codes == ("response.no_header",)
    header, issues = removable_response([("Strict-Transport-Security", "max-age=0")])
    assert header == "max-age=0" and issues.passed


# -- the header to copy --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "policy", "suggested"),
    [
        ("", Policy.BULK_1_YEAR, "max-age=63072000; includeSubDomains; preload"),
        ("max-age=300", Policy.BULK_1_YEAR, "max-age=63072000; includeSubDomains; preload"),
        ("max-age=31536000", Policy.BULK_1_YEAR, "max-age=31536000; includeSubDomains; preload"),
        ("max-age=10886400", Policy.BULK_18_WEEKS, "max-age=10886400; includeSubDomains; preload"),
        ("max-age=999999999", Policy.BULK_1_YEAR, "max-age=63072000; includeSubDomains; preload"),
    ],
)
def test_the_suggested_header_passes_both_readers(
    header: str, policy: Policy, suggested: str
) -> None:
    parsed, _ = parse_header(header)
    assert suggested_header(parsed, policy) == suggested
    assert eligible_header_string(suggested, policy) == Issues()
    reading = parse_chromium(suggested)
    assert reading.valid and reading.include_subdomains
