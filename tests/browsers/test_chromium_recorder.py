"""The Chromium recorder against real servers on loopback: what the real browser does.

One browser serves the whole module; each test gets a fresh browser context (no HSTS
entries, cookies or cache) and an empty request log. The servers are the standard
library's, on 127.0.0.12-14, ports 80 and 443, with certificates from a trustme CA.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import trustme

from tests.browsers.chromium import ChromiumRecorder, Hop, home_processes

pytestmark = pytest.mark.integration

HOSTS = {
    "site.test": "127.0.0.12",
    "info.site.test": "127.0.0.13",
    "wrong.site.test": "127.0.0.14",
}
# The certificate each address presents: wrong.site.test gets one for another name.
CERT_NAMES = {
    "127.0.0.12": "site.test",
    "127.0.0.13": "info.site.test",
    "127.0.0.14": "other.test",
}
STS = "Strict-Transport-Security"


@dataclass(frozen=True, slots=True)
class Seen:
    """A request as it reached one of the servers."""

    scheme: str
    host: str
    method: str
    path: str
    body: bytes


Response = tuple[int, list[tuple[str, str]], bytes]
OK: Response = (200, [("Content-Type", "text/html")], b"<!doctype html><title>ok</title>")


@dataclass
class Site:
    """What the servers answer, per (scheme, host, path), and what they were asked."""

    routes: dict[tuple[str, str, str], Response] = field(default_factory=dict)
    log: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def route(
        self,
        url: str,
        status: int = 200,
        *headers: tuple[str, str],
        body: bytes = OK[2],
    ) -> None:
        scheme, rest = url.split("://", 1)
        host, _, path = rest.partition("/")
        self.routes[(scheme, host, "/" + path)] = (status, [*OK[1], *headers], body)

    def answer(self, seen: Seen) -> Response:
        with self.lock:
            self.log.append(seen)
        return self.routes.get((seen.scheme, seen.host, seen.path), OK)

    def requests(self, host: str, path: str | None = None) -> list[Seen]:
        """The requests for ``host`` (and ``path``), leaving out the browser's favicon."""
        with self.lock:
            return [
                s
                for s in self.log
                if s.host == host and path in (None, s.path) and s.path != "/favicon.ico"
            ]

    def clear(self) -> None:
        with self.lock:
            self.routes.clear()
            self.log.clear()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: Site, tls: ssl.SSLContext | None):
        if not address[0].startswith("127."):
            raise ValueError("test servers listen on 127.0.0.0/8 only")
        self.site = site
        self.tls = tls
        self.scheme = "https" if tls is not None else "http"
        super().__init__(address, _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        conn: socket.socket = request
        conn.settimeout(5)
        if self.tls is not None:
            try:
                conn = self.tls.wrap_socket(conn, server_side=True)
            except OSError:
                return  # e.g. the browser rejected the certificate
        try:
            super().finish_request(conn, client_address)
        finally:
            if conn is not request:
                conn.close()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 5

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        seen = Seen(
            scheme=self.server.scheme,
            host=(self.headers.get("Host") or "").split(":")[0],
            method=self.command,
            path=self.path,
            body=self.rfile.read(length) if length else b"",
        )
        status, headers, body = self.server.site.answer(seen)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def servers(ca: trustme.CA) -> Iterator[Site]:
    site = Site()
    started: list[_Server] = []
    try:
        for address, name in CERT_NAMES.items():
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ca.issue_cert(name).configure_cert(tls)
            for port, context in ((80, None), (443, tls)):
                server = _Server((address, port), site, context)
                started.append(server)
                threading.Thread(target=server.serve_forever, daemon=True).start()
        yield site
    finally:
        for server in started:
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="module")
def browser(
    ca: trustme.CA, servers: Site, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ChromiumRecorder]:
    ca_pem = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    with ChromiumRecorder(hosts=HOSTS, ca_pem=ca_pem) as recorder:
        yield recorder


@pytest.fixture
def chromium(browser: ChromiumRecorder, servers: Site) -> ChromiumRecorder:
    browser.reset()
    servers.clear()
    return browser


@pytest.fixture
def site(chromium: ChromiumRecorder, servers: Site) -> Site:
    return servers


def summary(hops: list[Hop]) -> list[tuple[str, str, int | None, bool]]:
    return [(h.method, h.url, h.status, h.synthetic) for h in hops]


# (1) --------------------------------------------------------------------------------


