"""The lab scenarios are data (``lab/data/scenarios.toml``); these tests are its rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from httpdoctor import _resources
from httpdoctor.diagnose import RULES
from httpdoctor.errors import DataError, ErrorText, UsageError
from httpdoctor.i18n import Lang
from httpdoctor.lab import scenarios
from httpdoctor.lab.model import Scenario, Variant
from httpdoctor.lab.scenarios import SCENARIOS, scenario_named

pytestmark = pytest.mark.unit

VARIANTS = [(s, v) for s in SCENARIOS for v in s.variants]
VARIANT_IDS = [f"{s.name}-{v.name}" for s, v in VARIANTS]
HTML = ("Content-Type", "text/html; charset=utf-8")


def _names(scenario: Scenario) -> str:
    return scenario.name


# -- the bundled scenarios ---------------------------------------------------------------


def test_scenario_names_are_unique() -> None:
    names = [s.name for s in SCENARIOS]
    assert len(names) >= 7
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=_names)
def test_variant_names_are_unique_within_a_scenario(scenario: Scenario) -> None:
    names = [v.name for v in scenario.variants]
    assert names and len(set(names)) == len(names)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=_names)
def test_every_scenario_and_variant_is_told_in_english_and_in_russian(scenario: Scenario) -> None:
    for text in (scenario.summary, *(v.summary for v in scenario.variants)):
        assert text.en.strip() and text.ru.strip()
        assert any("а" <= ch <= "я" for ch in text.ru.lower()), text.ru


@pytest.mark.parametrize(("scenario", "variant"), VARIANTS, ids=VARIANT_IDS)
def test_every_variant_has_hosts_each_named_once(scenario: Scenario, variant: Variant) -> None:
    names = [h.name for h in variant.hosts]
    assert names and len(set(names)) == len(names)


@pytest.mark.parametrize(("scenario", "variant"), VARIANTS, ids=VARIANT_IDS)
def test_every_variant_serves_the_url_it_starts_from_and_the_urls_it_primes(
    scenario: Scenario, variant: Variant
) -> None:
    hosts = {h.name: h for h in variant.hosts}
    for url in (scenario.url, *scenario.prime):
        parts = urlsplit(url)
        assert parts.hostname in hosts, url
    start = urlsplit(scenario.url)
    if start.scheme == "http":  # an https start may be the very thing that is broken
        assert hosts[start.hostname or ""].http is not None


@pytest.mark.parametrize("scenario", SCENARIOS, ids=_names)
def test_every_expected_finding_is_a_rule_the_diagnosis_has(scenario: Scenario) -> None:
    assert scenario.expected
    assert scenario.expected <= {rule.meta.id for rule in RULES}


def test_the_seed_307_variants_share_one_parent_that_sends_hsts_for_subdomains() -> None:
    parents = {v.hosts[0] for v in scenario_named("seed-307").variants}
    assert len(parents) == 1
    (parent,) = parents
    assert parent.name == "site.test" and parent.https is not None
    (_, reply), *_ = parent.https
    assert ("Strict-Transport-Security", "max-age=31536000; includeSubDomains") in reply.headers


def test_a_page_reply_is_a_small_html_page_showing_its_text() -> None:
    (host,) = scenario_named("long-chain").variants[0].hosts
    reply = dict(host.http or ())["/new/"]
    assert (reply.status, reply.headers) == (200, (HTML,))
    assert reply.body == b"<!doctype html><title>the page at last</title><p>the page at last</p>\n"


def test_location_is_the_first_header_and_the_others_keep_their_order() -> None:
    (host,) = scenario_named("proxy-scheme-loop").variants[0].hosts
    (_, reply), *_ = host.https or ()
    assert reply.headers == (
        ("Location", "https://site.test/"),
        ("Server", "cloudflare"),
        ("CF-RAY", "8c0ffee000000000-AMS"),
    )


def test_a_scenario_may_start_on_a_page_that_no_host_of_it_serves() -> None:
    sso = scenario_named("sso-strict-cookie")
    assert sso.referrer == "https://idp.test/login"
    # The browser only names the page (Origin, Referer, SameSite); the lab never loads it.
    assert all(h.name != "idp.test" for v in sso.variants for h in v.hosts)
    assert scenario_named("form-origin-null").referrer == "https://shop.test/cart"
    assert scenario_named("post-301").referrer is None


def test_a_scenario_is_found_by_name_and_an_unknown_name_lists_them_all() -> None:
    for scenario in SCENARIOS:
        assert scenario_named(scenario.name) is scenario
    with pytest.raises(UsageError) as caught:
        scenario_named("nope")
    assert all(s.name in (caught.value.hint or "") for s in SCENARIOS)


# -- a broken data file ------------------------------------------------------------------

TINY = """
[hosts.parent]
name = "site.test"
slot = 0
http = [{ path = "*", status = 301, location = "https://site.test/" }]

[scenarios.tiny]
summary = { en = "A tiny scenario.", ru = "Крошечный сценарий." }
url = "http://site.test/"
expected = ["redirect-loop"]

[scenarios.tiny.variants.only]
summary = { en = "The only way.", ru = "Единственный способ." }

