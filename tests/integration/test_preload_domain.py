"""``httpdoctor preload`` against real nginx sites on loopback, one site per failure.

Each site runs on its own 127.0.0.N (ports 80 and 443) with certificates from the
session's trustme CA, and is reached through ``--resolve`` for ``site.test`` and
``www.site.test``. ``site.test`` falls under the Public Suffix List's default rule, as in
Go: ``test`` is its suffix and ``site.test`` a registrable domain. Every run's JSON is
checked against docs/json/preload.schema.json, and the codes against the reference's
order (hsts-preload-spec.md §1.6-§1.8).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

from tests.conftest import run_cli

if TYPE_CHECKING:
    from tests.servers.conftest_fixtures import NginxFactory
    from tests.servers.pki import PKI

pytestmark = pytest.mark.integration

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "json" / "preload.schema.json").read_text()
)
GOOD = "max-age=63072000; includeSubDomains; preload"
NAMES = "site.test,www.site.test,other.test"

HTTP_TO_HTTPS = "return 301 https://site.test/;"


def _site(
    https_body: str = 'return 200 "secure\\n";',
    *,
    http_body: str | None = HTTP_TO_HTTPS,
    sts: str | None = GOOD,
    cert: str = NAMES,
    tls: str = "",
    https: bool = True,
) -> list[str]:
    """nginx server blocks for site.test (and www/other on the same certificate)."""
    blocks = []
    if http_body is not None:
        blocks.append(
            "server {\n    listen {{addr}}:80;\n    server_name site.test www.site.test;\n"
            f"    {http_body}\n}}\n"
        )
    if https:
        header = f'add_header Strict-Transport-Security "{sts}" always;' if sts else ""
        blocks.append(
            "server {\n    listen {{addr}}:443 ssl;\n"
            "    server_name site.test www.site.test other.test;\n"
            f"    ssl_certificate {{{{cert:{cert}}}}};\n"
            f"    ssl_certificate_key {{{{key:{cert}}}}};\n"
            f"    {tls}\n    {header}\n    {https_body}\n}}\n"
        )
    return blocks


def _preload(address: str, pki: PKI, *args: str) -> dict[str, Any]:
    result = run_cli(
        "preload", *args,
        "--resolve", f"site.test:*:{address}",
        "--resolve", f"www.site.test:*:{address}",
        "--resolve", f"other.test:*:{address}",
        "--cacert", str(pki.ca_pem_path),
        "--json",
    )  # fmt: skip
    assert result.stderr == "", result.stderr
    payload: dict[str, Any] = result.json
    jsonschema.validate(payload, SCHEMA)
    assert result.exit_code == (0 if payload["status"]["passed"] else 1)
    return payload


def _codes(payload: dict[str, Any]) -> tuple[list[str], list[str]]:
    return [i["code"] for i in payload["errors"]], [i["code"] for i in payload["warnings"]]


# Each case: the nginx blocks, the extra CLI words, the expected (errors, warnings).
CASES: dict[str, tuple[list[str], tuple[str, ...], tuple[list[str], list[str]]]] = {
    "eligible": (_site(), (), ([], [])),
    "missing-redirect": (
        _site(http_body='return 200 "plain\\n";'),
        (),
        (["redirects.http.no_redirect"], []),
    ),
    "redirect-to-another-host-first": (
        _site(http_body="return 301 https://other.test/;"),
        (),
        (["redirects.http.first_redirect.insecure"], []),
    ),
    "www-first": (
        _site(http_body="return 301 https://www.site.test/;"),
        (),
        (["redirects.http.www_first"], []),
    ),
    "http-chain-over-3": (
        _site(
            "location = /1 { return 301 /2; } location = /2 { return 301 /3; } "
            "location = /3 { return 301 /4; } location / { return 200; }",
            http_body="return 301 https://site.test/1;",
        ),
        (),
        (["redirects.too_many"], []),
    ),
    "https-chain-over-3": (
        _site(
            "location = / { return 301 /a; } location = /a { return 301 /b; } "
            "location = /b { return 301 /c; } location = /c { return 301 /d; } "
            "location / { return 200; }"
        ),
        (),
        # The http chain goes through the same redirects: both sides report it.
        (["redirects.too_many", "redirects.too_many"], []),
    ),
    "header-missing-on-first-redirect": (
        _site(
            # A location with its own add_header drops the server-level one (nginx).
            "location = /landing { add_header X-Landing 1; return 301 /; } location / { return 200; }",  # noqa: E501
            http_body="return 301 https://site.test/landing;",
        ),
        (),
        (["redirects.http.first_redirect.no_hsts"], []),
    ),
    "first-redirect-unreachable": (
        _site(http_body="return 301 https://site.test:8443/;"),
        (),
        (["redirects.follow_error", "redirects.http.first_redirect.invalid"], []),
    ),
    "http-https-http-insecure-hop": (
        _site(
            "location = /a { return 301 http://site.test/plain; } location / { return 200; }",
            http_body='location = /plain { return 200 "plain\\n"; } '
            "location / { return 301 https://site.test/a; }",
        ),
        (),
        (["redirects.insecure.subsequent"], []),
    ),
    "https-redirects-to-http": (
        _site(
            "location = / { return 301 http://site.test/plain; } location / { return 200; }",
            http_body='location = /plain { return 200 "plain\\n"; } '
            "location / { return 301 https://site.test/home; }",
        ),
        (),
        (["redirects.insecure.initial"], []),
    ),
    "http-sends-hsts": (
        _site(http_body=f'add_header Strict-Transport-Security "{GOOD}" always; {HTTP_TO_HTTPS}'),
        (),
        ([], ["redirects.http.useless_header"]),
    ),
    "http-unavailable": (_site(http_body=None), (), ([], ["redirects.http.does_not_exist"])),
    "no-header": (_site(sts=None), (), (["response.no_header"], [])),
    "multiple-headers": (
        _site(f'add_header Strict-Transport-Security "{GOOD}" always; return 200;'),
        (),
        (["response.multiple_headers"], []),
    ),
    "weak-header": (
        _site(sts="max-age=300"),
        (),
        (
            [
                "header.preloadable.include_sub_domains.missing",
                "header.preloadable.preload.missing",
                "header.preloadable.max_age.below_1_year",
            ],
            [],
        ),
    ),
    "eighteen-weeks-policy-still-checks-the-first-redirect-for-a-year": (
        _site(sts="max-age=10886400; includeSubDomains; preload"),
        ("--policy", "18-weeks"),
        (["redirects.http.first_redirect.no_hsts"], []),
    ),
    "obsolete-cipher-suite": (
        _site(tls="ssl_protocols TLSv1.2; ssl_ciphers ECDHE-ECDSA-AES128-SHA256;"),
        (),
        ([], ["tls.obsolete_cipher_suite"]),
    ),
    "www-without-https": (
        _site(cert="site.test,other.test"),
        (),
        (["domain.www.no_tls"], []),
    ),
    "cannot-connect": (_site(https=False), (), (["domain.tls.cannot_connect"], [])),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_site_gets_the_references_codes(
    name: str, nginx_server: NginxFactory, pki: PKI
) -> None:
    blocks, args, expected = CASES[name]
    server = nginx_server(blocks)
    payload = _preload(server.address, pki, *args, "site.test")
    assert _codes(payload) == (list(expected[0]), list(expected[1]))


def test_an_eligible_site_says_what_was_seen_and_not_checked(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    server = nginx_server(_site())
    payload = _preload(server.address, pki, "site.test")
    status = payload["status"]
    assert status["passed"] is True and status["header"] == GOOD
    assert status["check"] == "preloadable" and status["policy"] == "bulk-1-year"
    assert status["preload_list"]["listed"] is False
    # Python 3.11's ssl shows the leaf only: the SHA-1 check says so instead of guessing.
    assert [n["code"] for n in status["not_checked"]] in ([], ["domain.tls.sha1"])


def test_a_certificate_the_client_does_not_trust_stops_the_scan(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    bad = pki.issue_untrusted("site.test", "www.site.test")
    server = nginx_server(_site(cert="bad"), certs={"bad": bad})
    payload = _preload(server.address, pki, "site.test")
    assert _codes(payload) == (["domain.tls.invalid_cert_chain"], [])
    assert payload["status"]["header"] is None


def test_a_subdomain_is_reported_and_its_www_is_not_dialled(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    server = nginx_server(_site(http_body="return 301 https://www.site.test/;"))
    payload = _preload(server.address, pki, "www.site.test")
    assert _codes(payload) == (["domain.is_subdomain"], [])
    assert "site.test" in payload["errors"][0]["message"]


@pytest.mark.parametrize(
    ("sts", "errors"),
    [("max-age=0", []), (GOOD, ["header.removable.contains.preload"])],
)
def test_removable_reads_only_the_https_header(
    sts: str, errors: list[str], nginx_server: NginxFactory, pki: PKI
) -> None:
    server = nginx_server(_site(sts=sts, http_body=None))
    payload = _preload(server.address, pki, "removable", "site.test")
    assert _codes(payload) == (errors, [])
    assert payload["status"]["check"] == "removable" and payload["status"]["header"] == sts


def test_the_text_report_explains_itself_in_russian(nginx_server: NginxFactory, pki: PKI) -> None:
    server = nginx_server(_site(http_body="return 301 https://www.site.test/;"))
    result = run_cli(
        "preload", "site.test", "--lang", "ru",
        "--resolve", f"site.test:*:{server.address}",
        "--resolve", f"www.site.test:*:{server.address}",
        "--cacert", str(pki.ca_pem_path),
    )  # fmt: skip
    assert result.exit_code == 1, result.stderr
    assert "redirects.http.www_first" in result.stdout
    assert "HTTP сначала перенаправляет на www" in result.stdout
    assert "Не подходит" in result.stdout
