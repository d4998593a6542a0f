from __future__ import annotations

import pytest

from httpdoctor.codes.query import (
    ClassQuery,
    CloudflareQuery,
    NameQuery,
    Query,
    StatusQuery,
    SubStatusQuery,
    normalize_name,
    parse_query,
)
from httpdoctor.errors import UsageError

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("307", StatusQuery(code=307)),
        (" 404 ", StatusQuery(code=404)),
        ("477", StatusQuery(code=477)),
        ("404.3", SubStatusQuery(code=404, substatus="404.3")),
        ("500.19", SubStatusQuery(code=500, substatus="500.19")),
        ("cf-1020", CloudflareQuery(number=1020)),
        ("CF1020", CloudflareQuery(number=1020)),
        ("cloudflare 1016", CloudflareQuery(number=1016)),
        ("cloudflare-error-1001", CloudflareQuery(number=1001)),
        ("5xx", ClassQuery(digit=5)),
        ("3XX", ClassQuery(digit=3)),
        ("307 Internal Redirect", StatusQuery(code=307, name="Internal Redirect")),
        ("internal-redirect", NameQuery(text="internal-redirect")),
        ("Too Many Requests", NameQuery(text="Too Many Requests")),
    ],
)
def test_accepted_query_shapes(text: str, expected: Query) -> None:
    assert parse_query(text) == expected


@pytest.mark.parametrize(
    ("text", "hint_part"),
    [
        ("", "give a code"),
        ("   ", "give a code"),
        ("1000", "cf-1000"),
        ("1020", "cf-1020"),
        ("600", "100 to 599"),
        ("099", "100 to 599"),
        ("42", "100 to 599"),
        ("99999999999999999999", "100 to 599"),
        ("---", "give a code"),
        ("900 Something", "100 to 599"),
    ],
)
def test_rejected_queries_say_what_to_do(text: str, hint_part: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_query(text)
    assert caught.value.hint is not None and hint_part in caught.value.hint


def test_non_ascii_digits_are_not_status_codes() -> None:
    # "٣٠٧" is 307 in Arabic-Indic digits: str.isdigit() says yes, HTTP says no.
    assert parse_query("٣٠٧") == NameQuery(text="٣٠٧")


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("I'm a teapot", "i m a teapot"),
        ("internal-redirect", "internal redirect"),
        ("  Too   Many_Requests ", "too many requests"),
        ("(Unused)", "unused"),
    ],
)
def test_names_compare_without_case_or_punctuation(name: str, normal: str) -> None:
    assert normalize_name(name) == normal


def test_thousands_of_digits_are_refused_quickly_and_quoted_short() -> None:
    with pytest.raises(UsageError) as caught:
        parse_query("9" * 5000)
    assert len(caught.value.message) < 120