def test_http_301_to_https_is_two_network_hops(chromium: ChromiumRecorder, site: Site) -> None:
    site.route("http://site.test/old", 301, ("Location", "https://site.test/new"))

    hops = chromium.navigate("http://site.test/old")

    assert hops == [
        Hop(
            url="http://site.test/old",
            method="GET",
            status=301,
            status_text="Moved Permanently",
            synthetic=False,
            location="https://site.test/new",
            error=None,
        ),
        Hop(
            url="https://site.test/new",
            method="GET",
            status=200,
            status_text="OK",
            synthetic=False,
            location=None,
            error=None,
        ),
    ]
    assert [(s.scheme, s.path) for s in site.requests("site.test")][:2] == [
        ("http", "/old"),
        ("https", "/new"),
    ]


def test_plain_http_is_not_upgraded_without_hsts(chromium: ChromiumRecorder, site: Site) -> None:
    hops = chromium.navigate("http://info.site.test/")

    assert summary(hops) == [("GET", "http://info.site.test/", 200, False)]


# (2) --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "second_method", "second_body"),
    [(301, "GET", b""), (302, "GET", b""), (303, "GET", b""), (307, "POST", b"a=1&b=two+words")],
)
def test_form_post_through_redirect(
    chromium: ChromiumRecorder, site: Site, status: int, second_method: str, second_body: bytes
) -> None:
    site.route("https://site.test/submit", status, ("Location", "/done"))

    hops = chromium.navigate(
        "https://site.test/submit", method="POST", body={"a": "1", "b": "two words"}
    )

    assert summary(hops) == [
        ("POST", "https://site.test/submit", status, False),
        (second_method, "https://site.test/done", 200, False),
    ]
    seen = site.requests("site.test")
    assert [(s.method, s.path, s.body) for s in seen[:2]] == [
        ("POST", "/submit", b"a=1&b=two+words"),
        (second_method, "/done", second_body),
    ]


@pytest.mark.parametrize(
    ("status", "second_method"),
    [(301, "PUT"), (302, "PUT"), (303, "GET"), (307, "PUT"), (308, "PUT")],
)
def test_fetch_put_through_redirect(
    chromium: ChromiumRecorder, site: Site, status: int, second_method: str
) -> None:
    site.route("https://site.test/api", status, ("Location", "/api2"))

    hops = chromium.navigate("https://site.test/api", method="PUT", body='{"x": 1}')

    assert summary(hops) == [
        ("PUT", "https://site.test/api", status, False),
        (second_method, "https://site.test/api2", 200, False),
    ]
    seen = [(s.method, s.path, s.body) for s in site.requests("site.test")]
    body = b'{"x": 1}' if second_method == "PUT" else b""
    assert seen == [("PUT", "/api", b'{"x": 1}'), (second_method, "/api2", body)]
    assert chromium.preflights == []  # same origin throughout


def test_fetch_put_upgraded_by_hsts_needs_a_preflight(
    chromium: ChromiumRecorder, site: Site
) -> None:
    prime_hsts(chromium, site, "max-age=300; includeSubDomains")
    cors = [
        ("Access-Control-Allow-Origin", "http://info.site.test"),
        ("Access-Control-Allow-Methods", "PUT"),
    ]
    site.route("https://info.site.test/api", 200, *cors)

    hops = chromium.navigate("http://info.site.test/api", method="PUT", body="x=1")

    # The fetch() runs on http://info.site.test, so the upgraded request is cross-origin.
    assert summary(hops) == [
        ("PUT", "http://info.site.test/api", 307, True),
        ("PUT", "https://info.site.test/api", 200, False),
    ]
    assert summary(chromium.preflights) == [("OPTIONS", "https://info.site.test/api", 200, False)]
    seen = [(s.scheme, s.method, s.body) for s in site.requests("info.site.test", "/api")]
    assert seen == [("https", "OPTIONS", b""), ("https", "PUT", b"x=1")]


def test_fetch_put_upgraded_by_hsts_fails_without_cors(
    chromium: ChromiumRecorder, site: Site
) -> None:
    prime_hsts(chromium, site, "max-age=300; includeSubDomains")

    hops = chromium.navigate("http://info.site.test/api", method="PUT", body="x=1")

    assert [(h.status, h.synthetic, h.error) for h in hops] == [
        (307, True, None),
        (None, False, "net::ERR_FAILED"),
    ]
    assert [h.method for h in chromium.preflights] == ["OPTIONS"]
    assert [s.method for s in site.requests("info.site.test", "/api")] == ["OPTIONS"]


# (3) --------------------------------------------------------------------------------


def prime_hsts(chromium: ChromiumRecorder, site: Site, value: str) -> None:
    site.route("https://site.test/", 200, (STS, value))
    visited = chromium.visit("https://site.test/")
    assert summary(visited) == [("GET", "https://site.test/", 200, False)]


