"""What a browser remembers from STS headers: hsts-preload-spec.md §3.3 (storing), §3.4 (lookup)."""

from __future__ import annotations

import pytest

from httpdoctor.hsts.store import DynamicEntry, HstsStore

pytestmark = pytest.mark.unit

NOW = 1_000_000.0
YEAR = 31_536_000


def _store(*learned: tuple[str, str]) -> HstsStore:
    store = HstsStore()
    for host, header in learned:
        store = store.learn(host, header, NOW)
    return store


def _covering(store: HstsStore, host: str, now: float = NOW) -> str | None:
    entry = store.match(host, now)
    return entry.host if entry is not None else None


# -- storing ------------------------------------------------------------------------


def test_a_valid_header_stores_an_entry_for_the_exact_host() -> None:
    store = HstsStore().learn("example.com", "max-age=600; includeSubDomains", NOW)
    assert store.entries == (
        DynamicEntry(
            host="example.com",
            include_subdomains=True,
            expires_at=NOW + 600,
            observed_at=NOW,
            header="max-age=600; includeSubDomains",
        ),
    )


def test_learning_returns_a_new_store_and_leaves_the_old_one_alone() -> None:
    empty = HstsStore()
    learned = empty.learn("example.com", "max-age=600", NOW)
    assert empty.entries == ()
    assert learned is not empty


def test_the_expiry_uses_the_clamped_max_age() -> None:
    store = HstsStore().learn("example.com", "max-age=63072000", NOW)
    assert store.entries[0].expires_at == NOW + YEAR


def test_a_new_header_replaces_the_entry_for_the_same_host() -> None:
    store = _store(("example.com", "max-age=600; includeSubDomains"))
    later = store.learn("example.com", "max-age=60", NOW + 10)
    assert len(later.entries) == 1
    entry = later.entries[0]
    assert (entry.include_subdomains, entry.expires_at) == (False, NOW + 10 + 60)


def test_a_later_header_without_include_subdomains_stops_covering_children() -> None:
    store = _store(
        ("example.com", "max-age=600; includeSubDomains"),
        ("example.com", "max-age=600"),
    )
    assert _covering(store, "www.example.com") is None
    assert _covering(store, "example.com") == "example.com"


def test_max_age_zero_erases_the_exact_host() -> None:
    store = _store(("example.com", "max-age=600"), ("example.com", "max-age=0"))
    assert store.entries == ()
    assert _covering(store, "example.com") is None


def test_max_age_zero_on_a_child_does_not_remove_the_parents_entry() -> None:
    store = _store(
        ("example.com", "max-age=600; includeSubDomains"),
        ("a.example.com", "max-age=0"),
    )
    assert [e.host for e in store.entries] == ["example.com"]
    assert _covering(store, "a.example.com") == "example.com"


def test_max_age_zero_on_a_parent_does_not_erase_its_childrens_entries() -> None:
    store = _store(
        ("a.example.com", "max-age=600"),
        ("example.com", "max-age=0; includeSubDomains"),
    )
    assert [e.host for e in store.entries] == ["a.example.com"]


def test_max_age_zero_for_an_unknown_host_stores_nothing() -> None:
    assert _store(("example.com", "max-age=0")).entries == ()


@pytest.mark.parametrize(
    "header",
    [
        "max-age=1; max-age=2",
        "includeSubDomains",
        "max-age=0; includeSubDomains=true",
        'max-age="0',
        "",
    ],
)
def test_an_invalid_header_changes_nothing(header: str) -> None:
    store = _store(("example.com", "max-age=600; includeSubDomains"))
    assert store.learn("example.com", header, NOW + 1) == store


@pytest.mark.parametrize("host", ["192.0.2.1", "2001:db8::1", "[2001:db8::1]"])
def test_an_ip_address_host_learns_nothing(host: str) -> None:
    assert HstsStore().learn(host, "max-age=600", NOW).entries == ()


