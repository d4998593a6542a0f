"""How the preload checker follows a redirect and compares hosts (redirects.go, §1.7)."""

from __future__ import annotations

import pytest

from httpdoctor.hsts.preload_redirects import (
    RedirectChain,
    RedirectError,
    hostname_of,
    insecure_hop_issues,
    redirect_target,
)
from httpdoctor.trace.model import Observation

pytestmark = pytest.mark.unit


def _answer(status: int, location: str | None) -> Observation:
    headers = () if location is None else (("Location", location),)
    return Observation(status=status, headers=headers)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_go_follows_these_statuses(status: int) -> None:
    assert redirect_target("http://a.test/x/y", _answer(status, "../z")) == "http://a.test/z"


@pytest.mark.parametrize("status", [200, 300, 304, 305, 306, 404])
def test_other_statuses_end_the_chain(status: int) -> None:
    assert redirect_target("http://a.test/", _answer(status, "https://a.test/")) is None


def test_a_redirect_without_location_is_the_final_response() -> None:
    assert redirect_target("http://a.test/", _answer(301, None)) is None
    assert redirect_target("http://a.test/", _answer(302, "")) is None


@pytest.mark.parametrize(
    "location", ["https://a.test:abc/", "/bad%zzescape", "https://a.test/\x01"]
)
def test_a_location_go_cannot_parse_is_a_follow_error(location: str) -> None:
    step = redirect_target("http://a.test/", _answer(301, location))
    assert isinstance(step, RedirectError) and "failed to parse Location" in step.message


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://Site.Test/path", "Site.Test"),  # URL.Hostname() keeps the case
        ("https://site.test:8443/", "site.test"),
        ("https://user:pw@site.test/", "site.test"),
        ("https://[2001:db8::1]:443/", "2001:db8::1"),
        ("http://site.test?q=1", "site.test"),
    ],
)
def test_hostname_as_go_returns_it(url: str, host: str) -> None:
    assert hostname_of(url) == host


def test_only_the_first_insecure_hop_is_reported() -> None:
    chain = RedirectChain(
        start="https://a.test",
        targets=("https://a.test/1", "http://a.test/2", "http://a.test/3"),
    )
    issues = insecure_hop_issues("https://a.test", chain)
    assert issues.error_codes == ("redirects.insecure.subsequent",)
    assert issues.errors[0].fields["number"] == "2"
    first = RedirectChain(start="https://a.test", targets=("http://a.test/",))
    assert insecure_hop_issues("https://a.test", first).error_codes == (
        "redirects.insecure.initial",
    )
