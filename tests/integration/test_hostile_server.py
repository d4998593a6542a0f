"""The hostile test server does exactly the damage its module docstring promises.

Each behaviour is checked on the wire with raw sockets (what bytes arrive, and how the
connection ends) and, where it matters, with ``http.client`` as a stand-in for a real
client. Short timeouts everywhere: the whole file runs in a few seconds.
"""

from __future__ import annotations

import datetime
import http.client
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import trustme

from tests.servers.hostile import (
    BEHAVIOURS,
    Exchange,
    HostileServer,
    build_response,
    tls_context_from_pem,
)

pytestmark = pytest.mark.integration

TIMEOUT = 2.0


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer(hang_seconds=5.0, linger=0.2) as running:
        yield running
    assert running.handler_errors == []


def _request(path: str, method: str = "GET", extra: bytes = b"") -> bytes:
    return f"{method} {path} HTTP/1.1\r\nHost: test\r\n".encode() + extra + b"\r\n"


def _connect(server: HostileServer, timeout: float = TIMEOUT) -> socket.socket:
    return socket.create_connection(server.address, timeout=timeout)


def _raw(server: HostileServer, path: str, method: str = "GET", limit: int = 1 << 20) -> bytes:
    """Send one request and read everything until the server closes (or ``limit``)."""
    with _connect(server) as sock:
        sock.sendall(_request(path, method))
        data = bytearray()
        while len(data) < limit:
            more = sock.recv(65536)
            if not more:
                break
            data += more
        return bytes(data)


def _split(response: bytes) -> tuple[bytes, bytes]:
    head, _, body = response.partition(b"\r\n\r\n")
    return head, body


