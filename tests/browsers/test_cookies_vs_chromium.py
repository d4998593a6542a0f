"""Differential: the Cookie header on each hop of a redirect chain, ``trace`` (Chrome's
jar) against real Chromium following the same chain, typed in or started from a page of
another site (``-e``), where SameSite decides.

nginx sets cookies on its redirects and logs the Cookie every request carried
(tests/browsers/logged_site.py), once for Chromium's run and once for httpdoctor's; both
logs must agree, and httpdoctor's JSON must say what its own run sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browsers.chromium import ChromiumRecorder
from tests.browsers.logged_site import LoggedSite, claimed, logged_site
from tests.servers.pki import PKI

pytestmark = pytest.mark.integration

HOSTS = ("site.test", "other.site.test", "me.github.io", "you.github.io")


def _set(path: str, location: str, *cookies: str) -> str:
    headers = "".join(f' add_header Set-Cookie "{cookie}";' for cookie in cookies)
    return f"location = {path} {{{headers} return 302 {location}; }}"


def _post(path: str, location: str, *cookies: str) -> str:
    """Like _set, with a 307: the POST goes on to the next hop."""
    return _set(path, location, *cookies).replace("return 302", "return 307")


ROUTES = "\n".join(
    [
        _set("/plain", "/echo", "a=1"),
        _set("/secure-over-http", "https://site.test/echo", "s=1; Secure"),
        _set("/none-without-secure", "/echo", "n=1; SameSite=None"),
        _set("/none-with-secure", "/echo", "n=1; SameSite=None; Secure"),
        _set("/domain", "https://other.site.test/echo", "d=1; Domain=site.test"),
        _set("/host-only", "https://other.site.test/echo", "h=1"),
        _set("/path", "/deep/x", "p=1; Path=/deep"),
        _set("/order", "/deep/x", "x=1; Path=/", "y=2; Path=/deep"),
        _set("/overwrite", "/overwrite-2", "a=1", "b=1"),
        _set("/overwrite-2", "/echo", "a=2"),
        _set("/delete", "/delete-2", "z=1"),
        _set("/delete-2", "/echo", "z=gone; Max-Age=0"),
        _set("/to-https", "https://site.test/echo", "t=1"),
        _set("/nameless", "/echo", "lonely"),
        _set("/expired", "/echo", "e=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT"),
        _set("/tld-domain", "https://other.site.test/echo", "w=1; Domain=test"),
        _set("/host-prefix-ok", "/echo", "__Host-k=1; Secure; Path=/"),
        _set("/host-prefix-bad", "/echo", "__Host-k=1; Path=/"),
        _set("/host-prefix-domain", "/echo", "__Host-k=1; Secure; Path=/; Domain=site.test"),
        _set("/secure-prefix-bad", "/echo", "__Secure-k=1"),
        _set("/host-prefix-lowercase", "/echo", "__host-k=1; Path=/"),
        _set("/host-prefix-no-path", "/echo", "__Host-k=1; Secure"),
        _set("/private-suffix", "https://you.github.io/echo", "g=1; Domain=github.io"),
        _set("/strict-get", "/echo", "k=1; SameSite=Strict"),
        _set("/lax-get", "/echo", "k=1; SameSite=Lax"),
        _set("/unset-get", "/echo", "k=1"),
        _post("/strict-post", "/echo", "k=1; SameSite=Strict"),
        _post("/lax-post", "/echo", "k=1; SameSite=Lax"),
        _post("/unset-post", "/echo", "k=1"),
        _post("/none-post", "/echo", "k=1; SameSite=None; Secure"),
        _set("/login-callback", "/home", "session=1; SameSite=Strict"),
        "location = /home { return 200 'home'; }",
        "location = /echo { return 200 'echo'; }",
        "location = /deep/x { return 200 'deep'; }",
        "location = /favicon.ico { access_log off; return 204; }",
    ]
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoggedSite]:
    pki = PKI(tmp_path_factory.mktemp("cookies-pki"))
    with logged_site(pki, HOSTS, ROUTES, ("$http_cookie",)) as running:
        yield running


@pytest.fixture(scope="module")
def browser(site: LoggedSite) -> Iterator[ChromiumRecorder]:
    with site.browser() as recorder:
        yield recorder


def _ours(site: LoggedSite, url: str, *extra: str) -> tuple[list[dict[str, Any]], list[Any]]:
    hops = site.trace(url, *extra)
    return hops, site.seen(len(hops))


def _claimed(hops: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    return claimed(hops, "cookie")


CASES = [
    ("http://site.test/plain", "a=1"),
    ("http://site.test/secure-over-http", "-"),  # strict secure cookies: refused over http
    ("https://site.test/none-without-secure", "-"),  # SameSite=None needs Secure
    ("https://site.test/none-with-secure", "n=1"),
    ("https://site.test/domain", "d=1"),  # Domain= reaches the sibling host
    ("https://site.test/host-only", "-"),  # no Domain=: this host only
    ("https://site.test/path", "p=1"),
    ("https://site.test/order", "y=2; x=1"),  # longer path first
    ("https://site.test/overwrite", "b=1; a=2"),  # an overwrite goes last, as if new
    ("https://site.test/delete", "-"),  # Max-Age=0 removes it
    ("http://site.test/to-https", "t=1"),  # not Secure: sent to https too
    ("https://site.test/nameless", "lonely"),  # a cookie without a name
    ("https://site.test/expired", "-"),  # an Expires in the past removes it
    ("https://site.test/tld-domain", "-"),  # Domain=test names a whole top-level domain
    ("https://me.github.io/private-suffix", "-"),  # github.io is a (private) public suffix
    ("https://site.test/host-prefix-ok", "__Host-k=1"),
    ("https://site.test/host-prefix-bad", "-"),  # __Host- needs Secure
    ("https://site.test/host-prefix-domain", "-"),  # ... and no Domain attribute
    ("https://site.test/host-prefix-lowercase", "-"),  # prefixes match in any case
    ("https://site.test/host-prefix-no-path", "-"),  # ... and an explicit Path=/
    ("https://site.test/secure-prefix-bad", "-"),  # __Secure- needs Secure
]


@pytest.mark.parametrize(("url", "last_cookie"), CASES, ids=[u.split("/", 3)[3] for u, _ in CASES])
def test_the_cookies_each_hop_carries_match_chromium(
    site: LoggedSite, browser: ChromiumRecorder, url: str, last_cookie: str
) -> None:
    browser.reset()
    site.seen(0)
    hops, ours = _ours(site, url)
    assert _claimed(hops) == ours  # the JSON says what really went out
    assert ours[-1][1] == last_cookie
    browser.navigate(url)
    assert site.seen(len(hops)) == ours


ELSEWHERE = "https://elsewhere.test/page"  # another site: the page a link or form is on
SAME_SITE = "https://other.site.test/page"  # the same site (site.test), another origin
# The cookie is set on the first hop; what matters is whether the second carries it.
FROM_PAGE = [
    (ELSEWHERE, "GET", "https://site.test/strict-get", "-"),  # Strict: never cross-site
    (ELSEWHERE, "GET", "https://site.test/lax-get", "k=1"),  # Lax: top-level GET
    (ELSEWHERE, "GET", "https://site.test/unset-get", "k=1"),  # no SameSite: as Lax
    (ELSEWHERE, "POST", "https://site.test/strict-post", "-"),
    (ELSEWHERE, "POST", "https://site.test/lax-post", "-"),  # Lax: not on a POST
    (ELSEWHERE, "POST", "https://site.test/unset-post", "k=1"),  # Lax-allowing-unsafe
    (ELSEWHERE, "POST", "https://site.test/none-post", "k=1"),
    # The SSO trap: the session set by the callback is Strict, so the redirect to /home
    # that the identity provider's form started arrives without it.
    (ELSEWHERE, "POST", "https://site.test/login-callback", "-"),
    (SAME_SITE, "POST", "https://site.test/strict-post", "k=1"),  # another origin, same site
    ("http://site.test/page", "GET", "https://site.test/strict-get", "-"),  # schemeful
]


@pytest.mark.parametrize(
    ("page", "method", "url", "last_cookie"),
    FROM_PAGE,
    ids=[f"{m}-{u.split('/', 3)[3]}-from-{p.split('/')[2]}" for p, m, u, _ in FROM_PAGE],
)
def test_samesite_for_a_navigation_another_page_started_matches_chromium(
    site: LoggedSite,
    browser: ChromiumRecorder,
    page: str,
    method: str,
    url: str,
    last_cookie: str,
) -> None:
    browser.reset()
    site.seen(0)
    form = ("-X", "POST", "-d", "a=1") if method == "POST" else ()
    hops, ours = _ours(site, url, "-e", page, *form)
    assert _claimed(hops) == ours
    assert ours[-1][1] == last_cookie
    body = {"a": "1"} if method == "POST" else None
    browser.navigate_from(page, url, method=method, body=body)
    assert site.seen(len(hops)) == ours
