"""``httpdoctor hsts`` and the offline parts of ``httpdoctor preload``, run in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.cli

ROOT = Path(__file__).resolve().parents[2]
HSTS_SCHEMA = json.loads((ROOT / "docs" / "json" / "hsts.schema.json").read_text())
PRELOAD_SCHEMA = json.loads((ROOT / "docs" / "json" / "preload.schema.json").read_text())
FIXTURE_LIST = ROOT / "tests" / "cases" / "hsts" / "preload-fixture.json"
GOOD = "max-age=63072000; includeSubDomains; preload"


def _hsts(*args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli("hsts", *args, "--json")
    assert result.stderr == ""
    jsonschema.validate(result.json, HSTS_SCHEMA)
    return result.exit_code, result.json


def _codes(section: dict[str, Any]) -> tuple[list[str], list[str]]:
    return [i["code"] for i in section["errors"]], [i["code"] for i in section["warnings"]]


def test_a_preloadable_header_exits_0_and_both_readers_agree() -> None:
    code, payload = _hsts(GOOD)
    assert code == 0
    assert payload["parsed"] == {"max_age": 63072000, "include_subdomains": True, "preload": True}
    assert _codes(payload["preloadable"]) == ([], [])
    assert _codes(payload["removable"]) == (["header.removable.contains.preload"], [])
    assert payload["eligible"]["policy"] == "bulk-1-year"
    # Chrome clamps to a year and knows nothing of preload.
    assert payload["chromium"] == {"valid": True, "max_age": 31536000, "include_subdomains": True}


def test_the_json_keeps_the_references_order_and_explains_each_code() -> None:
    code, payload = _hsts("preload; preload; includeSubDomains=1; max-age=5; max-age=x; ; unknown")
    assert code == 1
    assert _codes(payload["parse"]) == (
        ["header.parse.max_age.non_digit_characters"],
        [
            "header.parse.repeated.preload",
            "header.parse.invalid.include_sub_domains",
            "header.parse.empty_directive",
            "header.parse.unknown_directive",
        ],
    )
    assert _codes(payload["preloadable"])[0] == [
        "header.parse.max_age.non_digit_characters",
        "header.preloadable.include_sub_domains.missing",
        "header.preloadable.max_age.below_1_year",
    ]
    unknown = payload["parse"]["warnings"][-1]
    assert unknown["summary"] == "Unknown directive" and "`unknown`" in unknown["message"]
    assert payload["chromium"] == {"valid": False, "max_age": None, "include_subdomains": False}


def test_the_18_weeks_policy_lowers_only_the_eligible_verdict() -> None:
    code, payload = _hsts("max-age=10886400; includeSubDomains; preload", "--policy", "18-weeks")
    assert code == 0
    assert payload["eligible"]["policy"] == "bulk-18-weeks"
    assert _codes(payload["eligible"]) == ([], [])
    assert _codes(payload["preloadable"]) == (["header.preloadable.max_age.below_1_year"], [])


def test_a_pasted_field_name_is_dropped() -> None:
    _, payload = _hsts(f"Strict-Transport-Security: {GOOD}")
    assert payload["header"] == GOOD


def test_the_text_walks_a_newcomer_through_both_readings() -> None:
    result = run_cli("hsts", "max-age=300; includeSubDomains")
    assert result.exit_code == 1
    out = result.stdout
    for expected in (
        "How Chrome reads it",
        "about 5 minutes",
        "Can it be preloaded?",
        "header.preloadable.preload.missing",
        "max-age=63072000; includeSubDomains; preload",
    ):
        assert expected in out, expected


def test_the_text_in_russian_says_why_chrome_ignores_a_header() -> None:
    result = run_cli("hsts", "max-age=1; max-age=2", "--lang", "ru")
    assert "Как его читает Chrome" in result.stdout
    assert "max-age указан дважды" in result.stdout
    assert result.stderr == ""


def test_json_text_is_localised() -> None:
    result = run_cli("hsts", "max-age=0", "--json", "--lang", "ru")
    assert result.json["preloadable"]["errors"][-1]["summary"] == "max-age равен 0"


def test_an_unknown_policy_is_bad_usage() -> None:
    assert run_cli("hsts", GOOD, "--policy", "2-years").exit_code == 2


# -- preload: the checks that need no network ------------------------------------------


@pytest.mark.parametrize(
    ("domain", "code"),
    [
        (".site.test", "domain.format.begins_with_dot"),
        ("site.test.", "domain.format.ends_with_dot"),
        ("a..site.test", "domain.format.contains_double_dot"),
        ("test", "domain.format.public_suffix"),
        ("co.uk", "domain.format.public_suffix"),
        ("exa_mple.com", "domain.format.invalid_characters"),
        ("127.0.0.1", "domain.format.is_ip_address"),
    ],
)
def test_a_malformed_name_is_refused_before_any_connection(domain: str, code: str) -> None:
    result = run_cli("preload", domain, "--json")
    assert result.exit_code == 1
    jsonschema.validate(result.json, PRELOAD_SCHEMA)
    assert [i["code"] for i in result.json["errors"]] == [code]
    assert result.json["status"]["passed"] is False


def test_a_pasted_url_is_reduced_to_its_host() -> None:
    result = run_cli("preload", "HTTPS://CO.UK/path", "--json")
    assert result.json["domain"] == "co.uk"


@pytest.mark.parametrize(
    "words", [(), ("removable",), ("status",), ("a.test", "b.test"), ("status", "a", "b"), ("",)]
)
def test_bad_preload_lines_are_usage_errors(words: tuple[str, ...]) -> None:
    result = run_cli("preload", *words)
    assert result.exit_code == 2 and result.stderr.startswith("error:")


@pytest.fixture
def fixture_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPDOCTOR_PRELOAD_LIST", str(FIXTURE_LIST))


@pytest.mark.usefixtures("fixture_list")
@pytest.mark.parametrize(
    ("domain", "listed", "entry", "exit_code"),
    [
        ("a.figma.com", True, "figma.com", 0),
        ("Exact-Only.example", True, "exact-only.example", 0),
        ("sub.exact-only.example", False, None, 1),
        ("nothing.example", False, None, 1),
    ],
)
def test_status_names_the_covering_entry(
    domain: str, listed: bool, entry: str | None, exit_code: int
) -> None:
    result = run_cli("preload", "status", domain, "--json")
    assert result.exit_code == exit_code, result.stderr
    jsonschema.validate(result.json, PRELOAD_SCHEMA)
    status = result.json["status"]
    assert status["check"] == "list" and result.json["errors"] == []
    assert status["preload_list"]["source"] == "chromium-json"
    assert (status["preload_list"]["listed"], status["preload_list"]["entry"]) == (listed, entry)


@pytest.mark.usefixtures("fixture_list")
def test_status_text_says_whether_subdomains_are_covered() -> None:
    parent = run_cli("preload", "status", "a.figma.com").stdout
    assert "covered by the entry for figma.com" in parent
    exact = run_cli("preload", "status", "exact-only.example", "--lang", "ru").stdout
    assert "отдельной записью, без поддоменов" in exact
