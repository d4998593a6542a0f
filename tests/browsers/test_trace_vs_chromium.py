"""Differential: ``trace --as chrome`` lists the same hops as real headless Chromium.

One nginx serves every case; one Chromium (tests/browsers/chromium.py) navigates to
it, and httpdoctor traces the same URL. HSTS state is built the same way on both sides:
the browser visits the priming URLs, httpdoctor traces them into an --hsts-store.
Compared per hop: URL, method, whether it was synthetic, and the status and protocol
wherever the browser received a response (the https listeners speak HTTP/2).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browsers.chromium import ChromiumRecorder, Hop
from tests.conftest import run_cli
from tests.servers.nginx import NginxServer
from tests.servers.pki import PKI

pytestmark = pytest.mark.integration

REDIRECTS = "\n".join(
    [
        *(f"location = /{code} {{ return {code} /end; }}" for code in (301, 302, 303, 307, 308)),
        "location = /absolute { return 302 http://other.site.test/end; }",
        "location = /to-https { return 301 https://site.test/end; }",
        "location = /loop { return 302 /loop; }",
        "location = /fragment { return 302 /end; }",
        *(f"location = /long/{n} {{ return 302 /long/{n - 1}; }}" for n in range(1, 26)),
        "location = /long/0 { return 200 'end of the chain'; }",
        "location = /end { return 200 'end'; }",
        # The browser fetches /favicon.ico after each page; a header there would re-teach
        # HSTS right after /clear, which httpdoctor does not model (it fetches no
        # favicons). An add_header of its own stops the server-level one being inherited.
        "location = /favicon.ico { add_header X-Favicon 1; return 204; }",
    ]
)

CONFIG = f"""
server {{
    listen {{{{addr}}}}:80;
    server_name site.test other.site.test info.site.test;
    {REDIRECTS}
}}
server {{
    listen {{{{addr}}}}:443 ssl http2;
    server_name site.test;
    ssl_certificate {{{{cert:site.test}}}};
    ssl_certificate_key {{{{key:site.test}}}};
    add_header Strict-Transport-Security "max-age=300; includeSubDomains" always;
    location = /clear {{ add_header Strict-Transport-Security "max-age=0" always; return 200; }}
    {REDIRECTS}
}}
server {{
    listen {{{{addr}}}}:443 ssl;
    server_name info.site.test;
    ssl_certificate {{{{cert:info.site.test}}}};
    ssl_certificate_key {{{{key:info.site.test}}}};
    location / {{ return 200 'info over https'; }}
}}
"""

HOSTS = ("site.test", "other.site.test", "info.site.test")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[NginxServer, PKI]]:
    pki = PKI(tmp_path_factory.mktemp("chromium-pki"))
    with NginxServer(CONFIG, pki=pki) as server:
        yield server, pki


@pytest.fixture(scope="module")
def browser(site: tuple[NginxServer, PKI]) -> Iterator[ChromiumRecorder]:
    server, pki = site
    hosts = dict.fromkeys(HOSTS, server.address)
    with ChromiumRecorder(hosts=hosts, ca_pem=pki.ca_pem_path) as recorder:
        yield recorder


@pytest.fixture
def chromium(browser: ChromiumRecorder) -> ChromiumRecorder:
    browser.reset()  # no HSTS, cookies or cache from an earlier case
    return browser


def _trace(site: tuple[NginxServer, PKI], store: Path, url: str, *extra: str) -> dict[str, Any]:
    server, pki = site
    args = [f"--resolve={host}:*:{server.address}" for host in HOSTS]
    result = run_cli(
        "trace", url, "--json", "--fresh-browser", "--hsts-store", str(store),
        "--cacert", str(pki.ca_pem_path), *args, *extra,
    )  # fmt: skip
    assert result.stderr == "", result.stderr
    payload: dict[str, Any] = result.json
    return payload


Row = tuple[str, str, bool, int | None, str | None]
# Our http_version in CDP's protocol names.
_PROTOCOL = {"HTTP/1.1": "http/1.1", "HTTP/2": "h2"}


def _theirs(hops: list[Hop]) -> list[Row]:
    return [
        (h.url, h.method, h.synthetic, h.status, None if h.synthetic else h.protocol) for h in hops
    ]


def _ours(payload: dict[str, Any], theirs: list[Hop]) -> list[Row]:
    rows: list[Row] = []
    for index, hop in enumerate(payload["hops"]):
        seen = theirs[index] if index < len(theirs) else None
        # Chromium reports no status for the response it refuses (the redirect over its
        # limit, a certificate error); compare status and protocol wherever it has one.
        answered = seen is None or seen.status is not None
        status = hop["status"] if answered else None
        wire = answered and not hop["synthetic"]
        protocol = _PROTOCOL.get(hop["http_version"] or "") if wire else None
        rows.append((hop["url"], hop["method"], hop["synthetic"], status, protocol))
    return rows


def _compare(
    site: tuple[NginxServer, PKI],
    chromium: ChromiumRecorder,
    tmp_path: Path,
    url: str,
    *,
    method: str = "GET",
    prime: tuple[str, ...] = (),
) -> list[Row]:
    """Assert both sides list the same hops; return Chromium's."""
    store = tmp_path / "hsts.json"
    for visit in prime:
        chromium.visit(visit)
        _trace(site, store, visit)
    body = {"a": "1"} if method == "POST" else ("x=1" if method == "PUT" else None)
    theirs = chromium.navigate(url, method=method, body=body)
    extra = ["-X", method, "-d", "a=1"] if method != "GET" else []
    ours = _trace(site, store, url, *extra)
    assert _ours(ours, theirs) == _theirs(theirs)
    return _theirs(theirs)


