"""A trace speaks HTTP/2 where the client it models would: real nginx with ``http2`` on
its TLS listener, the protocol chosen by ALPN exactly as for Chrome or curl.

Which clients offer h2 is data (trace/data/profiles.toml); what each hop really spoke
is recorded in its ``http_version``. The browser and curl differentials
(tests/browsers, test_trace_vs_curl.py) check the same against the real programs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import run_cli

if TYPE_CHECKING:
    from tests.servers.conftest_fixtures import NginxFactory
    from tests.servers.nginx import NginxServer
    from tests.servers.pki import PKI

pytestmark = pytest.mark.integration

SITE = """
server {
    listen {{addr}}:80;
    server_name h2.test;
    return 301 https://h2.test$request_uri;
}
server {
    listen {{addr}}:443 ssl http2;
    server_name h2.test;
    ssl_certificate {{cert:h2.test}};
    ssl_certificate_key {{key:h2.test}};
    location = /a { return 302 /b; }
    location = /b { return 307 /end; }
    location = /end { add_header X-Protocol $server_protocol; return 200 "end $request_method\\n"; }
    location = /form { return 200 "got $request_method $content_length\\n"; }
    location = /big.bin { root {{root}}; }
}
"""

# 1.5 MiB: more than the 64 KiB a stream may send before the client hands back
# flow-control window, and more than the trace's 1 MiB cap.
BIG = b"x" * (1536 * 1024)


@pytest.fixture
def site(nginx_server: NginxFactory) -> NginxServer:
    return nginx_server(SITE, files={"big.bin": BIG})


def _trace(site: NginxServer, pki: PKI, url: str, *extra: str) -> dict[str, Any]:
    result = run_cli(
        "trace", url, "--json", "--fresh-browser", "--timeout", "10",
        "--resolve", f"h2.test:*:{site.address}", "--cacert", str(pki.ca_pem_path), *extra,
    )  # fmt: skip
    assert result.stderr == "", result.stderr
    payload: dict[str, Any] = result.json
    return payload


def _spoken(payload: dict[str, Any]) -> list[tuple[int | None, str | None]]:
    return [(h["status"], h["http_version"]) for h in payload["hops"]]


@pytest.mark.parametrize("client", ["chrome", "curl", "googlebot"])
def test_clients_that_offer_h2_speak_it_once_tls_is_up(
    site: NginxServer, pki: PKI, client: str
) -> None:
    payload = _trace(site, pki, "http://h2.test/a", "--as", client)
    assert _spoken(payload) == [
        (301, "HTTP/1.1"),  # plain http is HTTP/1.1 for every client
        (302, "HTTP/2"),
        (307, "HTTP/2"),
        (200, "HTTP/2"),
    ]
    last = payload["hops"][-1]
    assert ["x-protocol", "HTTP/2.0"] in last["response_headers"]  # names come lowercase
    assert last["reason"] == ""  # HTTP/2 has no reason phrase


@pytest.mark.parametrize("client", ["requests", "httpx"])
def test_clients_without_h2_stay_on_http_1_1(site: NginxServer, pki: PKI, client: str) -> None:
    payload = _trace(site, pki, "https://h2.test/a", "--as", client)
    assert {version for _, version in _spoken(payload)} == {"HTTP/1.1"}
    assert payload["hops"][-1]["status"] == 200
    # Kept alive over TLS too: one handshake for the three hops.
    assert [h["timings"]["tls"] is None for h in payload["hops"]] == [False, True, True]


def test_the_hops_share_one_http2_connection(site: NginxServer, pki: PKI) -> None:
    payload = _trace(site, pki, "https://h2.test/a")
    timings = [h["timings"] for h in payload["hops"]]
    assert timings[0]["tls"] is not None
    assert [t["tls"] for t in timings[1:]] == [None, None]  # new streams, no new handshake


def test_a_request_body_goes_over_http2(site: NginxServer, pki: PKI) -> None:
    payload = _trace(site, pki, "https://h2.test/form", "-X", "POST", "-d", "a=1&b=2")
    hop = payload["hops"][0]
    assert (hop["status"], hop["http_version"], hop["method"]) == (200, "HTTP/2", "POST")
    assert hop["body_bytes"] == len("got POST 7\n")


def test_a_large_body_flows_past_the_initial_window_up_to_the_cap(
    site: NginxServer, pki: PKI
) -> None:
    payload = _trace(site, pki, "https://h2.test/big.bin")
    hop = payload["hops"][0]
    assert hop["http_version"] == "HTTP/2" and hop["error"] is None
    assert hop["body_truncated"] is True and hop["body_bytes"] > 1024 * 1024


def test_the_text_report_names_http2_where_it_was_spoken(site: NginxServer, pki: PKI) -> None:
    result = run_cli(
        "trace", "http://h2.test/end", "--fresh-browser",
        "--resolve", f"h2.test:*:{site.address}", "--cacert", str(pki.ca_pem_path),
    )  # fmt: skip
    rows = [line for line in result.stdout.splitlines() if line.lstrip()[:1].isdigit()]
    plain, secure = rows
    assert "HTTP/2" not in plain and secure.rstrip().endswith("HTTP/2")
