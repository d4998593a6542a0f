"""A trace survives hostile servers: each failure is a hop's data, never a traceback or hang.

The server is ``tests/servers/hostile.py``; every behaviour is one path. Traces run
in-process through the CLI with ``--json`` so the hop data itself is checked.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

from tests.conftest import run_cli
from tests.servers.hostile import Exchange, HostileServer

if TYPE_CHECKING:
    from tests.servers.pki import PKI, CertFiles

pytestmark = pytest.mark.integration

TRACE_SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "json" / "trace.schema.json").read_text()
)


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer("127.0.0.1", trickle_interval=0.5, hang_seconds=30) as running:
        yield running


def _trace(url: str, *extra: str, timeout: float = 5) -> tuple[dict[str, Any], int, float]:
    started = time.monotonic()
    result = run_cli("trace", url, "--json", "--fresh-browser", "--timeout", str(timeout), *extra)
    elapsed = time.monotonic() - started
    assert "Traceback" not in result.stderr
    assert result.stderr == "", result.stderr
    payload: dict[str, Any] = result.json
    jsonschema.validate(payload, TRACE_SCHEMA)
    return payload, result.exit_code, elapsed


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/garbage-status", "protocol"),
        ("/no-status", "protocol"),
        ("/http09", "protocol"),
        ("/random-bytes", "protocol"),
        ("/close-immediately", "protocol"),
        ("/reset", "protocol"),
        ("/bad-chunked", "protocol"),
        ("/invalid-location", "invalid_location"),
        ("/two-locations", "protocol"),
    ],
)
def test_a_broken_response_ends_the_trace_with_the_hops_error(
    server: HostileServer, path: str, kind: str
) -> None:
    payload, code, _ = _trace(server.url(path))
    last = payload["hops"][-1]
    assert last["error"]["kind"] == kind, last["error"]
    assert payload["outcome"] == "error" and code == 1


@pytest.mark.parametrize("path", ["/huge-headers", "/huge-header-line"])
def test_100_kb_of_headers_is_within_what_browsers_accept(server: HostileServer, path: str) -> None:
    # Chromium reads up to 256 KiB of response headers (kMaxHeaderBufSize).
    payload, code, _ = _trace(server.url(path))
    hop = payload["hops"][0]
    assert hop["status"] == 200 and hop["error"] is None and code == 0


def _giant_headers(exchange: Exchange) -> None:
    filler = b"".join(b"X-Filler-%06d: %s\r\n" % (i, b"y" * 200) for i in range(1500))
    exchange.send(b"HTTP/1.1 200 OK\r\n" + filler + b"Content-Length: 0\r\n\r\n")


def test_headers_beyond_the_cap_are_refused_as_too_large() -> None:
    with HostileServer("127.0.0.1", handlers={"/giant": _giant_headers}) as giant:
        payload, code, _ = _trace(giant.url("/giant"))
    assert payload["hops"][0]["error"]["kind"] == "too_large"
    assert code == 1


@pytest.mark.parametrize("path", ["/redirect-no-location", "/empty-location"])
def test_a_redirect_without_a_usable_location_is_the_final_answer(
    server: HostileServer, path: str
) -> None:
    payload, code, _ = _trace(server.url(path))
    assert [h["status"] for h in payload["hops"]] == [302]
    assert payload["outcome"] == "ok" and code == 0


def test_identical_duplicate_locations_are_followed(server: HostileServer) -> None:
    payload, _, _ = _trace(server.url("/same-two-locations"))
    assert [h["status"] for h in payload["hops"]] == [301, 200]


def test_a_non_ascii_location_is_percent_encoded_as_chromium_does(server: HostileServer) -> None:
    payload, _, _ = _trace(server.url("/non-ascii-location"))
    assert payload["hops"][1]["url"].endswith("/%D0%BF%D1%83%D1%82%D1%8C")
    assert payload["hops"][1]["status"] == 200


def test_an_endless_body_is_read_up_to_the_cap(server: HostileServer) -> None:
    payload, code, elapsed = _trace(server.url("/endless-body"))
    hop = payload["hops"][0]
    assert hop["status"] == 200 and hop["body_truncated"] is True
    assert 1024 * 1024 < hop["body_bytes"] < 2 * 1024 * 1024
    assert code == 0 and elapsed < 5


@pytest.mark.parametrize("path", ["/hang", "/trickle"])
def test_a_slow_server_cannot_stretch_the_trace_past_its_timeout(
    server: HostileServer, path: str
) -> None:
    payload, code, elapsed = _trace(server.url(path), timeout=1.5)
    assert payload["hops"][-1]["error"]["kind"] == "timeout"
    assert code == 1
    assert elapsed < 3.0


def test_a_two_page_loop_is_named(server: HostileServer) -> None:
    payload, code, _ = _trace(server.url("/loop-a"))
    assert payload["outcome"] == "redirect-loop"
    assert payload["loop"] == [server.url("/loop-a"), server.url("/loop-b")]
    assert len(payload["hops"]) == 20 and code == 1


def test_a_long_chain_without_a_loop_is_too_many_redirects(server: HostileServer) -> None:
    payload, code, _ = _trace(server.url("/redirect-to/25"))
    assert payload["outcome"] == "too-many-redirects" and payload["loop"] == []
    assert code == 1
    fine, _, _ = _trace(server.url("/redirect-to/25"), "--as", "curl")
    assert fine["outcome"] == "ok" and len(fine["hops"]) == 26


def test_nothing_listening_is_a_connect_error() -> None:
    payload, code, _ = _trace("http://127.0.0.1:9/")
    assert payload["hops"][0]["error"]["kind"] == "connect" and code == 1


@pytest.mark.parametrize(
    ("kind", "failure"),
    [
        ("expired", "expired"),
        ("self-signed", "self-signed"),
        ("untrusted", "untrusted"),
        ("wrong-name", "name-mismatch"),
    ],
)
def test_tls_failures_are_named_and_insecure_goes_on(pki: PKI, kind: str, failure: str) -> None:
    issue: dict[str, Callable[[str], CertFiles]] = {
        "expired": lambda name: pki.issue_expired(name),
        "self-signed": lambda name: pki.issue_self_signed(name),
        "untrusted": lambda name: pki.issue_untrusted(name),
        "wrong-name": lambda name: pki.issue_wrong_name(name),
    }
    cert = issue[kind]("bad.test")
    with HostileServer("127.0.0.1", certfile=cert.cert_path, keyfile=cert.key_path) as tls:
        args = ("--resolve", f"bad.test:{tls.port}:127.0.0.1", "--cacert", str(pki.ca_pem_path))
        url = f"https://bad.test:{tls.port}/status/200"
        payload, code, _ = _trace(url, *args)
        hop = payload["hops"][0]
        assert hop["error"]["kind"] == "tls" and hop["tls"]["failure"] == failure
        assert hop["tls"]["certificate"] is not None and code == 1

        insecure, code, _ = _trace(url, *args, "--insecure")
        hop = insecure["hops"][0]
        assert hop["status"] == 200 and hop["tls"]["failure"] == failure
        assert hop["tls"]["verified"] is False and code == 0


@pytest.mark.parametrize(
    ("args", "part"),
    [
        (("trace", "not a url at all"), "not a valid URL"),
        (("trace", "ftp://example.test/"), "unsupported scheme"),
        (("trace", "http://a.test/", "--resolve", "a.test:80"), "bad --resolve"),
        (("trace", "http://a.test/", "--resolve", "a.test:80:nowhere"), "not an IP address"),
        (("trace", "http://a.test/", "--cacert", "/nonexistent/ca.pem"), "cannot read --cacert"),
        (("trace", "http://a.test/", "-H", "no colon"), "bad header"),
        (("trace", "http://a.test/", "--as", "netscape"), "unknown client profile"),
        (("trace", "http://a.test/", "--timeout", "0"), "--timeout must be positive"),
        (("trace", "http://a.test/", "-e", "ftp://x.test/"), "bad --referer"),
    ],
)
def test_bad_trace_input_is_one_line_and_exit_2(args: tuple[str, ...], part: str) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2, result.stdout
    first, *rest = result.stderr.splitlines()
    assert first.startswith("error: ") and part in first
    assert len(rest) <= 1 and "Traceback" not in result.stderr


def test_a_host_name_longer_than_dns_allows_is_a_usage_error() -> None:
    result = run_cli("trace", f"http://{'a' * 300}.test/")
    assert result.exit_code == 2 and "longer than DNS allows" in result.stderr


def test_a_name_that_does_not_resolve_is_a_dns_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # The system resolver is replaced: a real lookup could send a query off this machine.
    def no_such_name(*args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    payload, code, _ = _trace("http://no-such-host.test/")
    assert payload["hops"][0]["error"]["kind"] == "dns" and code == 1
    assert "Name or service not known" in payload["hops"][0]["error"]["message"]