def test_parent_include_subdomains_gives_synthetic_307(
    chromium: ChromiumRecorder, site: Site
) -> None:
    prime_hsts(chromium, site, "max-age=300; includeSubDomains")

    hops = chromium.navigate("http://info.site.test/")

    assert hops == [
        Hop(
            url="http://info.site.test/",
            method="GET",
            status=307,
            status_text="Internal Redirect",
            synthetic=True,
            location="https://info.site.test/",
            error=None,
            reason="HSTS",
        ),
        Hop(
            url="https://info.site.test/",
            method="GET",
            status=200,
            status_text="OK",
            synthetic=False,
            location=None,
            error=None,
        ),
    ]
    # The internal redirect never touched the network.
    assert [s.scheme for s in site.requests("info.site.test", "/")] == ["https"]


def test_synthetic_307_keeps_post(chromium: ChromiumRecorder, site: Site) -> None:
    prime_hsts(chromium, site, "max-age=300; includeSubDomains")
    site.route("https://info.site.test/submit", 302, ("Location", "/done"))

    hops = chromium.navigate("http://info.site.test/submit", method="POST", body="q=1")

    assert summary(hops) == [
        ("POST", "http://info.site.test/submit", 307, True),
        ("POST", "https://info.site.test/submit", 302, False),
        ("GET", "https://info.site.test/done", 200, False),
    ]
    assert hops[0].location == "https://info.site.test/submit"


def test_sts_without_include_subdomains_covers_only_its_host(
    chromium: ChromiumRecorder, site: Site
) -> None:
    prime_hsts(chromium, site, "max-age=300")

    assert summary(chromium.navigate("http://info.site.test/")) == [
        ("GET", "http://info.site.test/", 200, False)
    ]
    assert summary(chromium.navigate("http://site.test/")) == [
        ("GET", "http://site.test/", 307, True),
        ("GET", "https://site.test/", 200, False),
    ]


def test_sts_over_plain_http_is_ignored(chromium: ChromiumRecorder, site: Site) -> None:
    site.route("http://site.test/", 200, (STS, "max-age=300; includeSubDomains"))
    chromium.visit("http://site.test/")

    assert summary(chromium.navigate("http://info.site.test/")) == [
        ("GET", "http://info.site.test/", 200, False)
    ]


# (4) --------------------------------------------------------------------------------


def test_max_age_zero_clears_the_policy(chromium: ChromiumRecorder, site: Site) -> None:
    prime_hsts(chromium, site, "max-age=300; includeSubDomains")
    assert chromium.navigate("http://info.site.test/")[0].synthetic

    site.route("https://site.test/clear", 200, (STS, "max-age=0"))
    chromium.visit("https://site.test/clear")

    assert summary(chromium.navigate("http://info.site.test/")) == [
        ("GET", "http://info.site.test/", 200, False)
    ]


def test_max_age_zero_on_subdomain_keeps_parent_policy(
    chromium: ChromiumRecorder, site: Site
) -> None:
    prime_hsts(chromium, site, "max-age=300; includeSubDomains")
    site.route("https://info.site.test/clear", 200, (STS, "max-age=0"))
    chromium.visit("https://info.site.test/clear")

    hops = chromium.navigate("http://info.site.test/")

    assert [h.synthetic for h in hops] == [True, False]


# (5) --------------------------------------------------------------------------------
# Chromium 156, measured: a navigation makes 20 requests and refuses the 20th redirect
# response (19 redirects followed); fetch() makes 21 and refuses the 21st (20 followed,
# as the Fetch standard says). Synthetic HSTS redirects count against the limit.


def test_navigation_redirect_loop_ends_with_too_many_redirects(
    chromium: ChromiumRecorder, site: Site
) -> None:
    site.route("https://site.test/loop", 302, ("Location", "/loop"))

    hops = chromium.navigate("https://site.test/loop")

    assert len(hops) == 20
    assert len(site.requests("site.test", "/loop")) == 20
    assert all(h.url == "https://site.test/loop" and h.method == "GET" for h in hops)
    assert [(h.status, h.location) for h in hops[:-1]] == [(302, "/loop")] * 19
    assert hops[-1] == Hop(
        url="https://site.test/loop",
        method="GET",
        status=None,
        status_text=None,
        synthetic=False,
        location=None,
        error="net::ERR_TOO_MANY_REDIRECTS",
    )


