"""What ``lint --nginx`` claims, checked against the real nginx 1.22 running the same config.

Each test starts nginx on its own 127.0.0.N, lints the very configuration file nginx
reads (lines marked ``# expect`` must be the ones reported), then sends the request that
shows the consequence: the 500 of a rewrite cycle, the missing HSTS header, the location
that really answers, the Location nginx really sends.

The harness binds loopback addresses only, and loopback-only listens count as "behind a
proxy" for some rules. Where a rule's proof needs a publicly reachable listen, the lint
reads a copy with the address replaced by 203.0.113.7 (TEST-NET-3, never contacted): the
same configuration as it would stand on a public server.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from httpdoctor.servers.nginx.lint import LintFinding, rule_named
from tests.nginx_lint_text import from_text, load
from tests.servers.loopback import ConfigRejected

if TYPE_CHECKING:
    from tests.servers.conftest_fixtures import NginxFactory
    from tests.servers.nginx import NginxServer
    from tests.servers.pki import PKI

pytestmark = pytest.mark.integration

PUBLIC = "203.0.113.7"


@dataclass(frozen=True, slots=True)
class Reply:
    """A response as the test needs it."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes


def _get(address: str, path: str, *, host: str, tls: ssl.SSLContext | None = None) -> Reply:
    port = 443 if tls else 80
    sock = socket.create_connection((address, port), timeout=3)
    try:
        if tls is not None:
            sock = tls.wrap_socket(sock, server_hostname=host)
        connection = http.client.HTTPConnection(host, port, timeout=3)
        connection.sock = sock
        connection.request("GET", path, headers={"Host": host, "Connection": "close"})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        sock.close()


def _lint(server: NginxServer, rule_id: str, tmp_path: Path, *, public: bool) -> list[LintFinding]:
    """The rule's findings on nginx's own config file, whose marked lines they must be."""
    text = server.config_path.read_text(encoding="utf-8")
    if public:
        config = from_text(text.replace(server.address, PUBLIC), tmp_path)
    else:
        config = load(server.config_path)
    found = [f for f in rule_named(rule_id).check(config)]
    marked = {n for n, line in enumerate(text.splitlines(), 1) if "# expect" in line}
    assert {f.span.line for f in found} == marked
    return found


def test_a_reported_rewrite_cycle_is_a_500_in_nginx(
    nginx_server: NginxFactory, tmp_path: Path
) -> None:
    server = nginx_server(
        """
        server {
            listen {{addr}}:80;
            server_name site.test;
            location /a { rewrite ^ /b last; }  # expect
            location /b { rewrite ^/b(.*)$ /a$1 last; }
            location /media/ { rewrite ^/media/(.*)$ /media/files/$1 last; }  # expect
            location /c2 { rewrite ^ /c3 last; }
            location /c3 { rewrite ^ /c4 last; }
            location /c4 { rewrite ^ /c5 last; }
            location /c5 { rewrite ^ /c6 last; }
            location /c6 { rewrite ^ /c7 last; }
            location /c7 { rewrite ^ /c8 last; }
            location /c8 { rewrite ^ /c9 last; }
            location /c9 { rewrite ^ /d10 last; }
            location /d10 { rewrite ^ /d11 last; }
            location /d11 { rewrite ^ /end last; }
            location /end { return 200 "end\\n"; }
        }
        """
    )
    for finding in _lint(server, "rewrite-cycle", tmp_path, public=False):
        uri = finding.param("uri")
        assert uri is not None
        assert _get(server.address, uri, host="site.test").status == 500, uri
    # Ten changes are within nginx's limit: not reported, and answered.
    assert _get(server.address, "/c2", host="site.test").body == b"end\n"


def test_a_nested_add_header_really_drops_hsts(
    nginx_server: NginxFactory, pki: PKI, tmp_path: Path
) -> None:
    server = nginx_server(
        """
        server {
            listen {{addr}}:443 ssl;
            server_name site.test;
            ssl_certificate {{cert:site.test}};
            ssl_certificate_key {{key:site.test}};
            add_header Strict-Transport-Security "max-age=300" always;
            location / { return 200 "home\\n"; }
            location /api/ {
                add_header X-Api yes;  # expect
                return 200 "api\\n";
            }
        }
        """
    )
    _lint(server, "hsts-dropped-in-nested-block", tmp_path, public=False)
    tls = pki.client_context()
    home = _get(server.address, "/", host="site.test", tls=tls)
    api = _get(server.address, "/api/x", host="site.test", tls=tls)
    assert home.headers["Strict-Transport-Security"] == "max-age=300"
    assert api.headers["X-Api"] == "yes"
    assert api.headers["Strict-Transport-Security"] is None


