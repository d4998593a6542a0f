"""Chromium's reading of Strict-Transport-Security, case by case from our own vector file.

The vectors live in tests/cases/hsts/chromium-header.toml, one table per id; they restate
hsts-preload-spec.md §3.2. A header Chromium rejects is ignored as a whole.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from httpdoctor.hsts.header import MAX_AGE_CLAMP, ChromiumReading, parse_chromium

pytestmark = pytest.mark.unit

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "cases" / "hsts" / "chromium-header.toml"
CASES: dict[str, dict[str, Any]] = tomllib.loads(VECTORS.read_text(encoding="utf-8"))
_FIELDS = {"description", "header", "valid", "max_age", "include_subdomains"}


def test_every_vector_is_well_formed() -> None:
    assert len(CASES) >= 50
    for case_id, case in CASES.items():
        assert set(case) <= _FIELDS, case_id
        assert isinstance(case.get("description"), str) and case["description"], case_id
        assert isinstance(case.get("header"), str), case_id
        assert isinstance(case.get("valid"), bool), case_id
        # A valid case states its max-age; an invalid one has none to state.
        assert ("max_age" in case) is case["valid"], case_id
        if not case["valid"]:
            assert "include_subdomains" not in case, case_id


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_chromium_reads_the_header_as_the_vector_says(case_id: str) -> None:
    case = CASES[case_id]
    reading = parse_chromium(case["header"])
    got = (reading.valid, reading.max_age, reading.include_subdomains)
    expected = (case["valid"], case.get("max_age"), case.get("include_subdomains", False))
    assert got == expected, f"{case_id}: {case['description']}"


@pytest.mark.parametrize("case_id", sorted(i for i, c in CASES.items() if not c["valid"]))
def test_an_ignored_header_says_why(case_id: str) -> None:
    reading = parse_chromium(CASES[case_id]["header"])
    assert reading.problem, case_id


@pytest.mark.parametrize("case_id", sorted(i for i, c in CASES.items() if c["valid"]))
def test_a_valid_header_has_no_problem(case_id: str) -> None:
    assert parse_chromium(CASES[case_id]["header"]).problem is None


def test_the_clamp_is_one_year() -> None:
    # kMaxHSTSAgeSecs = 86400 * 365 (net/http/http_security_headers.h)
    assert MAX_AGE_CLAMP == 31_536_000


def test_a_reading_is_a_frozen_value() -> None:
    reading = parse_chromium("max-age=1")
    assert reading == ChromiumReading(valid=True, max_age=1, include_subdomains=False)
    with pytest.raises(AttributeError):
        reading.valid = False  # type: ignore[misc]
