"""Differential: ``trace --as curl`` lists the same hops as the real ``curl -L``.

curl runs with ``-v`` and its request and status lines are read back: every
``> METHOD path`` with its ``Host``, every ``< HTTP/x status`` (the version too: the
https server speaks HTTP/2, which curl asks for over TLS). Same nginx, same input.
"""

from __future__ import annotations

import re
import subprocess
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import run_cli

if TYPE_CHECKING:
    from tests.servers.conftest_fixtures import NginxFactory
    from tests.servers.pki import PKI

pytestmark = pytest.mark.integration

SITE = """
server {
    listen {{addr}}:80;
    server_name site.test other.site.test;
    location = /301 { return 301 /end; }
    location = /302 { return 302 /end; }
    location = /303 { return 303 /end; }
    location = /307 { return 307 /end; }
    location = /308 { return 308 /end; }
    location = /absolute { return 302 http://other.site.test/end; }
    location = /to-https { return 301 https://site.test/secure; }
    location = /chain { return 302 /chain2; }
    location = /chain2 { return 307 /chain3; }
    location = /chain3 { return 301 /end; }
    location = /loop { return 302 /loop; }
    location = /multiple { return 300 /end; }
    location = /end { return 200 "end $request_method\\n"; }
}
server {
    listen {{addr}}:443 ssl http2;
    server_name site.test;
    ssl_certificate {{cert:site.test}};
    ssl_certificate_key {{key:site.test}};
    add_header Strict-Transport-Security "max-age=600" always;
    location = /secure { return 302 http://site.test/end; }
    location / { return 200 "secure\\n"; }
}
"""

_REQUEST = re.compile(r"^> (\S+) (\S+) HTTP/[\d.]+$")
_HOST = re.compile(r"^> Host: (\S+)$", re.IGNORECASE)
_STATUS = re.compile(r"^< HTTP/([\d.]+) (\d{3})")


Hop = tuple[str, str, int, str]  # method, URL, status, HTTP version ("1.1", "2")


def _curl_hops(url: str, args: list[str], data: str | None) -> list[Hop]:
    command = ["curl", "-sS", "-v", "-L", "-o", "/dev/null", "--max-time", "10", *args, url]
    if data is not None:
        command[1:1] = ["-d", data]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    hops: list[Hop] = []
    method = path = None
    scheme = "https" if url.startswith("https:") else "http"
    for line in done.stderr.splitlines():
        line = line.rstrip("\r")
        if m := _REQUEST.match(line):
            method, path = m[1], m[2]
        elif (m := _HOST.match(line)) and method and path:
            host = m[1]
            hops.append((method, f"{scheme}://{host}{path}", 0, ""))
        elif (m := _STATUS.match(line)) and hops:
            hops[-1] = (hops[-1][0], hops[-1][1], int(m[2]), m[1])
        elif line.startswith("* Issue another request to this URL:"):
            scheme = line.split("'", 2)[1].split(":", 1)[0]
        elif line.startswith("* Switched from HTTP to HTTPS due to HSTS"):
            scheme = "https"
    return hops


def _our_hops(url: str, args: list[str], data: str | None) -> tuple[list[Hop], Any]:
    extra = ["-d", data] if data is not None else []
    result = run_cli("trace", url, "--as", "curl", "--json", *extra, *args)
    payload = result.json
    hops = [
        (h["method"], h["url"], h["status"] or 0, (h["http_version"] or "").removeprefix("HTTP/"))
        for h in payload["hops"]
    ]
    return hops, payload


CASES = [
    ("/301", None),
    ("/302", None),
    ("/303", None),
    ("/307", None),
    ("/308", None),
    ("/301", "a=1"),
    ("/302", "a=1"),
    ("/303", "a=1"),
    ("/307", "a=1"),
    ("/308", "a=1"),
    ("/absolute", None),
    ("/absolute", "a=1"),
    ("/chain", None),
    ("/chain", "a=1"),
    ("/multiple", None),
    ("/to-https", None),
    ("/loop", None),
]


@pytest.mark.parametrize(
    ("path", "data"), CASES, ids=[f"{p}-{'POST' if d else 'GET'}" for p, d in CASES]
)
def test_trace_as_curl_matches_real_curl(
    nginx_server: NginxFactory, pki: PKI, path: str, data: str | None
) -> None:
    site = nginx_server(SITE)
    args = [
        "--resolve", f"site.test:80:{site.address}",
        "--resolve", f"site.test:443:{site.address}",
        "--resolve", f"other.site.test:80:{site.address}",
        "--cacert", str(pki.ca_pem_path),
    ]  # fmt: skip
    url = f"http://site.test{path}"
    theirs = _curl_hops(url, args, data)
    ours, payload = _our_hops(url, args, data)
    assert theirs, "curl printed no request lines"
    assert ours == theirs
    if path == "/loop":
        assert payload["outcome"] == "redirect-loop" and len(ours) == 51
    if path == "/to-https":  # the https hops really were HTTP/2 on both sides
        assert [version for *_, version in ours] == ["1.1", "2", "2"]


def test_a_given_referer_goes_on_every_hop_as_curl_sends_it(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    site = nginx_server(SITE)
    args = [
        "--resolve", f"site.test:80:{site.address}",
        "--resolve", f"other.site.test:80:{site.address}",
    ]  # fmt: skip
    page = "https://elsewhere.test/page"
    command = ["curl", "-sS", "-v", "-L", "-o", "/dev/null", "-e", page, *args]
    done = subprocess.run([*command, "http://site.test/absolute"], capture_output=True, text=True)
    theirs = [
        line.removeprefix("> Referer: ").rstrip("\r")
        for line in done.stderr.splitlines()
        if line.startswith("> Referer: ")
    ]
    _, payload = _our_hops("http://site.test/absolute", [*args, "-e", page], None)
    ours = [v for h in payload["hops"] for k, v in h["request_headers"] if k == "Referer"]
    assert theirs == ours == [page, page]  # across the host change too
