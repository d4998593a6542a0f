"""The proof of ``why --nginx``: real nginx 1.22 and ``evaluate`` answer the same.

For every group of :mod:`tests.nginx_cases` (hand-written rules and seeded random trees)
nginx runs on its own 127.0.0.N with the group's server blocks; each request goes over
the wire (raw HTTP/1.x, TLS with SNI where asked) and ``evaluate`` sees the config nginx
was started with (read back from ``server.config_path``). Status, ``Location`` (exact
string) and ``Strict-Transport-Security`` must agree on every pair the evaluator does not
mark unsupported; the figures are printed by :mod:`tests.nginx_differential_plugin`.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from typing import TYPE_CHECKING

import pytest

from httpdoctor.servers.nginx.evaluate import evaluate
from httpdoctor.servers.nginx.evaluation import NginxRequest
from tests.nginx_cases import Group, Req, generated_groups
from tests.nginx_hand_cases import HAND_GROUPS
from tests.nginx_text import config_from_path

if TYPE_CHECKING:
    from tests.servers.conftest_fixtures import NginxFactory
    from tests.servers.pki import PKI

pytest_plugins = ["tests.nginx_differential_plugin"]
pytestmark = pytest.mark.integration

GROUPS = (*HAND_GROUPS, *generated_groups())
Observed = tuple[int, str | None, str | None]  # status, Location, Strict-Transport-Security
CLOSED = 444  # nginx closed the connection without a response (return 444)


def _send(address: str, req: Req, context: ssl.SSLContext | None) -> Observed:
    raw = socket.create_connection((address, req.port), timeout=5)
    sock: socket.socket = raw
    if context is not None:
        sni = (req.host or "default.test").rsplit(":", 1)[0].rstrip(".").lower()
        sock = context.wrap_socket(raw, server_hostname=sni)
    lines = [f"{req.method} {req.path} HTTP/{req.version}"]
    if req.host is not None:
        lines.append(f"Host: {req.host}")
    lines.extend(f"{name}: {value}" for name, value in req.headers)
    lines.append("Connection: close")
    with sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        response = http.client.HTTPResponse(sock, method=req.method)
        try:
            response.begin()
        except (http.client.RemoteDisconnected, ConnectionResetError):
            return (CLOSED, None, None)
        observed = (
            response.status,
            response.getheader("Location"),
            response.getheader("Strict-Transport-Security"),
        )
        response.close()
    return observed


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g.name)
def test_evaluator_agrees_with_real_nginx(
    group: Group, nginx_server: NginxFactory, pki: PKI
) -> None:
    # imported here: pytest registers the plugin (pytest_plugins) after importing this module
    from tests.nginx_differential_plugin import FIGURES, record

    started = time.perf_counter()
    server = nginx_server(group.servers, http_extra=group.http_extra)
    config = config_from_path(server.config_path)
    context = pki.client_context()
    failures = []
    for req in group.requests:
        real = _send(server.address, req, context if req.tls else None)
        evaluation = evaluate(
            config,
            NginxRequest(
                method=req.method,
                scheme="https" if req.tls else "http",
                host=req.host,
                path_and_query=req.path,
                local_address=server.address,
                local_port=req.port,
                headers=req.headers,
                http_version=req.version,
                remote_address="127.0.0.1",
            ),
        )
        if evaluation.unsupported:
            record(agreed=None, reason=evaluation.unsupported[0].reason)
            continue
        response = evaluation.response
        if response is None:
            # A content handler decides (static files, proxy_pass): the config alone
            # names the handler, not the status; the evaluator says so and we count it.
            assert evaluation.handler is not None, evaluation
            record(agreed=None, handed_off=True)
            continue
        predicted: Observed | None = None
        if response is not None:
            location = response.location
            if location is not None:
                # A decoded %0d%0a in $uri splits the header on the wire (gixy's
                # http_splitting): the client reads the value only up to the CR/LF.
                location = location.replace("\n", "\r").split("\r")[0]
            predicted = (
                response.status,
                location,
                response.header("Strict-Transport-Security"),
            )
        label = f"{group.name}: {req.method} {req.path} Host={req.host} port={req.port}"
        agreed = predicted == real
        record(agreed=agreed, detail=f"{label}: nginx {real}, predicted {predicted}")
        if not agreed:
            failures.append(
                f"{label}\n    nginx     {real}\n    predicted {predicted}"
                f" handler={evaluation.handler}"
            )
    FIGURES.groups += 1
    FIGURES.seconds += time.perf_counter() - started
    assert not failures, "\n".join(failures)