CASES = [
    (f"/{code}", method) for code in (301, 302, 303, 307, 308) for method in ("GET", "POST", "PUT")
] + [("/absolute", "GET"), ("/absolute", "POST"), ("/fragment#part", "GET")]


@pytest.mark.parametrize(("path", "method"), CASES, ids=[f"{p}-{m}" for p, m in CASES])
def test_method_and_body_rules_match_chromium(
    site: tuple[NginxServer, PKI],
    chromium: ChromiumRecorder,
    tmp_path: Path,
    path: str,
    method: str,
) -> None:
    _compare(site, chromium, tmp_path, f"http://site.test{path}", method=method)


def test_own_hsts_policy_gives_the_same_synthetic_hop(
    site: tuple[NginxServer, PKI], chromium: ChromiumRecorder, tmp_path: Path
) -> None:
    _compare(site, chromium, tmp_path, "http://site.test/302", prime=("https://site.test/end",))


def test_parent_include_subdomains_gives_the_same_synthetic_hop(
    site: tuple[NginxServer, PKI], chromium: ChromiumRecorder, tmp_path: Path
) -> None:
    _compare(site, chromium, tmp_path, "http://info.site.test/", prime=("https://site.test/end",))


def test_hsts_on_a_post_keeps_the_post(
    site: tuple[NginxServer, PKI], chromium: ChromiumRecorder, tmp_path: Path
) -> None:
    _compare(
        site, chromium, tmp_path, "http://site.test/307", method="POST",
        prime=("https://site.test/end",),
    )  # fmt: skip


def test_max_age_0_clears_the_policy_like_chromium(
    site: tuple[NginxServer, PKI], chromium: ChromiumRecorder, tmp_path: Path
) -> None:
    _compare(
        site, chromium, tmp_path, "http://site.test/end",
        prime=("https://site.test/end", "https://site.test/clear"),
    )  # fmt: skip


def test_a_loop_stops_where_chromium_stops(
    site: tuple[NginxServer, PKI], chromium: ChromiumRecorder, tmp_path: Path
) -> None:
    _compare(site, chromium, tmp_path, "http://site.test/loop")


def test_a_too_long_chain_stops_where_chromium_stops(
    site: tuple[NginxServer, PKI], chromium: ChromiumRecorder, tmp_path: Path
) -> None:
    _compare(site, chromium, tmp_path, "http://site.test/long/25")


def test_an_http_to_https_chain_under_hsts(
    site: tuple[NginxServer, PKI], chromium: ChromiumRecorder, tmp_path: Path
) -> None:
    rows = _compare(
        site, chromium, tmp_path, "http://site.test/to-https", prime=("https://site.test/end",)
    )
    # Every https answer came over HTTP/2 (the synthetic hop has no protocol to compare).
    assert [protocol for *_, protocol in rows] == [None, "h2", "h2"]