def test_fetch_redirect_loop_follows_20_redirects(chromium: ChromiumRecorder, site: Site) -> None:
    site.route("https://site.test/loop", 307, ("Location", "/loop"))

    hops = chromium.navigate("https://site.test/loop", method="PUT", body="x")

    assert len(hops) == 21
    assert len(site.requests("site.test", "/loop")) == 21
    assert all(h.method == "PUT" for h in hops)
    assert [h.error for h in hops] == [None] * 20 + ["net::ERR_TOO_MANY_REDIRECTS"]


def test_synthetic_redirects_count_against_the_limit(
    chromium: ChromiumRecorder, site: Site
) -> None:
    prime_hsts(chromium, site, "max-age=300; includeSubDomains")
    # An https page that sends the browser back to http: every http hop is upgraded.
    site.route("https://info.site.test/loop", 302, ("Location", "http://info.site.test/loop"))

    hops = chromium.navigate("http://info.site.test/loop")

    assert len(hops) == 20
    assert [h.synthetic for h in hops] == [True, False] * 10
    assert [h.url.split(":")[0] for h in hops] == ["http", "https"] * 10
    assert hops[-1].error == "net::ERR_TOO_MANY_REDIRECTS"
    assert [s.scheme for s in site.requests("info.site.test", "/loop")] == ["https"] * 10


# (6) --------------------------------------------------------------------------------


def test_certificate_for_another_name_fails(chromium: ChromiumRecorder, site: Site) -> None:
    hops = chromium.navigate("https://wrong.site.test/")

    assert hops == [
        Hop(
            url="https://wrong.site.test/",
            method="GET",
            status=None,
            status_text=None,
            synthetic=False,
            location=None,
            error="net::ERR_CERT_COMMON_NAME_INVALID",
        )
    ]
    assert site.requests("wrong.site.test") == []


def test_redirect_to_a_bad_certificate_fails_on_the_last_hop(
    chromium: ChromiumRecorder, site: Site
) -> None:
    site.route("http://wrong.site.test/", 301, ("Location", "https://wrong.site.test/"))

    hops = chromium.navigate("http://wrong.site.test/")

    assert [(h.status, h.error) for h in hops] == [
        (301, None),
        (None, "net::ERR_CERT_COMMON_NAME_INVALID"),
    ]


# The recorder itself ------------------------------------------------------------------


def test_reset_forgets_hsts(chromium: ChromiumRecorder, site: Site) -> None:
    prime_hsts(chromium, site, "max-age=300; includeSubDomains")
    assert chromium.navigate("http://info.site.test/")[0].synthetic

    chromium.reset()

    assert summary(chromium.navigate("http://info.site.test/")) == [
        ("GET", "http://info.site.test/", 200, False)
    ]


def test_hosts_must_map_to_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        ChromiumRecorder(hosts={"site.test": "10.0.0.1"})


def test_recorder_pins_switches_and_cleans_up(ca: trustme.CA, tmp_path: Path) -> None:
    # Playwright's sync API allows one instance per thread, and this module's browser
    # is still running in this one: the second recorder gets a thread of its own.
    ca_pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    found: dict[str, Any] = {}

    def run() -> None:
        try:
            recorder = ChromiumRecorder(hosts=HOSTS, ca_pem=ca_pem)
            with recorder:
                found["home"] = recorder.home
                found["nssdb"] = (recorder.home / ".pki" / "nssdb" / "cert9.db").exists()
                found["pids"] = home_processes(recorder.home)
                found["cmdline"] = _browser_cmdline(found["pids"])
                found["version"] = recorder.version
            found["leftover"] = recorder.leftover_pids
        except BaseException as error:  # handed to the test's thread
            found["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    if "error" in found:
        raise found["error"]

    home: Path = found["home"]
    assert found["nssdb"]
    assert found["pids"], "the browser runs with the recorder's HOME"
    cmdline: list[str] = found["cmdline"]
    disable = [a for a in cmdline if a.startswith("--disable-features=")]
    last = set(disable[-1].split("=", 1)[1].split(","))
    assert {"HttpsUpgrades", "HttpsFirstBalancedModeAutoEnable", "HttpsFirstModeIncognito"} <= last
    assert any(a.startswith(f"--user-data-dir={home.parent}/") for a in cmdline)
    assert "--no-sandbox" in cmdline
    assert found["version"].split(".")[0].isdigit()
    assert found["leftover"] == []  # everything had exited by itself
    assert home_processes(home) == []
    assert not home.parent.exists()


def _browser_cmdline(pids: list[int]) -> list[str]:
    for pid in pids:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if b"--remote-debugging-pipe" in argv:
            return [a.decode() for a in argv]
    raise AssertionError("no browser process found")