def test_hsts_without_always_is_missing_from_errors(
    nginx_server: NginxFactory, pki: PKI, tmp_path: Path
) -> None:
    server = nginx_server(
        """
        server {
            listen {{addr}}:443 ssl;
            server_name site.test;
            ssl_certificate {{cert:site.test}};
            ssl_certificate_key {{key:site.test}};
            add_header Strict-Transport-Security "max-age=300";  # expect
            location = / { return 200 "home\\n"; }
            location / { return 404; }
        }
        """
    )
    _lint(server, "hsts-without-always", tmp_path, public=False)
    tls = pki.client_context()
    assert _get(server.address, "/", host="site.test", tls=tls).headers["Strict-Transport-Security"]
    missing = _get(server.address, "/nope", host="site.test", tls=tls)
    assert missing.status == 404
    assert missing.headers["Strict-Transport-Security"] is None


def test_an_unreachable_location_never_answers(nginx_server: NginxFactory, tmp_path: Path) -> None:
    server = nginx_server(
        """
        server {
            listen {{addr}}:80;
            server_name site.test;
            location /images/ { return 200 "prefix\\n"; }  # expect
            location ~* ^/images { return 200 "regex\\n"; }
            location ^~ /static/ { return 200 "noregex\\n"; }
            location ~ ^/static/.*\\.css$ { return 200 "css\\n"; }  # expect
            location /.well-known/acme-challenge/ { return 200 "acme\\n"; }  # expect
            location ~ /\\. { return 403; }
        }
        """
    )
    _lint(server, "unreachable-location", tmp_path, public=False)
    assert _get(server.address, "/images/a.png", host="site.test").body == b"regex\n"
    assert _get(server.address, "/static/a.css", host="site.test").body == b"noregex\n"
    assert _get(server.address, "/.well-known/acme-challenge/t", host="site.test").status == 403


def test_server_name_in_a_catch_all_redirect_is_the_text_itself(
    nginx_server: NginxFactory, tmp_path: Path
) -> None:
    server = nginx_server(
        """
        server {
            listen {{addr}}:80 default_server;
            server_name _;
            return 301 https://$server_name$request_uri;  # expect
        }
        """
    )
    (finding,) = _lint(server, "redirect-server-name-not-hostname", tmp_path, public=False)
    reply = _get(server.address, "/page?x=1", host="site.test")
    assert reply.headers["Location"] == "https://_/page?x=1"
    assert finding.param("location") == "https://_/…"


def test_a_host_redirect_in_the_server_it_targets_points_at_itself(
    nginx_server: NginxFactory, pki: PKI, tmp_path: Path
) -> None:
    server = nginx_server(
        """
        server {
            listen {{addr}}:443 ssl;
            server_name www.site.test;
            ssl_certificate {{cert:www.site.test}};
            ssl_certificate_key {{key:www.site.test}};
            return 301 https://$host$request_uri;  # expect
        }
        """
    )
    _lint(server, "redirect-host-self-loop", tmp_path, public=True)
    reply = _get(server.address, "/a?b=1", host="www.site.test", tls=pki.client_context())
    assert reply.headers["Location"] == "https://www.site.test/a?b=1"


def test_return_and_rewrite_to_https_without_a_code_are_302(
    nginx_server: NginxFactory, tmp_path: Path
) -> None:
    server = nginx_server(
        """
        server {
            listen {{addr}}:80;
            server_name site.test;
            location /r { return https://site.test$request_uri; }  # expect
            location /w { rewrite ^ https://$host$request_uri last; }  # expect
        }
        """
    )
    _lint(server, "http-to-https-temporary-redirect", tmp_path, public=True)
    for path in ("/r", "/w"):
        reply = _get(server.address, path, host="site.test")
        assert (reply.status, reply.headers["Location"]) == (302, f"https://site.test{path}")


def test_behind_a_proxy_nginx_puts_its_own_port_and_scheme_in_location(
    nginx_server: NginxFactory, tmp_path: Path
) -> None:
    server = nginx_server(
        """
        server {
            listen {{addr}}:8080;
            server_name app.site.test;
            location = /docs { return 301 /docs/; }  # expect
        }
        """,
        ports=[8080],
    )
    _lint(server, "redirect-port-leak", tmp_path, public=False)
    connection = http.client.HTTPConnection(server.address, 8080, timeout=3)
    connection.request("GET", "/docs", headers={"Host": "app.site.test"})
    location = connection.getresponse().headers["Location"]
    connection.close()
    assert location == "http://app.site.test:8080/docs/"


def test_nginx_refuses_the_second_default_server(
    nginx_server: NginxFactory, tmp_path: Path
) -> None:
    servers = """
        server { listen {{addr}}:80 default_server; server_name a.test; }
        server { listen {{addr}}:80 default_server; server_name b.test; }  # expect
    """
    lines = [line.strip().replace("{{addr}}", PUBLIC) for line in servers.strip().splitlines()]
    config = from_text("events {}\nhttp {\n" + "\n".join(lines) + "\n}\n", tmp_path)
    (finding,) = rule_named("duplicate-default-server").check(config)
    assert finding.span.line == 4
    with pytest.raises(ConfigRejected, match="duplicate default server"):
        nginx_server(servers)
