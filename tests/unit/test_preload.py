"""The HSTS preload list: Chromium's JSON (hsts-preload-spec.md §3.6) and the bundled package.

Chromium walks its trie from the TLD to the full name and lets every entry it meets
overwrite the answer, so the most specific entry decides; an entry without
``"mode": "force-https"`` never causes an upgrade.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from httpdoctor.errors import DataError
from httpdoctor.hsts.preload import PreloadList, PreloadMatch, bundled_list, parse_chromium_json

pytestmark = pytest.mark.unit

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "cases" / "hsts" / "preload-fixture.json"


@pytest.fixture(scope="module")
def fixture_list() -> PreloadList:
    return parse_chromium_json(FIXTURE.read_text(encoding="utf-8"), version="fixture-1")


@pytest.fixture(scope="module")
def package_list() -> PreloadList:
    return bundled_list()


def _match(entry: str, *, include: bool, exact: bool) -> PreloadMatch:
    return PreloadMatch(entry=entry, include_subdomains=include, exact=exact)


# -- Chromium's JSON ----------------------------------------------------------------


def test_the_list_says_where_it_came_from(fixture_list: PreloadList) -> None:
    assert (fixture_list.source, fixture_list.version) == ("chromium-json", "fixture-1")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        # A whole TLD covers every name under it, at any depth.
        ("example.dev", _match("dev", include=True, exact=False)),
        ("a.b.example.dev", _match("dev", include=True, exact=False)),
        ("dev", _match("dev", include=True, exact=True)),
        # The parent of the nested pair covers itself and its other subdomains.
        ("figma.com", _match("figma.com", include=True, exact=True)),
        ("api.figma.com", _match("figma.com", include=True, exact=False)),
        # The more specific entry covers its own host exactly…
        ("www.figma.com", _match("www.figma.com", include=False, exact=True)),
        # …and, lacking include_subdomains, stops the walk: Chromium does not upgrade
        # x.www.figma.com although figma.com has include_subdomains.
        ("x.www.figma.com", None),
        ("a.b.www.figma.com", None),
        # An entry without include_subdomains covers its own host only.
        ("exact-only.example", _match("exact-only.example", include=False, exact=True)),
        ("www.exact-only.example", None),
        ("explicit-false.example", _match("explicit-false.example", include=False, exact=True)),
        ("sub.explicit-false.example", None),
        # Names the list does not mention.
        ("example.com", None),
        ("figma.co", None),
        ("notfigma.com", None),
    ],
)
def test_the_most_specific_entry_decides(
    fixture_list: PreloadList, host: str, expected: PreloadMatch | None
) -> None:
    assert fixture_list.match(host) == expected


@pytest.mark.parametrize(
    "host",
    [
        # Pins only, no mode: not an upgrade, for the host or (despite include_subdomains)
        # its subdomains.
        "pinned.example",
        "www.pinned.example",
        # Pins only below figma.com: the trie walk overwrites figma.com's answer with this
        # entry's, whose force_https is false (§3.6; transport_security_state.cc ReadEntry).
        "pins.figma.com",
        "x.pins.figma.com",
    ],
)
def test_a_pins_only_entry_never_upgrades(fixture_list: PreloadList, host: str) -> None:
    assert fixture_list.match(host) is None


@pytest.mark.parametrize(
    ("host", "entry"),
    [
        ("WWW.Figma.COM", "www.figma.com"),
        ("www.figma.com.", "www.figma.com"),
        ("Example.DEV.", "dev"),
    ],
)
def test_case_and_a_trailing_dot_are_normalised(
    fixture_list: PreloadList, host: str, entry: str
) -> None:
    found = fixture_list.match(host)
    assert found is not None and found.entry == entry


@pytest.mark.parametrize("host", ["", ".", "a..figma.com"])
def test_an_invalid_host_is_never_preloaded(fixture_list: PreloadList, host: str) -> None:
    assert fixture_list.match(host) is None


def test_entry_names_are_normalised_when_read() -> None:
    text = '{"entries": [{"name": "MiXeD.Example.", "mode": "force-https"}]}'
    assert parse_chromium_json(text, version="v").match("mixed.example") == _match(
        "mixed.example", include=False, exact=True
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        '{"pinsets": []}',
        '{"entries": [{"mode": "force-https"}]}',
        '{"entries": 5}',
    ],
)
def test_a_file_that_is_not_a_chromium_list_is_a_data_error(text: str) -> None:
    with pytest.raises(DataError) as caught:
        parse_chromium_json(text, version="v")
    assert caught.value.hint is not None


# -- the bundled hstspreload package (data of 2025-01-01) -----------------------------


def test_the_bundled_list_is_dated_by_the_package_version(package_list: PreloadList) -> None:
    assert package_list.source == "hstspreload-package"
    assert package_list.version == "2025.1.1"


@pytest.mark.parametrize(
    ("host", "tld"),
    [
        ("example.dev", "dev"),
        ("a.b.c.example.dev", "dev"),
        ("EXAMPLE.Dev.", "dev"),
        ("foo.app", "app"),
    ],
)
def test_a_name_under_a_preloaded_tld_is_preloaded_via_the_tld(
    package_list: PreloadList, host: str, tld: str
) -> None:
    assert package_list.match(host) == _match(tld, include=True, exact=False)


@pytest.mark.parametrize(
    "host", ["wikipedia.org", "WikiPedia.ORG", "wikipedia.org.", "WIKIPEDIA.ORG."]
)
def test_the_bundled_list_normalises_case_and_trailing_dot(
    package_list: PreloadList, host: str
) -> None:
    # The package itself answers False for "WIKIPEDIA.ORG" and "wikipedia.org." (§4.1).
    found = package_list.match(host)
    assert found is not None and found.entry == "wikipedia.org" and found.exact


def test_a_subdomain_is_attributed_to_the_parent_entry(package_list: PreloadList) -> None:
    assert package_list.match("en.wikipedia.org") == _match(
        "wikipedia.org", include=True, exact=False
    )


def test_an_exact_match_reports_the_entrys_include_subdomains(package_list: PreloadList) -> None:
    # wikipedia.org's entry reaches its subdomains (en.wikipedia.org is covered through it),
    # so the exact match must say so too.
    assert package_list.match("wikipedia.org") == _match("wikipedia.org", include=True, exact=True)


@pytest.mark.parametrize("host", ["google.com", "example.com", "127.0.0.1", "localhost"])
def test_the_bundled_list_leaves_other_hosts_alone(package_list: PreloadList, host: str) -> None:
    assert package_list.match(host) is None
