"""The redirect chain's cookie jar: RFC 6265 §5.2 (attributes), §5.3 (storage), §5.4 (Cookie)."""

from __future__ import annotations

import pytest

from httpdoctor.trace.cookies import Cookie, CookieJar, same_site

pytestmark = pytest.mark.unit

NOW = 1_700_000_000.0  # 2023-11-14
HOST = "www.example.com"


def _jar(*set_cookies: str, host: str = HOST, path: str = "/", now: float = NOW) -> CookieJar:
    return CookieJar().store(list(set_cookies), host=host, path=path, now=now)


def _sent(
    jar: CookieJar, host: str = HOST, path: str = "/", *, secure: bool = True, now: float = NOW
) -> str | None:
    return jar.header_for(host=host, path=path, secure=secure, now=now)


# -- host-only and Domain -----------------------------------------------------------


def test_a_cookie_without_domain_is_host_only() -> None:
    jar = _jar("sid=1")
    assert jar.cookies == (
        Cookie(
            name="sid",
            value="1",
            domain=HOST,
            host_only=True,
            path="/",
            secure=False,
            expires_at=None,
            same_site="",
            created_at=NOW,
        ),
    )


@pytest.mark.parametrize(
    ("host", "sent"),
    [
        (HOST, "sid=1"),
        ("WWW.EXAMPLE.COM", "sid=1"),
        ("sub.www.example.com", None),
        ("example.com", None),
        ("other.com", None),
    ],
)
def test_a_host_only_cookie_goes_back_to_that_host_only(host: str, sent: str | None) -> None:
    assert _sent(_jar("sid=1"), host) == sent


@pytest.mark.parametrize(
    "attribute", ["Domain=example.com", "Domain=.example.com", "domain=EXAMPLE.Com"]
)
@pytest.mark.parametrize(
    ("host", "sent"),
    [
        ("example.com", "sid=1"),
        (HOST, "sid=1"),
        ("a.b.example.com", "sid=1"),
        ("badexample.com", None),
        ("example.org", None),
    ],
)
def test_a_domain_cookie_goes_to_the_domain_and_its_subdomains(
    attribute: str, host: str, sent: str | None
) -> None:
    assert _sent(_jar(f"sid=1; {attribute}"), host) == sent


@pytest.mark.parametrize(
    "attribute",
    [
        "Domain=other.com",
        "Domain=ample.com",  # a suffix of the host, but not at a label boundary
        "Domain=sub.www.example.com",  # a child of the host
        "Domain=example.com.evil",
    ],
)
def test_a_domain_the_host_does_not_belong_to_is_refused(attribute: str) -> None:
    assert _jar(f"sid=1; {attribute}").cookies == ()


def test_an_empty_domain_attribute_is_ignored() -> None:
    (cookie,) = _jar("sid=1; Domain=").cookies
    assert (cookie.domain, cookie.host_only) == (HOST, True)


# -- Path ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_path", "sent"),
    [
        ("/x", "sid=1"),
        ("/x/", "sid=1"),
        ("/x/y/z", "sid=1"),
        ("/", None),
        ("/xy", None),
        ("/X", None),
    ],
)
def test_a_path_cookie_goes_to_that_path_and_below(request_path: str, sent: str | None) -> None:
    assert _sent(_jar("sid=1; Path=/x"), path=request_path) == sent


@pytest.mark.parametrize(
    ("set_from", "default_path"),
    [
        ("/", "/"),
        ("/login", "/"),
        ("/a/b/c", "/a/b"),
        ("/a/b/", "/a/b"),
    ],
)
def test_without_path_the_default_is_the_request_directory(
    set_from: str, default_path: str
) -> None:
    (cookie,) = _jar("sid=1", path=set_from).cookies
    assert cookie.path == default_path


@pytest.mark.parametrize("attribute", ["Path=", "Path=relative"])
def test_a_path_not_starting_with_a_slash_falls_back_to_the_default(attribute: str) -> None:
    (cookie,) = _jar(f"sid=1; {attribute}", path="/a/b").cookies
    assert cookie.path == "/a"


# -- Secure -------------------------------------------------------------------------


def test_a_secure_cookie_is_sent_only_over_https() -> None:
    jar = _jar("sid=1; Secure", "plain=2")
    assert _sent(jar, secure=True) == "sid=1; plain=2"
    assert _sent(jar, secure=False) == "plain=2"


# -- expiry -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "deletion",
    [
        "sid=; Max-Age=0",
        "sid=gone; Max-Age=-1",
        "sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        "sid=; Expires=Thu, 01-Jan-1970 00:00:00 GMT",
        "sid=; Path=/; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
    ],
)
def test_an_expiry_in_the_past_deletes_the_cookie(deletion: str) -> None:
    jar = _jar("sid=1", "other=2").store([deletion], host=HOST, path="/", now=NOW)
    assert [c.name for c in jar.cookies] == ["other"]
    assert _sent(jar) == "other=2"


def test_an_expired_cookie_is_not_stored_at_all() -> None:
    assert _jar("sid=1; Max-Age=0").cookies == ()


def test_a_future_expires_is_kept_until_then() -> None:
    jar = _jar("sid=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT")
    assert _sent(jar) == "sid=1"
    assert _sent(jar, now=4_102_444_800.0 + 1) is None


def test_max_age_counts_from_the_time_of_the_response() -> None:
    jar = _jar("sid=1; Max-Age=60")
    assert jar.cookies[0].expires_at == NOW + 60
    assert _sent(jar, now=NOW + 59) == "sid=1"
    assert _sent(jar, now=NOW + 61) is None


