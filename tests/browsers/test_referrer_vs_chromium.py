"""Differential: the Referer and Origin each hop carries, ``trace -e PAGE`` against real
Chromium navigating from that page (a link click, a form submission).

The oracle is the server (tests/browsers/logged_site.py): nginx logs the method, URL,
Referer and Origin of every request it receives, once for Chromium's run and once for
httpdoctor's. Both logs must agree, and httpdoctor's JSON must say what its own run
really sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browsers.chromium import ChromiumRecorder
from tests.browsers.logged_site import LoggedSite, claimed, logged_site
from tests.servers.pki import PKI

pytestmark = pytest.mark.integration

HOSTS = ("site.test", "other.site.test", "third.site.test")
PAGE = "https://site.test/page?tab=2"

ROUTES = """
    location = /same { return 302 /end; }
    location = /away { return 302 https://other.site.test/hop; }
    location = /hop { return 302 https://third.site.test/end; }
    location = /down { return 302 http://other.site.test/end; }
    location = /policy {
        add_header Referrer-Policy no-referrer;
        return 302 https://other.site.test/end;
    }
    location = /post-same { return 307 /end; }
    location = /post-away { return 307 https://other.site.test/post-on; }
    location = /post-on { return 307 https://third.site.test/end; }
    location = /post-back { return 307 https://site.test/end; }
    location = /post-bounce { return 307 https://other.site.test/post-back; }
    location = /post-get { return 302 https://other.site.test/end; }
    location = /end { return 200 "end"; }
    location = /learn { add_header Strict-Transport-Security "max-age=300" always; return 200; }
    location = /favicon.ico { access_log off; return 204; }
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoggedSite]:
    pki = PKI(tmp_path_factory.mktemp("referrer-pki"))
    with logged_site(pki, HOSTS, ROUTES, ("$http_referer", "$http_origin")) as running:
        yield running


@pytest.fixture(scope="module")
def browser(site: LoggedSite) -> Iterator[ChromiumRecorder]:
    with site.browser() as recorder:
        yield recorder


def _ours(
    site: LoggedSite, url: str, method: str, *extra: str, page: str = PAGE
) -> tuple[list[dict[str, Any]], list[tuple[str, ...]]]:
    form = ["-X", "POST", "-d", "a=1"] if method == "POST" else []
    hops = site.trace(url, "-e", page, *form, *extra)
    wire = [h for h in hops if not h["synthetic"]]  # an internal redirect reaches no server
    return wire, site.seen(len(wire))


def _claimed(hops: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    return claimed(hops, "referer", "origin")


CASES = [
    ("https://site.test/same", "GET"),
    ("https://site.test/away", "GET"),
    ("https://site.test/down", "GET"),
    ("https://site.test/policy", "GET"),
    ("https://site.test/post-same", "POST"),
    ("https://site.test/post-away", "POST"),
    ("https://site.test/post-bounce", "POST"),
    ("https://site.test/post-get", "POST"),
    # Not here: a form on an https page posting to http, which Chrome stops at its
    # "not secure" warning, so there is no request to compare.
]


@pytest.mark.parametrize(("url", "method"), CASES, ids=[f"{m}-{u}" for u, m in CASES])
def test_referer_and_origin_per_hop_match_chromium(
    site: LoggedSite, browser: ChromiumRecorder, url: str, method: str
) -> None:
    browser.reset()
    site.seen(0)  # start from an empty log
    hops, ours = _ours(site, url, method)
    assert _claimed(hops) == ours  # the JSON says what really went out
    theirs = browser.navigate_from(
        PAGE, url, method=method, body={"a": "1"} if method == "POST" else None
    )
    assert len(theirs) == len(hops)
    assert site.seen(len(hops)) == ours


def test_an_hsts_upgrade_of_a_form_post_makes_origin_null(
    site: LoggedSite, browser: ChromiumRecorder, tmp_path: Any
) -> None:
    # The internal 307 goes http -> https, to another origin, and Chromium treats it as
    # any cross-origin redirect: the POST reaches https with Origin null.
    store = tmp_path / "hsts.json"
    browser.reset()
    browser.visit("https://site.test/learn")
    site.trace("https://site.test/learn", "--hsts-store", str(store))
    site.seen(2)
    page, url = "http://other.site.test/page", "http://site.test/post-same"
    hops, ours = _ours(site, url, "POST", "--hsts-store", str(store), page=page)
    assert _claimed(hops) == ours
    assert [origin for *_, origin in ours] == ["null", "null"]
    browser.navigate_from(page, url, method="POST", body={"a": "1"})
    assert site.seen(len(hops)) == ours
