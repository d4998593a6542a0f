"""Differential: the Referer and Origin each hop carries, ``trace -e PAGE`` against real
Chromium navigating from that page (a link click, a form submission).

The oracle is the server: nginx logs the method, URL, Referer and Origin of every request
it receives, once for Chromium's run and once for httpdoctor's. Both logs must agree, and
httpdoctor's JSON must say what its own run really sent.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browsers.chromium import ChromiumRecorder
from tests.conftest import run_cli
from tests.servers.nginx import NginxServer
from tests.servers.pki import PKI

pytestmark = pytest.mark.integration

HOSTS = ("site.test", "other.site.test", "third.site.test")
PAGE = "https://site.test/page?tab=2"

LOG_FORMAT = (
    "log_format seen '$request_method $scheme://$host$request_uri|$http_referer|$http_origin';"
)
ROUTES = """
    access_log {{prefix}}/logs/seen.log seen;
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
CONFIG = f"""
server {{
    listen {{{{addr}}}}:80;
    server_name {" ".join(HOSTS)};
    {ROUTES}
}}
server {{
    listen {{{{addr}}}}:443 ssl http2;
    server_name {" ".join(HOSTS)};
    ssl_certificate {{{{cert:{",".join(HOSTS)}}}}};
    ssl_certificate_key {{{{key:{",".join(HOSTS)}}}}};
    {ROUTES}
}}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[NginxServer, PKI]]:
    pki = PKI(tmp_path_factory.mktemp("referrer-pki"))
    with NginxServer(CONFIG, pki=pki, http_extra=LOG_FORMAT) as server:
        yield server, pki


@pytest.fixture(scope="module")
def browser(site: tuple[NginxServer, PKI]) -> Iterator[ChromiumRecorder]:
    server, pki = site
    with ChromiumRecorder(
        hosts=dict.fromkeys(HOSTS, server.address), ca_pem=pki.ca_pem_path
    ) as recorder:
        yield recorder


Seen = list[tuple[str, str, str]]  # "METHOD URL", Referer, Origin as nginx logged them


def _seen(server: NginxServer, count: int) -> Seen:
    log = server.prefix / "logs" / "seen.log"
    deadline = time.monotonic() + 3
    while True:
        lines = log.read_text().splitlines() if log.exists() else []
        if len(lines) >= count or time.monotonic() > deadline:
            log.write_text("")  # nginx appends, so the next case starts from an empty log
            rows = [line.split("|") for line in lines]
            return [(r[0], r[1].strip('"'), r[2].strip('"')) for r in rows]
        time.sleep(0.05)


def _run(site: tuple[NginxServer, PKI], url: str, *extra: str) -> list[dict[str, Any]]:
    server, pki = site
    result = run_cli(
        "trace", url, "--json", "--fresh-browser", "--cacert", str(pki.ca_pem_path),
        *(f"--resolve={host}:*:{server.address}" for host in HOSTS), *extra,
    )  # fmt: skip
    assert result.stderr == "", result.stderr
    hops: list[dict[str, Any]] = result.json["hops"]
    return hops


def _ours(
    site: tuple[NginxServer, PKI], url: str, method: str, *extra: str, page: str = PAGE
) -> tuple[Any, Seen]:
    form = ["-X", "POST", "-d", "a=1"] if method == "POST" else []
    hops = _run(site, url, "-e", page, *form, *extra)
    wire = [h for h in hops if not h["synthetic"]]  # an internal redirect reaches no server
    return wire, _seen(site[0], len(wire))


def _claimed(hops: list[dict[str, Any]]) -> Seen:
    def value(hop: dict[str, Any], name: str) -> str:
        return next((v for k, v in hop["request_headers"] if k.lower() == name), "-")

    return [(f"{h['method']} {h['url']}", value(h, "referer"), value(h, "origin")) for h in hops]


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
    site: tuple[NginxServer, PKI], browser: ChromiumRecorder, url: str, method: str
) -> None:
    server, _ = site
    browser.reset()
    _seen(server, 0)  # start from an empty log
    hops, ours = _ours(site, url, method)
    assert _claimed(hops) == ours  # the JSON says what really went out
    theirs = browser.navigate_from(
        PAGE, url, method=method, body={"a": "1"} if method == "POST" else None
    )
    assert len(theirs) == len(hops)
    assert _seen(server, len(hops)) == ours


def test_an_hsts_upgrade_of_a_form_post_makes_origin_null(
    site: tuple[NginxServer, PKI], browser: ChromiumRecorder, tmp_path: Any
) -> None:
    # The internal 307 goes http -> https, to another origin, and Chromium treats it as
    # any cross-origin redirect: the POST reaches https with Origin null.
    server, _ = site
    store = tmp_path / "hsts.json"
    browser.reset()
    browser.visit("https://site.test/learn")
    _run(site, "https://site.test/learn", "--hsts-store", str(store))
    _seen(server, 2)
    page, url = "http://other.site.test/page", "http://site.test/post-same"
    hops, ours = _ours(site, url, "POST", "--hsts-store", str(store), page=page)
    assert _claimed(hops) == ours
    assert [origin for *_, origin in ours] == ["null", "null"]
    browser.navigate_from(page, url, method="POST", body={"a": "1"})
    assert _seen(server, len(hops)) == ours