@pytest.mark.parametrize(
    "header",
    [
        "sid=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        "sid=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60",
    ],
)
def test_max_age_wins_over_expires_in_either_order(header: str) -> None:
    (cookie,) = _jar(header).cookies
    assert cookie.expires_at == NOW + 60


def test_an_unreadable_max_age_is_ignored() -> None:
    (cookie,) = _jar("sid=1; Max-Age=soon").cookies
    assert cookie.expires_at is None


# -- storage and the Cookie header --------------------------------------------------


def test_the_same_name_domain_and_path_replaces_the_cookie() -> None:
    jar = _jar("sid=1").store(["sid=2"], host=HOST, path="/", now=NOW)
    assert _sent(jar) == "sid=2"


def test_the_same_name_on_another_path_is_another_cookie() -> None:
    jar = _jar("sid=root; Path=/", "sid=deep; Path=/a")
    assert len(jar.cookies) == 2
    assert _sent(jar, path="/a/b") == "sid=deep; sid=root"


def test_longer_paths_come_first_then_creation_order() -> None:
    jar = _jar("a=1; Path=/", "b=2; Path=/x/y", "c=3; Path=/x", "d=4; Path=/")
    assert _sent(jar, path="/x/y/z") == "b=2; c=3; a=1; d=4"


@pytest.mark.parametrize("header", ["  ; Path=/", "", "="])
def test_a_set_cookie_with_neither_name_nor_value_is_ignored(header: str) -> None:
    assert _jar(header).cookies == ()


@pytest.mark.parametrize(("header", "sent"), [("novalue", "novalue"), ("=1", "1")])
def test_a_cookie_without_a_name_goes_out_as_its_bare_value(header: str, sent: str) -> None:
    # RFC 6265bis §5.6 and Chromium (tests/browsers/test_cookies_vs_chromium.py); RFC 6265
    # had these ignored.
    assert _sent(_jar(header)) == sent


def test_names_and_values_are_trimmed() -> None:
    assert _sent(_jar("  sid  =  a b  ; Path=/")) == "sid=a b"


def test_nothing_to_send_is_none() -> None:
    assert _sent(CookieJar()) is None


def test_storing_returns_a_new_jar() -> None:
    empty = CookieJar()
    empty.store(["sid=1"], host=HOST, path="/", now=NOW)
    assert empty.cookies == ()


# -- what Chromium refuses besides (tests/browsers/test_cookies_vs_chromium.py) -------


def _browser_jar(header: str, *, host: str = HOST, secure_origin: bool = True) -> CookieJar:
    return CookieJar().store(
        [header], host=host, path="/", now=NOW, secure_origin=secure_origin, browser=True
    )


@pytest.mark.parametrize(
    ("header", "kept"),
    [
        ("__Host-k=1; Secure; Path=/", True),
        ("__Host-k=1; Path=/", False),  # no Secure
        ("__Host-k=1; Secure", False),  # a default path of "/" is not an explicit Path=/
        ("__Host-k=1; Secure; Path=/app", False),
        ("__Host-k=1; Secure; Path=/; Domain=www.example.com", False),  # any Domain
        ("__host-k=1; Secure; Path=/", True),
        ("__HOST-k=1; Path=/", False),  # the prefix matches in any case
        ("__Secure-k=1; Secure", True),
        ("__Secure-k=1", False),
    ],
)
def test_cookie_name_prefixes_bind_their_attributes(header: str, kept: bool) -> None:
    assert bool(_browser_jar(header).cookies) is kept


def test_a_secure_prefix_needs_a_secure_origin_too() -> None:
    assert _browser_jar("__Secure-k=1; Secure", secure_origin=False).cookies == ()


@pytest.mark.parametrize("domain", ["com", "co.uk", "github.io"])
def test_a_domain_attribute_naming_a_public_suffix_is_refused(domain: str) -> None:
    assert _jar(f"s=1; Domain={domain}", host=f"shop.{domain}").cookies == ()


def test_a_host_that_is_itself_a_public_suffix_gets_a_host_only_cookie() -> None:
    jar = _jar("s=1; Domain=github.io", host="github.io")
    assert [(c.domain, c.host_only) for c in jar.cookies] == [("github.io", True)]


# -- SameSite, for a navigation a page of another site started ------------------------


@pytest.mark.parametrize(
    ("attribute", "method", "sent"),
    [
        ("; SameSite=Strict", "GET", False),
        ("; SameSite=Lax", "GET", True),
        ("", "GET", True),
        ("; SameSite=Lax", "POST", False),
        ("", "POST", True),  # young enough for Lax-allowing-unsafe
        ("; SameSite=None; Secure", "POST", True),
    ],
)
def test_samesite_decides_what_a_cross_site_navigation_carries(
    attribute: str, method: str, sent: bool
) -> None:
    jar = _jar(f"k=1{attribute}")
    header = jar.header_for(
        host=HOST, path="/", secure=True, now=NOW, cross_site=True, method=method
    )
    assert (header == "k=1") is sent


def test_lax_allowing_unsafe_ends_two_minutes_after_the_cookie_was_set() -> None:
    jar = _jar("k=1")
    late = jar.header_for(
        host=HOST, path="/", secure=True, now=NOW + 121, cross_site=True, method="POST"
    )
    assert late is None


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("https://shop.test/", "https://www.shop.test/x", True),
        ("https://shop.test/", "http://shop.test/", False),  # schemeful
        ("https://a.github.io/", "https://b.github.io/", False),
        ("https://a.co.uk/", "https://b.a.co.uk/", True),
        ("https://127.0.0.1/", "https://127.0.0.2/", False),
    ],
)
def test_same_site_is_scheme_and_registrable_domain(a: str, b: str, same: bool) -> None:
    assert same_site(a, b) is same