def _get(
    server: HostileServer, path: str, method: str = "GET"
) -> tuple[int, list[tuple[str, str]], bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
    with closing(conn):
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()


def _client_fails(server: HostileServer, path: str) -> Exception:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
    with closing(conn):
        with pytest.raises((http.client.HTTPException, OSError)) as failure:
            conn.request("GET", path)
            conn.getresponse().read()
        return failure.value


def _locations(headers: list[tuple[str, str]]) -> list[str]:
    return [value for name, value in headers if name.lower() == "location"]


def _own_threads() -> set[threading.Thread]:
    return {thread for thread in threading.enumerate() if thread.name.startswith("hostile-")}


# --- binding --------------------------------------------------------------------------


def test_binds_an_ephemeral_loopback_port() -> None:
    with HostileServer() as server:
        assert server.host == "127.0.0.1"
        assert server.port > 0
        assert server.base_url == f"http://127.0.0.1:{server.port}"
        assert server.url("/x") == f"http://127.0.0.1:{server.port}/x"
        assert _get(server, "/status/200")[0] == 200


def test_binds_another_loopback_address() -> None:
    with HostileServer("127.0.0.2") as server:
        assert _get(server, "/status/200")[0] == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.1", "::1", "::", "localhost", ""])
def test_refuses_anything_but_ipv4_loopback(host: str) -> None:
    with pytest.raises(ValueError):
        HostileServer(host)


def test_index_lists_every_behaviour(server: HostileServer) -> None:
    status, _, body = _get(server, "/")
    assert status == 200
    assert body.decode().split() == sorted(BEHAVIOURS)


def test_unknown_path_is_404(server: HostileServer) -> None:
    assert _get(server, "/no/such/thing")[:1] == (404,)


# --- status lines ---------------------------------------------------------------------


@pytest.mark.parametrize("code", [200, 201, 299, 404, 418, 451, 500, 503, 520, 599, 999])
def test_status_any_code_with_a_small_body(server: HostileServer, code: int) -> None:
    status, headers, body = _get(server, f"/status/{code}")
    assert status == code
    assert body == f"status {code}\n".encode()
    assert ("Content-Length", str(len(body))) in headers


@pytest.mark.parametrize("code", [204, 304])
def test_status_without_body(server: HostileServer, code: int) -> None:
    head, body = _split(_raw(server, f"/status/{code}"))
    assert head.startswith(f"HTTP/1.1 {code} ".encode())
    assert body == b""


def test_status_head_has_no_body(server: HostileServer) -> None:
    head, body = _split(_raw(server, "/status/200", method="HEAD"))
    assert b"Content-Length: 11" in head
    assert body == b""


def test_status_with_location(server: HostileServer) -> None:
    status, headers, _ = _get(server, "/status/307?location=/status/200")
    assert status == 307
    assert _locations(headers) == ["/status/200"]


@pytest.mark.parametrize("path", ["/status/", "/status/20", "/status/2000", "/status/abc"])
def test_status_rejects_a_non_code(server: HostileServer, path: str) -> None:
    assert _get(server, path)[0] == 400


def test_garbage_status(server: HostileServer) -> None:
    assert _raw(server, "/garbage-status").startswith(b"HTTP/1.1 abc nonsense\r\n")
    assert isinstance(_client_fails(server, "/garbage-status"), http.client.BadStatusLine)


def test_random_bytes(server: HostileServer) -> None:
    data = _raw(server, "/random-bytes")
    assert len(data) == 1024
    assert not data.startswith(b"HTTP/")
    assert data == _raw(server, "/random-bytes")  # fixed, so failures are reproducible
    assert isinstance(_client_fails(server, "/random-bytes"), http.client.HTTPException)


def test_no_status(server: HostileServer) -> None:
    data = _raw(server, "/no-status")
    assert data.startswith(b"Content-Type: text/plain\r\n")
    assert b"HTTP/" not in data
    assert isinstance(_client_fails(server, "/no-status"), http.client.BadStatusLine)


def test_http09(server: HostileServer) -> None:
    data = _raw(server, "/http09")
    assert data.startswith(b"<html>")
    assert b"\r\n\r\n" not in data
    assert isinstance(_client_fails(server, "/http09"), http.client.BadStatusLine)


# --- redirects ------------------------------------------------------------------------


def test_redirect_without_location(server: HostileServer) -> None:
    status, headers, _ = _get(server, "/redirect-no-location")
    assert status == 302
    assert _locations(headers) == []


def test_two_different_locations(server: HostileServer) -> None:
    status, headers, _ = _get(server, "/two-locations")
    assert status == 301
    assert _locations(headers) == ["/status/200", "/status/204"]


def test_two_identical_locations(server: HostileServer) -> None:
    status, headers, _ = _get(server, "/same-two-locations")
    assert status == 301
    assert _locations(headers) == ["/status/200", "/status/200"]


def test_non_ascii_location_is_raw_utf8(server: HostileServer) -> None:
    head, _ = _split(_raw(server, "/non-ascii-location"))
    assert head.startswith(b"HTTP/1.1 302 ")
    assert b"\r\nLocation: /\xd0\xbf\xd1\x83\xd1\x82\xd1\x8c\r\n" in head
    # ...and the target exists, whether the client percent-encodes it or sends it raw.
    assert _get(server, quote("/путь"))[0] == 200
    with _connect(server) as sock:
        sock.sendall(b"GET /\xd0\xbf\xd1\x83\xd1\x82\xd1\x8c HTTP/1.1\r\nHost: t\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 200 ")
    assert server.wait_for_requests(3)[-1].path == "/путь"


def test_empty_location(server: HostileServer) -> None:
    head, _ = _split(_raw(server, "/empty-location"))
    assert head.startswith(b"HTTP/1.1 302 ")
    assert b"\r\nLocation:\r\n" in head
    status, headers, _ = _get(server, "/empty-location")
    assert (status, _locations(headers)) == (302, [""])


def test_invalid_location(server: HostileServer) -> None:
    status, headers, _ = _get(server, "/invalid-location")
    assert (status, _locations(headers)) == (302, ["http://[::1"])
    with pytest.raises(ValueError):
        urlsplit(_locations(headers)[0])


def test_redirect_chain_counts_down_to_200(server: HostileServer) -> None:
    path, statuses = "/redirect-to/3", []
    for _ in range(10):
        status, headers, _ = _get(server, path)
        statuses.append(status)
        if status != 302:
            break
        (path,) = _locations(headers)
    assert statuses == [302, 302, 302, 200]
    assert [r.path for r in server.requests] == [f"/redirect-to/{n}" for n in (3, 2, 1, 0)]


@pytest.mark.parametrize("path", ["/redirect-to/", "/redirect-to/x", "/redirect-to/-1"])
def test_redirect_chain_rejects_a_non_number(server: HostileServer, path: str) -> None:
    assert _get(server, path)[0] == 400


def test_redirect_loop(server: HostileServer) -> None:
    seen, path = [], "/loop-a"
    for _ in range(4):
        status, headers, _ = _get(server, path)
        assert status == 302
        (path,) = _locations(headers)
        seen.append(path)
    assert seen == ["/loop-b", "/loop-a", "/loop-b", "/loop-a"]


# --- framing --------------------------------------------------------------------------


def test_huge_headers(server: HostileServer) -> None:
    head, body = _split(_raw(server, "/huge-headers"))
    assert len(head) >= 100 * 1024
    assert head.count(b"\r\nX-Filler-") == 1000
    assert body == b"ok"
    failure = _client_fails(server, "/huge-headers")
    assert "more than 100 headers" in str(failure)


def test_huge_header_line(server: HostileServer) -> None:
    head, _ = _split(_raw(server, "/huge-header-line"))
    assert max(len(line) for line in head.split(b"\r\n")) >= 100 * 1024
    assert isinstance(_client_fails(server, "/huge-header-line"), http.client.LineTooLong)


def test_bad_chunked(server: HostileServer) -> None:
    head, body = _split(_raw(server, "/bad-chunked"))
    assert b"\r\nTransfer-Encoding: chunked" in head
    assert body.startswith(b"5\r\nhello\r\nzz\r\n")
    assert isinstance(_client_fails(server, "/bad-chunked"), http.client.IncompleteRead)


def test_endless_body_streams_until_the_client_leaves(server: HostileServer) -> None:
    with _connect(server) as sock:
        sock.sendall(_request("/endless-body"))
        data = bytearray()
        while len(data) < 5_000_000:
            more = sock.recv(1 << 20)
            assert more, "the endless body ended"
            data += more
    head, _ = _split(bytes(data))
    assert head.startswith(b"HTTP/1.1 200 ")
    assert b"Content-Length" not in head
    assert server.wait_until(lambda: server.active_connections == 0)


def test_endless_body_is_bounded() -> None:
    with HostileServer(endless_limit=300_000) as server:
        _, body = _split(_raw(server, "/endless-body", limit=10_000_000))
    assert len(body) == 300_000


# --- time and connection ends ---------------------------------------------------------


def test_trickle_sends_one_byte_per_second(server: HostileServer) -> None:
    with _connect(server, timeout=3.0) as sock:
        sock.sendall(_request("/trickle"))
        first = sock.recv(100)
        started = time.monotonic()
        second = sock.recv(100)
        gap = time.monotonic() - started
    assert (first, second) == (b"H", b"T")
    assert 0.7 < gap < 1.8


def test_trickle_sends_a_whole_valid_response() -> None:
    with HostileServer(trickle_interval=0.001) as server:
        status, _, body = _get(server, "/trickle")
    assert (status, body) == (200, b"this body arrives one byte at a time\n")


def test_close_immediately_sends_nothing(server: HostileServer) -> None:
    assert _raw(server, "/close-immediately") == b""
    failure = _client_fails(server, "/close-immediately")
    assert isinstance(failure, http.client.RemoteDisconnected)


def test_reset(server: HostileServer) -> None:
    with _connect(server) as sock:
        sock.sendall(_request("/reset"))
        with pytest.raises(ConnectionResetError):
            sock.recv(100)
            sock.recv(100)


def test_hang_reads_and_never_answers(server: HostileServer) -> None:
    with _connect(server, timeout=0.3) as sock:
        sock.sendall(_request("/hang"))
        with pytest.raises(TimeoutError):
            sock.recv(100)
    assert [r.path for r in server.wait_for_requests(1)] == ["/hang"]
    assert server.wait_until(lambda: server.active_connections == 0)  # the client left


def test_hang_is_bounded() -> None:
    with HostileServer(hang_seconds=0.3) as server, _connect(server) as sock:
        sock.sendall(_request("/hang"))
        started = time.monotonic()
        assert sock.recv(100) == b""
        assert 0.2 < time.monotonic() - started < 1.5


# --- recording and extending ----------------------------------------------------------


def test_records_method_path_headers_and_body(server: HostileServer) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
    with closing(conn):
        conn.request("POST", "/status/201?x=1", body=b"\x00payload", headers={"X-Test": "yes"})
        assert conn.getresponse().status == 201
    (request,) = server.requests
    assert (request.method, request.path, request.query) == ("POST", "/status/201", "x=1")
    assert (request.target, request.version) == ("/status/201?x=1", "HTTP/1.1")
    assert request.header("x-test") == "yes"
    assert request.header("Content-Length") == "8"
    assert request.body == b"\x00payload"
    assert request.tls is False
    assert request.client[0] == "127.0.0.1"
    assert request.raw_head.startswith(b"POST /status/201?x=1 HTTP/1.1\r\n")
    server.clear_requests()
    assert server.requests == []


def test_records_a_chunked_body_and_repeated_headers(server: HostileServer) -> None:
    with _connect(server) as sock:
        sock.sendall(
            b"PUT /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
            b"X-Dup: 1\r\nX-Dup: 2\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n"
        )
        assert sock.recv(100).startswith(b"HTTP/1.1 200 ")
    (request,) = server.wait_for_requests(1)
    assert request.body == b"abcde"
    assert request.header_values("x-dup") == ["1", "2"]


def test_malformed_request_is_400(server: HostileServer) -> None:
    with _connect(server) as sock:
        sock.sendall(b"NONSENSE\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 400 ")
    assert server.requests == []


def test_handlers_are_easy_to_add() -> None:
    def teapot(ex: Exchange) -> None:
        ex.send(build_response(418, "I'm a teapot", [("X-Path", ex.request.path)], b"short"))

    def by_prefix(ex: Exchange) -> None:
        ex.reply(200, ex.request.path.encode())

    with HostileServer(handlers={"/teapot": teapot}) as server:
        server.handlers["/custom/"] = by_prefix
        status, headers, body = _get(server, "/teapot")
        assert (status, ("X-Path", "/teapot"), body) == (418, headers[0], b"short")
        assert _get(server, "/custom/deep/path")[2] == b"/custom/deep/path"
        assert _get(server, "/status/200")[0] == 200  # the defaults are still there


def test_a_crashing_handler_is_reported_not_raised() -> None:
    def broken(ex: Exchange) -> None:
        raise RuntimeError("boom")

    with HostileServer(handlers={"/broken": broken}, linger=0.1) as server:
        assert _raw(server, "/broken") == b""
        assert server.wait_until(lambda: bool(server.handler_errors))
    assert server.handler_errors == ["GET /broken: RuntimeError: boom"]


# --- stopping ---------------------------------------------------------------------------


def _stop_while(path: str, *, read: bool) -> float:
    before = _own_threads()
    server = HostileServer().start()
    with _connect(server) as sock:
        sock.sendall(_request(path))
        server.wait_for_requests(1)
        if read:
            assert sock.recv(1)
        started = time.monotonic()
        server.stop()
        elapsed = time.monotonic() - started
    assert server.threads == []
    assert _own_threads() <= before
    assert server.handler_errors == []
    return elapsed


@pytest.mark.parametrize(
    ("path", "read"),
    [("/hang", False), ("/trickle", True), ("/endless-body", False), ("/status/200", False)],
)
def test_stop_is_prompt_and_leaves_no_thread(path: str, read: bool) -> None:
    assert _stop_while(path, read=read) < 1.0


def test_stop_is_prompt_with_idle_and_half_sent_connections() -> None:
    with HostileServer() as server:
        idle = _connect(server)
        half = _connect(server)
        half.sendall(b"GET /hang HTTP/1.1\r\nHost:")
        with idle, half:
            assert server.wait_until(lambda: server.active_connections == 2)
            started = time.monotonic()
            server.stop()
            assert time.monotonic() - started < 1.0
            assert server.threads == []
            assert idle.recv(1) == b""


def test_stop_is_idempotent_and_the_port_is_closed() -> None:
    server = HostileServer().start()
    address = server.address
    server.stop()
    server.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(address, timeout=TIMEOUT).close()
    with pytest.raises(RuntimeError):
        server.start()


def test_threads_are_daemons(server: HostileServer) -> None:
    with _connect(server) as sock:
        sock.sendall(_request("/hang"))
        server.wait_for_requests(1)
        assert len(server.threads) == 2
        assert all(thread.daemon for thread in server.threads)


# --- TLS ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ca() -> Any:
    return trustme.CA()


def _client_context(ca: Any) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def _tls_server(leaf: Any) -> HostileServer:
    pem = b"".join(blob.bytes() for blob in leaf.cert_chain_pems)
    context = tls_context_from_pem(pem, leaf.private_key_pem.bytes())
    return HostileServer(tls=context, linger=0.1)


def _https_get(server: HostileServer, path: str, context: ssl.SSLContext) -> tuple[int, bytes]:
    conn = http.client.HTTPSConnection(server.host, server.port, timeout=TIMEOUT, context=context)
    with closing(conn):
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()


def test_tls_with_a_valid_certificate(ca: Any) -> None:
    with _tls_server(ca.issue_cert("127.0.0.1")) as server:
        assert server.base_url.startswith("https://127.0.0.1:")
        assert _https_get(server, "/status/200", _client_context(ca)) == (200, b"status 200\n")
        (request,) = server.requests
        assert request.tls is True
    assert server.tls_errors == []


def test_tls_serves_the_hostile_behaviours_too(ca: Any) -> None:
    with _tls_server(ca.issue_cert("127.0.0.1")) as server:
        conn = http.client.HTTPSConnection(
            server.host, server.port, timeout=TIMEOUT, context=_client_context(ca)
        )
        with closing(conn), pytest.raises(http.client.BadStatusLine):
            conn.request("GET", "/garbage-status")
            conn.getresponse()


def test_tls_from_files(ca: Any, tmp_path: Path) -> None:
    leaf = ca.issue_cert("127.0.0.1")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    leaf.cert_chain_pems[0].write_to_path(str(cert))
    leaf.private_key_pem.write_to_path(str(key))
    with HostileServer(certfile=cert, keyfile=key) as server:
        assert _https_get(server, "/redirect-to/0", _client_context(ca))[0] == 200


def _expect_verify_failure(ca: Any, leaf: Any, reason: str) -> None:
    with _tls_server(leaf) as server:
        with pytest.raises(ssl.SSLCertVerificationError, match=reason):
            _https_get(server, "/status/200", _client_context(ca))
        assert server.wait_until(lambda: bool(server.tls_errors))
        assert server.requests == []


def test_tls_wrong_name(ca: Any) -> None:
    _expect_verify_failure(ca, ca.issue_cert("wrong.example"), "mismatch")


def test_tls_expired(ca: Any) -> None:
    now = datetime.datetime.now(datetime.UTC)
    leaf = ca.issue_cert(
        "127.0.0.1",
        not_before=now - datetime.timedelta(days=30),
        not_after=now - datetime.timedelta(days=1),
    )
    _expect_verify_failure(ca, leaf, "expired")


def test_tls_self_signed(ca: Any) -> None:
    stranger = trustme.CA()  # a CA certificate is self-signed, and nobody trusts this one
    with (
        HostileServer(
            tls=tls_context_from_pem(stranger.cert_pem.bytes(), stranger.private_key_pem.bytes()),
            linger=0.1,
        ) as server,
        pytest.raises(ssl.SSLCertVerificationError, match=r"self.signed"),
    ):
        _https_get(server, "/status/200", _client_context(ca))


def test_plain_http_to_a_tls_server_is_recorded(ca: Any) -> None:
    with _tls_server(ca.issue_cert("127.0.0.1")) as server:
        _client_fails(server, "/status/200")
        assert server.wait_until(lambda: bool(server.tls_errors))
        assert server.requests == []


def test_stop_is_prompt_during_a_tls_handshake(ca: Any) -> None:
    with _tls_server(ca.issue_cert("127.0.0.1")) as server, _connect(server) as sock:
        assert server.wait_until(lambda: server.active_connections == 1)
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 1.0
        assert server.threads == []
        assert sock.recv(1) == b""