@pytest.mark.parametrize("host", ["a..example.com", "", "."])
def test_an_invalid_host_learns_nothing(host: str) -> None:
    assert HstsStore().learn(host, "max-age=600", NOW).entries == ()


def test_the_host_is_stored_lowercase_without_a_trailing_dot() -> None:
    store = HstsStore().learn("WWW.Example.COM.", "max-age=600", NOW)
    assert [e.host for e in store.entries] == ["www.example.com"]


def test_the_same_host_in_another_spelling_replaces_rather_than_adds() -> None:
    store = _store(("example.com", "max-age=600"), ("EXAMPLE.com.", "max-age=60"))
    assert [(e.host, e.expires_at) for e in store.entries] == [("example.com", NOW + 60)]


# -- lookup -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("learned", "host", "covered_by"),
    [
        # An entry always covers its own host.
        ([("example.com", "max-age=600")], "example.com", "example.com"),
        # Without includeSubDomains it covers nothing else.
        ([("example.com", "max-age=600")], "www.example.com", None),
        # A parent with includeSubDomains covers every level below it.
        ([("example.com", "max-age=600; includeSubDomains")], "www.example.com", "example.com"),
        ([("example.com", "max-age=600; includeSubDomains")], "a.b.c.example.com", "example.com"),
        # It does not cover a sibling name that merely ends with the same letters.
        ([("example.com", "max-age=600; includeSubDomains")], "badexample.com", None),
        # It does not cover its own parent.
        ([("www.example.com", "max-age=600; includeSubDomains")], "example.com", None),
        # The most specific matching entry wins: the host's own entry…
        (
            [("example.com", "max-age=600; includeSubDomains"), ("www.example.com", "max-age=60")],
            "www.example.com",
            "www.example.com",
        ),
        # …but an ancestor without includeSubDomains is skipped and the walk goes on up.
        (
            [("example.com", "max-age=600; includeSubDomains"), ("www.example.com", "max-age=60")],
            "x.www.example.com",
            "example.com",
        ),
        # Of two ancestors that both reach down, the nearer one wins.
        (
            [
                ("example.com", "max-age=600; includeSubDomains"),
                ("www.example.com", "max-age=60; includeSubDomains"),
            ],
            "x.www.example.com",
            "www.example.com",
        ),
        # Lookup canonicalises the asked-for host as well.
        ([("example.com", "max-age=600; includeSubDomains")], "WWW.EXAMPLE.COM.", "example.com"),
    ],
)
def test_lookup_finds_the_most_specific_covering_entry(
    learned: list[tuple[str, str]], host: str, covered_by: str | None
) -> None:
    assert _covering(_store(*learned), host) == covered_by


@pytest.mark.parametrize(
    ("seconds_later", "covered"),
    [
        (0, True),
        (599, True),
        # Chromium erases an entry only when now > expiry (§3.4): at the expiry instant it
        # still applies.
        (600, True),
        (600.5, False),
        (10_000, False),
    ],
)
def test_an_entry_applies_until_its_expiry(seconds_later: float, covered: bool) -> None:
    store = _store(("example.com", "max-age=600; includeSubDomains"))
    found = _covering(store, "www.example.com", NOW + seconds_later)
    assert (found == "example.com") is covered


def test_an_expired_child_entry_lets_the_parent_cover_it() -> None:
    store = _store(
        ("example.com", "max-age=6000; includeSubDomains"), ("a.example.com", "max-age=60")
    )
    assert _covering(store, "a.example.com", NOW + 100) == "example.com"


@pytest.mark.parametrize("host", ["192.0.2.1", "[2001:db8::1]"])
def test_an_ip_address_is_never_covered(host: str) -> None:
    store = HstsStore(
        entries=(
            DynamicEntry(
                host="192.0.2.1",
                include_subdomains=True,
                expires_at=NOW + 600,
                observed_at=NOW,
                header="max-age=600",
            ),
        )
    )
    assert store.match(host, NOW) is None
