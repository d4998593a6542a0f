"""Domain names as the preload checker judges them (domain.go checkDomainFormat and
preloadableDomainLevel, hsts-preload-spec.md §1.6 steps 1-2), offline.

Public suffixes follow golang.org/x/net/publicsuffix over the list bundled with
tldextract; a name under no listed suffix falls under the default rule ``*``.
"""

from __future__ import annotations

import pytest

from httpdoctor.hsts.domain_checks import (
    etld_plus_one,
    format_issues,
    level_issues,
    normalize_domain,
    public_suffix,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("domain", "code"),
    [
        (".site.test", "domain.format.begins_with_dot"),
        ("site.test.", "domain.format.ends_with_dot"),
        ("a..site.test", "domain.format.contains_double_dot"),
        ("test", "domain.format.public_suffix"),
        ("co.uk", "domain.format.public_suffix"),
        ("github.io", "domain.format.public_suffix"),  # the PSL's private section counts
        ("2001:db8::1", "domain.format.public_suffix"),  # no dot: Go's "*" rule [derived]
        ("exa_mple.com", "domain.format.invalid_characters"),
        ("::ffff:1.2.3.4", "domain.format.invalid_characters"),
        ("1.1.1.1", "domain.format.is_ip_address"),
    ],
)
def test_the_format_check_returns_the_first_failure_only(domain: str, code: str) -> None:
    assert format_issues(domain).error_codes == (code,)


@pytest.mark.parametrize("domain", ["site.test", "example.com", "site.co.uk", "foo.github.io"])
def test_whole_registrable_names_pass_format_and_level(domain: str) -> None:
    assert format_issues(domain).passed and level_issues(domain).passed


def test_a_subdomain_names_the_domain_to_preload() -> None:
    issues = level_issues("a.b.site.test")
    assert issues.error_codes == ("domain.is_subdomain",)
    assert issues.errors[0].fields == {"domain": "a.b.site.test", "etld1": "site.test"}


def test_an_etld1_that_cannot_be_computed_is_an_internal_error() -> None:
    # Unreachable after the format checks with the real list; a list that calls every
    # name a public suffix makes EffectiveTLDPlusOne fail.
    issues = level_issues("site.test", suffix_of=lambda name: name)
    assert issues.error_codes == ("internal.domain.name.cannot_compute_etld1",)


@pytest.mark.parametrize(
    ("name", "suffix", "etld1"),
    [
        ("site.test", "test", "site.test"),
        ("a.b.site.test", "test", "site.test"),
        ("www.example.co.uk", "co.uk", "example.co.uk"),
        ("foo.github.io", "github.io", "foo.github.io"),
        ("www.ck", "ck", "www.ck"),  # the PSL's exception rule !www.ck
        ("co.uk", "co.uk", None),
    ],
)
def test_public_suffix_and_etld1_follow_golangs_publicsuffix(
    name: str, suffix: str, etld1: str | None
) -> None:
    assert public_suffix(name) == suffix
    assert etld_plus_one(name) == etld1


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Example.COM", "example.com"),
        ("https://Example.com/path?q", "example.com"),
        ("münchen.de", "xn--mnchen-3ya.de"),
        ("example.com.", "example.com."),
    ],
)
def test_names_are_normalised_as_hstspreload_org_does(text: str, normal: str) -> None:
    assert normalize_domain(text) == normal
