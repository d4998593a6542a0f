"""The real-server harness works: nginx and Apache start privately, answer, fail loudly, stop."""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.servers import loopback
from tests.servers.loopback import (
    LOOPBACK_NETWORK,
    ConfigRejected,
    PlaceholderError,
    ServerError,
    ServerStartError,
    allocate_address,
    held_addresses,
    leftover_processes,
)

if TYPE_CHECKING:
    # The fixtures come from tests/conftest.py (pytest_plugins); these are annotations only.
    from tests.servers.conftest_fixtures import ApacheFactory, NginxFactory
    from tests.servers.pki import PKI

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _nothing_left_behind(server_workdir: Path) -> Iterator[None]:
    """Runs after the server factories' teardown: no process, no leased address."""
    yield
    assert leftover_processes(server_workdir) == []
    assert held_addresses() == frozenset()


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")


def request(
    address: str,
    path: str = "/",
    *,
    host: str,
    port: int = 80,
    tls: ssl.SSLContext | None = None,
    method: str = "GET",
) -> Reply:
    """One request to ``address:port`` with ``Host: host`` (and SNI ``host`` over TLS)."""
    sock = socket.create_connection((address, port), timeout=3)
    try:
        if tls is not None:
            sock = tls.wrap_socket(sock, server_hostname=host)
        connection = http.client.HTTPConnection(host, port, timeout=3)
        connection.sock = sock
        connection.request(method, path, headers={"Host": host, "Connection": "close"})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        sock.close()


def listener(address: str, port: int) -> socket.socket:
    """A socket listening on ``address:port`` (SO_REUSEADDR, as the servers set it)."""
    sock = socket.socket()
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
        sock.listen()
    except OSError:
        sock.close()
        raise
    return sock


@contextmanager
def squat(address: str, port: int) -> Iterator[None]:
    """Listen on ``address:port`` for the duration."""
    with listener(address, port):
        yield


def tls_error(address: str, host: str, context: ssl.SSLContext) -> ssl.SSLCertVerificationError:
    with pytest.raises(ssl.SSLCertVerificationError) as caught:
        request(address, host=host, port=443, tls=context)
    return caught.value


PLAIN_AND_TLS_NGINX = """
server {
    listen {{addr}}:80;
    server_name site.test;
    location = /     { return 200 "hello from nginx\\n"; }
    location = /old  { return 301 /new; }
}
server {
    listen {{addr}}:443 ssl;
    server_name site.test;
    ssl_certificate     {{cert:site.test}};
    ssl_certificate_key {{key:site.test}};
    return 200 "$scheme $ssl_server_name\\n";
}
"""


# -- nginx ------------------------------------------------------------------------------


def test_nginx_answers_200_and_301_on_port_80(nginx_server: NginxFactory) -> None:
    server = nginx_server(PLAIN_AND_TLS_NGINX)

    assert server.address in {f"127.0.0.{n}" for n in range(10, 255)}
    assert server.ports == (80, 443)
    ok = request(server.address, "/", host="site.test")
    assert (ok.status, ok.body) == (200, b"hello from nginx\n")
    moved = request(server.address, "/old", host="site.test")
    # On port 80 nginx leaves the port out of the absolute redirect (reference §4.1).
    assert (moved.status, moved.location) == (301, "http://site.test/new")
    # The oracle access-log line names the server block that answered.
    server.wait_for_access_log(
        '"site.test" "site.test" "GET /old HTTP/1.1" 301 "http://site.test/new"'
    )


