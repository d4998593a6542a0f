"""How a trace uses connections: kept alive per origin, redialled when the server dropped
one, and read the way a browser reads a response head.

The servers are raw sockets on 127.0.0.1 so each test controls exactly when a
connection opens and closes.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.servers.hostile import Exchange, HostileServer

pytestmark = pytest.mark.integration

_REDIRECT = b"HTTP/1.1 302 Found\r\nLocation: /%d\r\nContent-Length: 0\r\n\r\n"
_DONE = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\ndone\n"


class _KeepAliveServer:
    """Answers ``/1`` and ``/2`` with redirects to the next step and ``/3`` with 200, many
    requests per connection; without ``answer_second`` a connection closes without a
    word when its second request arrives."""

    def __init__(self, *, answer_second: bool) -> None:
        self.answer_second = answer_second
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            buffer = b""
            served = 0
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    buffer += chunk
                head, buffer = buffer.split(b"\r\n\r\n", 1)
                step = int(head.split(b" ")[1].strip(b"/") or b"1")
                if served == 1 and not self.answer_second:
                    return  # as a server whose keep-alive timer fired just now
                conn.sendall(_REDIRECT % (step + 1) if step < 3 else _DONE)
                served += 1

    def __enter__(self) -> _KeepAliveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.close()


def _hops(url: str, *extra: str) -> list[dict[str, Any]]:
    result = run_cli("trace", url, "--json", "--as", "curl", "--timeout", "5", *extra)
    assert result.stderr == "", result.stderr
    hops: list[dict[str, Any]] = result.json["hops"]
    return hops


def test_hops_to_the_same_origin_share_one_kept_alive_connection() -> None:
    with _KeepAliveServer(answer_second=True) as server:
        hops = _hops(f"http://127.0.0.1:{server.port}/1")
    assert [h["status"] for h in hops] == [302, 302, 200]
    assert server.connections == 1
    # Only the first hop dialled; the others show no connect time, as in devtools.
    assert hops[0]["timings"]["connect"] is not None
    assert [h["timings"]["connect"] for h in hops[1:]] == [None, None]


def test_a_kept_alive_connection_the_server_dropped_is_redialled_once() -> None:
    # Chromium resends on a fresh socket when a reused one closes before any response
    # byte (HttpNetworkTransaction::ShouldResendRequest); curl does the same.
    with _KeepAliveServer(answer_second=False) as server:
        hops = _hops(f"http://127.0.0.1:{server.port}/1")
    assert [h["status"] for h in hops] == [302, 302, 200]
    assert all(h["error"] is None for h in hops)
    assert server.connections == 3  # dial, redial after the silent close, redial again


@contextmanager
def _serving(handler: Callable[[Exchange], None]) -> Iterator[str]:
    with HostileServer("127.0.0.1", handlers={"/x": handler}) as server:
        yield server.url("/x")


def test_interim_1xx_responses_are_read_past_to_the_real_answer() -> None:
    def early_hints(exchange: Exchange) -> None:
        exchange.send(b"HTTP/1.1 103 Early Hints\r\nLink: </app.css>; rel=preload\r\n\r\n")
        exchange.send(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")

    with _serving(early_hints) as url:
        hops = _hops(url)
    assert [h["status"] for h in hops] == [200]
    assert hops[0]["body_bytes"] == 2


@pytest.mark.parametrize(("size_kib", "kind"), [(200, None), (300, "too_large")])
def test_a_response_head_is_read_up_to_chromiums_256_kib(size_kib: int, kind: str | None) -> None:
    filler = b"X-Filler: " + b"a" * 1000 + b"\r\n"

    def big_head(exchange: Exchange) -> None:
        lines = filler * size_kib
        exchange.send(b"HTTP/1.1 200 OK\r\n" + lines + b"Content-Length: 0\r\n\r\n")

    with _serving(big_head) as url:
        hops = _hops(url)
    error = hops[0]["error"]
    assert (error["kind"] if error else None) == kind


def test_an_address_literal_needs_no_dns_time() -> None:
    with _KeepAliveServer(answer_second=True) as server:
        hops = _hops(f"http://127.0.0.1:{server.port}/3")
    assert hops[0]["timings"]["dns"] is None
    assert hops[0]["peer"] == f"127.0.0.1:{server.port}"
