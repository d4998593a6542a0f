"""A trace survives a hostile HTTP/2 server: the hop records the error, never a traceback
or a hang.

The server is a raw TLS socket on 127.0.0.1 that picks ``h2`` in ALPN and then writes
whatever each test says, frame by frame (built with the h2 library, or plain garbage).
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import h2.config
import h2.connection
import h2.errors
import h2.events
import pytest

from tests.conftest import run_cli

if TYPE_CHECKING:
    from tests.servers.pki import PKI

pytestmark = pytest.mark.integration

Behaviour = Callable[[ssl.SSLSocket], None]


@contextmanager
def _h2_server(pki: PKI, behaviour: Behaviour) -> Iterator[int]:
    cert = pki.issue("h2.test")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert.cert_path, cert.key_path)
    context.set_alpn_protocols(["h2"])
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)

    def serve() -> None:
        try:
            raw, _ = listener.accept()
        except OSError:
            return
        try:
            with context.wrap_socket(raw, server_side=True) as tls:
                tls.settimeout(5)
                behaviour(tls)
        except OSError:
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        thread.join(timeout=5)


def _server_side(tls: ssl.SSLSocket) -> tuple[h2.connection.H2Connection, int]:
    """Speak h2 up to the client's request; the stream id it used."""
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
    conn.initiate_connection()
    tls.sendall(conn.data_to_send())
    while True:
        data = tls.recv(65536)
        if not data:
            raise OSError("the client went away")
        for event in conn.receive_data(data):
            if isinstance(event, h2.events.RequestReceived):
                tls.sendall(conn.data_to_send())
                return conn, event.stream_id
        tls.sendall(conn.data_to_send())


def _garbage(tls: ssl.SSLSocket) -> None:
    tls.sendall(b"\x00\x00\x04\xff\x00\x00\x00\x00\x00this is not http/2 at all")


def _reset(tls: ssl.SSLSocket) -> None:
    conn, stream = _server_side(tls)
    conn.reset_stream(stream, error_code=h2.errors.ErrorCodes.INTERNAL_ERROR)
    tls.sendall(conn.data_to_send())
    time.sleep(0.2)


def _goaway(tls: ssl.SSLSocket) -> None:
    conn, _ = _server_side(tls)
    conn.close_connection(error_code=h2.errors.ErrorCodes.ENHANCE_YOUR_CALM)
    tls.sendall(conn.data_to_send())
    time.sleep(0.2)


def _headers_then_silence(tls: ssl.SSLSocket) -> None:
    conn, stream = _server_side(tls)
    conn.send_headers(stream, [(":status", "200"), ("content-length", "10")])
    tls.sendall(conn.data_to_send())
    time.sleep(3)  # longer than the trace's --timeout


def _huge_headers(tls: ssl.SSLSocket) -> None:
    conn, stream = _server_side(tls)
    filler = [(f"x-filler-{i}", "a" * 1000) for i in range(300)]  # ~300 KiB, over the cap
    conn.send_headers(stream, [(":status", "200"), *filler], end_stream=True)
    tls.sendall(conn.data_to_send())
    time.sleep(0.2)


def _trace(pki: PKI, port: int) -> tuple[dict[str, Any], int, float]:
    started = time.monotonic()
    result = run_cli(
        "trace", f"https://h2.test:{port}/", "--json", "--fresh-browser", "--timeout", "1.5",
        "--resolve", f"h2.test:{port}:127.0.0.1", "--cacert", str(pki.ca_pem_path),
    )  # fmt: skip
    assert "Traceback" not in result.stderr and result.stderr == "", result.stderr
    return result.json["hops"][-1], result.exit_code, time.monotonic() - started


@pytest.mark.parametrize(
    ("behaviour", "kind"),
    [
        (_garbage, "protocol"),
        (_reset, "protocol"),
        (_goaway, "protocol"),
        (_headers_then_silence, "timeout"),
        (_huge_headers, "too_large"),
    ],
    ids=["garbage-frames", "rst-stream", "goaway", "body-never-comes", "huge-headers"],
)
def test_a_broken_http2_answer_is_the_hops_error(pki: PKI, behaviour: Behaviour, kind: str) -> None:
    with _h2_server(pki, behaviour) as port:
        hop, code, elapsed = _trace(pki, port)
    error = hop["error"]
    assert error is not None and error["kind"] == kind, hop
    assert code == 1 and elapsed < 3.0