def test_nginx_serves_tls_on_443_with_a_cert_from_the_session_ca(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    server = nginx_server(PLAIN_AND_TLS_NGINX)

    reply = request(server.address, host="site.test", port=443, tls=pki.client_context())

    assert (reply.status, reply.body) == (200, b"https site.test\n")
    # The same cert presented for another SNI name fails host-name verification.
    assert tls_error(server.address, "www.site.test", pki.client_context()).verify_code == 62


def test_the_deliberately_bad_certificates_fail_as_labelled(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    certs = {
        "good": pki.issue("good.test"),
        "wrong-name": pki.issue_wrong_name("wrong-name.test"),
        "expired": pki.issue_expired("expired.test"),
        "not-yet-valid": pki.issue_not_yet_valid("not-yet-valid.test"),
        "self-signed": pki.issue_self_signed("self-signed.test"),
        "untrusted-ca": pki.issue_untrusted("untrusted-ca.test"),
        "incomplete-chain": pki.issue_incomplete_chain("incomplete-chain.test"),
        "with-intermediate": pki.issue_with_intermediate("with-intermediate.test"),
    }
    blocks = [
        f"""
        server {{
            listen {{{{addr}}}}:443 ssl{" default_server" if name == "good" else ""};
            server_name {name}.test;
            ssl_certificate     {{{{cert:{name}}}}};
            ssl_certificate_key {{{{key:{name}}}}};
            return 200 "{name}\\n";
        }}
        """
        for name in certs
    ]
    server = nginx_server(blocks, certs=certs)
    context = pki.client_context()

    for good in ("good", "with-intermediate"):
        assert request(server.address, host=f"{good}.test", port=443, tls=context).status == 200
    expected_codes = {
        "wrong-name": 62,  # X509_V_ERR_HOSTNAME_MISMATCH
        "expired": 10,  # X509_V_ERR_CERT_HAS_EXPIRED
        "not-yet-valid": 9,  # X509_V_ERR_CERT_NOT_YET_VALID
        "self-signed": 18,  # X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
        "untrusted-ca": 20,  # X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        "incomplete-chain": 20,
    }
    codes = {
        name: tls_error(server.address, f"{name}.test", context).verify_code
        for name in expected_codes
    }
    assert codes == expected_codes


def test_a_rejected_nginx_config_raises_with_nginx_s_message(nginx_server: NginxFactory) -> None:
    with pytest.raises(ConfigRejected) as caught:
        nginx_server("server { listen {{addr}}:80; no_such_directive on; }")

    assert 'unknown directive "no_such_directive"' in caught.value.output
    assert "no_such_directive on;" in str(caught.value)  # the numbered config is attached


def test_nginx_is_never_allowed_to_bind_outside_its_address(nginx_server: NginxFactory) -> None:
    with pytest.raises(ServerError, match=r"`listen 80`"):
        nginx_server("server { listen 80; }")
    with pytest.raises(ServerError, match="without listen"):
        nginx_server("server { listen {{addr}}:80; } server { server_name b.test; }")


def test_unknown_placeholders_are_refused(nginx_server: NginxFactory) -> None:
    with pytest.raises(PlaceholderError, match=r"\{\{adr\}\}"):
        nginx_server("server { listen {{adr}}:80; }")


def test_a_server_that_never_listens_fails_with_its_logs(nginx_server: NginxFactory) -> None:
    with pytest.raises(ServerStartError, match=r"did not listen.*\[8081\]"):
        nginx_server(
            "server { listen {{addr}}:80; return 204; }", ports=(80, 8081), ready_timeout=0.2
        )


def test_two_nginx_instances_run_side_by_side(nginx_server: NginxFactory) -> None:
    block = 'server {{ listen {{{{addr}}}}:80; return 200 "{}\\n"; }}'
    first = nginx_server(block.format("first"))
    second = nginx_server(block.format("second"))

    assert first.address != second.address
    assert first.running and second.running
    assert request(first.address, host="site.test").body == b"first\n"
    assert request(second.address, host="site.test").body == b"second\n"

    first.stop()
    assert not first.running and second.running
    assert request(second.address, host="site.test").status == 200


# -- Apache -----------------------------------------------------------------------------

APACHE_VHOSTS = """
<VirtualHost {{addr}}:80>
    ServerName site.test
    RewriteEngine On
    RewriteRule ^/old$ /new [R=301,L]
</VirtualHost>
<VirtualHost {{addr}}:443>
    ServerName site.test
    SSLEngine on
    SSLCertificateFile    {{cert:site.test}}
    SSLCertificateKeyFile {{key:site.test}}
    Header always set X-Scheme "%{HTTPS}e"
</VirtualHost>
"""

APACHE_FILES = {
    "index.html": "hello from apache\n",
    "docs/.htaccess": "RewriteEngine On\nRewriteRule ^page$ /docs/other [R=302,L]\n",
}


def test_apache_rewrite_redirect_and_htaccess_rule(apache_server: ApacheFactory) -> None:
    server = apache_server(APACHE_VHOSTS, files=APACHE_FILES)

    home = request(server.address, "/", host="site.test")
    assert (home.status, home.body) == (200, b"hello from apache\n")
    assert (home.headers.get("Server") or "").startswith("Apache/2.4")
    moved = request(server.address, "/old", host="site.test")
    assert (moved.status, moved.location) == (301, "http://site.test/new")
    per_dir = request(server.address, "/docs/page", host="site.test")
    assert (per_dir.status, per_dir.location) == (302, "http://site.test/docs/other")
    assert "[perdir " in server.error_log_text()  # rewrite:trace3 is on
    server.wait_for_access_log(
        f'{server.address}:80 "site.test" "site.test" "GET /old HTTP/1.1" 301'
    )


def test_apache_serves_tls_on_443(apache_server: ApacheFactory, pki: PKI) -> None:
    server = apache_server(APACHE_VHOSTS, files=APACHE_FILES)

    reply = request(server.address, host="site.test", port=443, tls=pki.client_context())

    assert (reply.status, reply.body) == (200, b"hello from apache\n")
    assert reply.headers.get("X-Scheme") == "on"


def test_a_rejected_apache_config_raises_with_apache_s_message(
    apache_server: ApacheFactory,
) -> None:
    with pytest.raises(ConfigRejected) as caught:
        apache_server("<VirtualHost {{addr}}:80>\n    RewriteRule\n</VirtualHost>\n")

    assert "RewriteRule: bad argument line" in caught.value.output
    assert "Syntax error on line" in caught.value.output


def test_a_server_exiting_at_startup_reports_its_error_log(
    apache_server: ApacheFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A config that passes the syntax check but cannot run: its port is taken. Hand the
    # server an address we squat on; the squatter accepts connections, so readiness must
    # also check who owns the listener. (Apache, not nginx: nginx retries bind() for 2.5 s.)
    lease = allocate_address(ports=(80,))
    monkeypatch.setattr(loopback, "allocate_address", lambda ports: lease)
    with (
        squat(lease.address, 80),
        pytest.raises(ServerStartError, match="exited with status") as caught,
    ):
        apache_server("<VirtualHost {{addr}}:80>\n    ServerName a.test\n</VirtualHost>\n")
    assert caught.value.returncode not in (None, 0)
    assert "Address already in use" in caught.value.error_log
    assert f"{lease.address}:80" in caught.value.error_log


def test_apache_refuses_a_caller_supplied_listen(apache_server: ApacheFactory) -> None:
    with pytest.raises(ServerError, match="Listen"):
        apache_server("Listen 8080\n<VirtualHost {{addr}}:80>\n</VirtualHost>\n")


def test_apache_with_the_event_mpm_child_stops_completely(apache_server: ApacheFactory) -> None:
    server = apache_server(APACHE_VHOSTS, files=APACHE_FILES, single_process=False)
    assert request(server.address, "/old", host="site.test").status == 301
    assert server.made_prefix is not None
    assert len(leftover_processes(server.made_prefix)) >= 2  # parent + child

    server.stop()

    assert leftover_processes(server.made_prefix) == []


def test_nginx_and_apache_instances_run_concurrently(
    nginx_server: NginxFactory, apache_server: ApacheFactory
) -> None:
    servers = [
        nginx_server(PLAIN_AND_TLS_NGINX),
        apache_server(APACHE_VHOSTS, files=APACHE_FILES),
        apache_server(APACHE_VHOSTS, files=APACHE_FILES),
    ]

    assert len({server.address for server in servers}) == 3
    statuses = [request(server.address, "/old", host="site.test").status for server in servers]
    assert statuses == [301, 301, 301]


# -- addresses --------------------------------------------------------------------------


def test_addresses_are_unique_loopback_and_skip_busy_ones() -> None:
    with contextlib.ExitStack() as stack:
        first = stack.enter_context(allocate_address(ports=(80,)))
        # Occupy port 80 on a later address ourselves: the allocator must skip it.
        busy = stack.enter_context(squat_first_free_after(first.address, 80))
        second = stack.enter_context(allocate_address(ports=(80,)))

        assert len({first.address, busy, second.address}) == 3
        assert held_addresses() == {first.address, second.address}
        for address in (first.address, busy, second.address):
            assert ipaddress.IPv4Address(address) in LOOPBACK_NETWORK
    assert held_addresses() == frozenset()


@contextmanager
def squat_first_free_after(address: str, port: int) -> Iterator[str]:
    """Squat on ``port`` of the first address after ``address`` where that is possible."""
    host = int(address.rsplit(".", 1)[1])
    for candidate in (f"127.0.0.{n}" for n in range(host + 1, 255)):
        try:
            sock = listener(candidate, port)
        except OSError:
            continue
        with sock:
            yield candidate
        return
    pytest.fail("no loopback address left to squat on")