[[scenarios.tiny.variants.only.hosts]]
use = "parent"

[[scenarios.tiny.variants.only.hosts]]
name = "www.site.test"
slot = 1
http = [{ path = "/", page = "hello" }]
"""


@pytest.fixture
def load_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[str], tuple[Scenario, ...]]:
    """Load scenarios from the given TOML text, as if it were the bundled file."""
    # The error texts are read on first use from under _ROOT too: read the two sections
    # these errors are worded from before it moves, or they come out as bare keys.
    for key in ("lab.scenarios_file", "data.not_toml"):
        ErrorText(key).render(Lang.EN)
    monkeypatch.setattr(_resources, "_ROOT", str(tmp_path))
    monkeypatch.setenv("HTTPDOCTOR_CACHE_DIR", "")  # the real file's cache entry must not answer
    (tmp_path / "lab" / "data").mkdir(parents=True)

    def load(text: str) -> tuple[Scenario, ...]:
        (tmp_path / "lab" / "data" / "scenarios.toml").write_text(text, encoding="utf-8")
        return scenarios._load()

    return load


def test_the_tiny_file_itself_loads(load_file: Callable[[str], tuple[Scenario, ...]]) -> None:
    (tiny,) = load_file(TINY)
    assert [h.name for h in tiny.variants[0].hosts] == ["site.test", "www.site.test"]


@pytest.mark.parametrize(
    ("old", "new", "entry"),
    [
        ("status = 301", "stauts = 301", "hosts.parent.http[0]: unknown key 'stauts'"),
        (
            'location = "https://site.test/"',
            'headers = [["Location"]]',
            "hosts.parent.http[0].headers[0]: a header is a [name, value] pair",
        ),
        (', ru = "Единственный способ."', "", "scenarios.tiny.variants.only.summary"),
        ('use = "parent"', 'use = "parnet"', "scenarios.tiny.variants.only.hosts[0]: no [hosts."),
        ("slot = 1", 'slot = "1"', "scenarios.tiny.variants.only.hosts[1].slot"),
        ('expected = ["redirect-loop"]', "expected = []", "scenarios.tiny.expected"),
        (
            '{ path = "/", page = "hello" }',
            '{ path = "/", page = "hello" }, { path = "/", status = 404 }',
            "scenarios.tiny.variants.only.hosts[1].http: more than one reply for '/'",
        ),
        (
            "[scenarios.tiny.variants.only]",
            '[scenarios.tiny.variants.bare]\nsummary = { en = "E", ru = "Р" }\nhosts = []\n\n'
            "[scenarios.tiny.variants.only]",
            "scenarios.tiny.variants.bare.hosts: a variant needs at least one host",
        ),
    ],
    ids=[
        "misspelt key",
        "header without a value",
        "summary without Russian",
        "unknown shared host",
        "slot that is not a number",
        "nothing expected",
        "one path twice",
        "variant without hosts",
    ],
)
def test_a_broken_entry_is_a_data_error_naming_the_file_and_the_entry(
    load_file: Callable[[str], tuple[Scenario, ...]], old: str, new: str, entry: str
) -> None:
    text = TINY.replace(old, new)
    assert text != TINY
    with pytest.raises(DataError) as caught:
        load_file(text)
    assert caught.value.message.startswith("lab scenarios.toml ")
    assert entry in caught.value.message


def _with_page(value: str) -> str:
    """TINY, its scenario starting on the page ``value`` (written as TOML)."""
    url = 'url = "http://site.test/"'
    return TINY.replace(url, f"{url}\nreferrer = {value}")


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ('"https://shop.test/cart"', "https://shop.test/cart"),
        ('"HTTP://Shop.Test"', "http://shop.test/"),
    ],
)
def test_the_page_is_read_as_diagnose_e_reads_it(
    load_file: Callable[[str], tuple[Scenario, ...]], written: str, read: str
) -> None:
    (tiny,) = load_file(_with_page(written))
    assert tiny.referrer == read


NOT_A_PAGE = "must be a page's http(s) URL, such as https://example.com/form"


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ('"shop.test/cart"', NOT_A_PAGE),
        ('"ftp://shop.test/cart"', NOT_A_PAGE),
        ('"https://"', NOT_A_PAGE),
        ('""', "must be a non-empty string"),
        ('["https://shop.test/cart"]', "must be a non-empty string"),
    ],
    ids=["no scheme", "not http", "no host", "empty", "a list"],
)
def test_a_page_that_is_not_an_http_url_is_a_data_error_naming_the_entry(
    load_file: Callable[[str], tuple[Scenario, ...]], written: str, problem: str
) -> None:
    with pytest.raises(DataError) as caught:
        load_file(_with_page(written))
    assert caught.value.message == f"lab scenarios.toml scenarios.tiny.referrer: {problem}"


def test_a_file_that_is_not_toml_is_a_data_error_naming_it(
    load_file: Callable[[str], tuple[Scenario, ...]],
) -> None:
    with pytest.raises(DataError) as caught:
        load_file(TINY + "\n[scenarios.tiny\n")
    assert "lab/data/scenarios.toml is not valid TOML" in caught.value.message
