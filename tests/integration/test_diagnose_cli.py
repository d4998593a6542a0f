"""``httpdoctor diagnose`` against real nginx: the founding case, a clean site, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from referencing import Registry, Resource

from tests.conftest import run_cli
from tests.integration.test_trace_nginx import (
    PARENT_WITH_INCLUDE_SUBDOMAINS,
    SUBDOMAIN_WITHOUT_ITS_CERTIFICATE,
)

if TYPE_CHECKING:
    from tests.servers.conftest_fixtures import ApacheFactory, NginxFactory
    from tests.servers.pki import PKI

pytestmark = pytest.mark.integration

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "json"

CLEAN_SITE = """
server {
    listen {{addr}}:80;
    server_name good.test;
    return 301 https://good.test$request_uri;
}
server {
    listen {{addr}}:443 ssl;
    server_name good.test;
    ssl_certificate {{cert:good.test}};
    ssl_certificate_key {{key:good.test}};
    add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;
    location / { return 200 "fine\\n"; }
}
"""


def _validate(payload: Any) -> None:
    trace = json.loads((SCHEMAS / "trace.schema.json").read_text())
    schema = json.loads((SCHEMAS / "diagnose.schema.json").read_text())
    registry: Registry[Any] = Registry().with_resource(
        "https://httpdoctor.invalid/schema/trace.schema.json", Resource.from_contents(trace)
    )
    jsonschema.Draft202012Validator(schema, registry=registry).validate(payload)


def test_the_founding_case_is_named_with_its_source_and_fixes(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    parent = nginx_server(PARENT_WITH_INCLUDE_SUBDOMAINS)
    vps = nginx_server(SUBDOMAIN_WITHOUT_ITS_CERTIFICATE)
    result = run_cli(
        "diagnose", "http://info.site.test/", "--json",
        "--resolve", f"site.test:443:{parent.address}",
        "--resolve", f"info.site.test:80:{vps.address}",
        "--resolve", f"info.site.test:443:{vps.address}",
        "--cacert", str(pki.ca_pem_path),
    )  # fmt: skip
    assert result.exit_code == 1, result.stderr
    _validate(result.json)
    first = result.json["findings"][0]
    assert first["id"] == "hsts-upgrade-to-broken-https" and first["severity"] == "error"
    assert first["params"]["source_host"] == "site.test"
    evidence = " ".join(e["text"] for e in first["evidence"])
    assert "panel.other.test" in evidence and "curl" in evidence
    assert {fix["for"] for fix in first["fixes"]} >= {"generic", "panel", "nginx", "browser"}
    assert any("certbot" in (fix["snippet"] or "") for fix in first["fixes"])
    kinds = {p["kind"] for p in result.json["probes"]}
    assert kinds == {"curl", "other-scheme", "fresh-browser"}


def test_a_well_configured_site_has_no_errors_and_exits_0(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    site = nginx_server(CLEAN_SITE)
    result = run_cli(
        "diagnose", "http://good.test/", "--json",
        "--resolve", f"good.test:*:{site.address}", "--cacert", str(pki.ca_pem_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.json["findings"]
    _validate(result.json)
    assert not [f for f in result.json["findings"] if f["severity"] == "error"]


def test_the_text_report_speaks_russian(nginx_server: NginxFactory, pki: PKI) -> None:
    parent = nginx_server(PARENT_WITH_INCLUDE_SUBDOMAINS)
    vps = nginx_server(SUBDOMAIN_WITHOUT_ITS_CERTIFICATE)
    result = run_cli(
        "diagnose", "http://info.site.test/", "--lang", "ru",
        "--resolve", f"site.test:443:{parent.address}",
        "--resolve", f"info.site.test:*:{vps.address}",
        "--cacert", str(pki.ca_pem_path),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Браузер сам переводит info.site.test на https" in result.stdout
    assert "[шаг 0]" in result.stdout and "Как исправить" in result.stdout


def test_bad_diagnose_input_exits_2() -> None:
    result = run_cli("diagnose", "ftp://x.test/")
    assert result.exit_code == 2 and result.stderr.startswith("error: ")


# A shop whose checkout handler refuses Origin: null as a CSRF check would (Django's
# words in the body). {target} is where shop.test/checkout sends the POST with a 308.
SHOP = """
server {
    listen {{addr}}:80;
    server_name shop.test www.shop.test;
    return 308 https://$host$request_uri;
}
server {
    listen {{addr}}:443 ssl;
    server_name shop.test www.shop.test;
    ssl_certificate {{cert:shop.test,www.shop.test}};
    ssl_certificate_key {{key:shop.test,www.shop.test}};
    add_header Strict-Transport-Security "max-age=63072000" always;
    location = /checkout {
        if ($host = shop.test) { return 308 TARGET; }
        return 200 "ordered\\n";
    }
    location = /order {
        if ($http_origin = "null") {
            return 403 "Origin checking failed - null does not match any trusted origins.\\n";
        }
        return 200 "ordered\\n";
    }
}
"""


def _shop(nginx_server: NginxFactory, pki: PKI, target: str) -> Any:
    site = nginx_server(SHOP.replace("TARGET", target))
    return run_cli(
        "diagnose", "https://shop.test/checkout", "--json",
        "-X", "POST", "-d", "a=1", "-e", "https://shop.test/cart",
        "--resolve", f"shop.test:*:{site.address}",
        "--resolve", f"www.shop.test:*:{site.address}",
        "--cacert", str(pki.ca_pem_path),
    )  # fmt: skip


def test_a_post_refused_after_a_cross_origin_redirect_is_origin_null(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    result = _shop(nginx_server, pki, "https://www.shop.test/order")
    assert result.exit_code == 1, result.stderr
    _validate(result.json)
    hops = result.json["trace"]["hops"]
    assert [h["status"] for h in hops] == [308, 403]
    assert ["Origin", "null"] in hops[1]["request_headers"]
    found = [f for f in result.json["findings"] if f["id"] == "origin-null-after-redirect"]
    assert len(found) == 1 and found[0]["severity"] == "error"
    params = found[0]["params"]
    assert params["from_url"] == "https://shop.test/checkout"
    assert params["to_origin"] == "https://www.shop.test"
    assert params["final_status"] == "403" and params["page_origin"] == "https://shop.test"
    evidence = " ".join(e["text"] for e in found[0]["evidence"])
    assert "Origin: null" in evidence and "curl -L" in evidence  # curl sends no Origin: 200
    assert {fix["for"] for fix in found[0]["fixes"]} >= {"generic", "nginx", "apache", "app"}
    # -e reaches every trace diagnose runs, not only the main one.
    page = "https://shop.test/cart"
    assert all(p["trace"]["request"]["referrer"] == page for p in result.json["probes"])


def test_a_same_origin_redirect_keeps_the_page_origin_and_the_post_goes_through(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    result = _shop(nginx_server, pki, "https://shop.test/order")
    assert result.json["trace"]["hops"][-1]["status"] == 200, result.stderr
    assert result.exit_code == 0, result.json["findings"]
    assert "origin-null-after-redirect" not in {f["id"] for f in result.json["findings"]}


# An application whose login callback sets the session and sends the browser on to /home,
# which sends a visitor without it to /login. CALLBACK is the /callback location's body.
APP = """
server {
    listen {{addr}}:80;
    server_name app.test;
    return 301 https://app.test$request_uri;
}
server {
    listen {{addr}}:8080;
    location = /callback {
        add_header Set-Cookie "session=1; Path=/; Secure; HttpOnly; SameSite=Strict";
        return 302 https://app.test/home;
    }
}
server {
    listen {{addr}}:443 ssl;
    server_name app.test;
    ssl_certificate {{cert:app.test}};
    ssl_certificate_key {{key:app.test}};
    add_header Strict-Transport-Security "max-age=63072000" always;
    location = /callback {
        CALLBACK
    }
    location = /home {
        if ($cookie_session = "") { return 302 /login; }
        return 200 "welcome\\n";
    }
    location = /login { return 200 "log in\\n"; }
}
"""
SETS_SESSION = """
        add_header Strict-Transport-Security "max-age=63072000" always;
        add_header Set-Cookie "session=1; Path=/; Secure; HttpOnly; SameSite=SAMESITE" always;
        return 302 /home;
"""


def _callback(nginx_server: NginxFactory, pki: PKI, callback: str, *post: str) -> Any:
    site = nginx_server(APP.replace("CALLBACK", callback))
    return run_cli(
        "diagnose", "https://app.test/callback", "--json", *post,
        "-e", "https://idp.test/login",
        "--resolve", f"app.test:*:{site.address}", "--cacert", str(pki.ca_pem_path),
    )  # fmt: skip


def _held_back(result: Any) -> list[dict[str, Any]]:
    return [f for f in result.json["findings"] if f["id"] == "cookie-held-back-by-samesite"]


def test_a_strict_session_set_by_a_cross_site_callback_is_held_back_and_the_user_logged_out(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    strict = SETS_SESSION.replace("SAMESITE", "Strict")
    result = _callback(nginx_server, pki, strict, "-X", "POST", "-d", "code=1")
    assert result.exit_code == 1, result.stderr
    _validate(result.json)
    hops = result.json["trace"]["hops"]
    assert [(h["method"], h["url"], h["status"]) for h in hops] == [
        ("POST", "https://app.test/callback", 302),
        ("GET", "https://app.test/home", 302),
        ("GET", "https://app.test/login", 200),
    ]
    [found] = _held_back(result)
    assert found["severity"] == "error" and found["hops"] == [0, 1]
    params = found["params"]
    assert (params["cookie"], params["kind"], params["ending"]) == ("session", "strict", "login")
    assert params["page_host"] == "idp.test" and params["lax_enough"] == "yes"
    evidence = " ".join(e["text"] for e in found["evidence"])
    assert "https://idp.test/login" in evidence and "SameSite=Strict" in evidence
    assert "session=…; Path=/; Secure; HttpOnly; SameSite=Strict" in evidence
    assert "https://app.test/login" in evidence
    assert {fix["for"] for fix in found["fixes"]} >= {"generic", "nginx", "apache", "app"}
    # The chain ends 200 at /login: no error page for error-at-end-of-chain to explain.
    assert "error-at-end-of-chain" not in {f["id"] for f in result.json["findings"]}


def test_a_lax_session_goes_with_the_get_of_a_cross_site_navigation(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    result = _callback(nginx_server, pki, SETS_SESSION.replace("SAMESITE", "Lax"))
    hops = result.json["trace"]["hops"]
    assert [(h["url"], h["status"]) for h in hops][-1] == ("https://app.test/home", 200)
    assert ["Cookie", "session=1"] in hops[-1]["request_headers"], result.stderr
    assert not _held_back(result)


def test_the_nginx_fix_the_finding_suggests_lets_the_session_through(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    behind = "proxy_pass http://{{addr}}:8080;"
    before = _callback(nginx_server, pki, behind, "-X", "POST", "-d", "code=1")
    [found] = _held_back(before)
    [snippet] = [f["snippet"] for f in found["fixes"] if f["for"] == "nginx"]
    [fix] = [line.strip() for line in snippet.splitlines() if "proxy_cookie_flags" in line]
    after = _callback(nginx_server, pki, f"{behind}\n{fix}", "-X", "POST", "-d", "code=1")
    assert after.json["trace"]["hops"][-1]["status"] == 200, after.json["findings"]
    assert not _held_back(after)


# The same application behind Apache: /callback proxied to it (on nginx, port 8080), and
# /script a CGI script that sets the same cookie. FIX is where the finding's lines go.
APACHE_APP = """
<VirtualHost {{addr}}:443>
    ServerName app.test
    SSLEngine on
    SSLCertificateFile    {{cert:app.test}}
    SSLCertificateKeyFile {{key:app.test}}
    ProxyPass /callback http://BACKEND:8080/callback
    ScriptAlias /script {{root}}/callback.cgi
    RewriteEngine On
    RewriteCond %{HTTP_COOKIE} !(^|;\\s*)session=
    RewriteRule ^/home$ /login [R=302,L]
    FIX
</VirtualHost>
"""
CGI_CALLBACK = (
    "#!/bin/sh\n"
    "printf 'Status: 302 Found\\r\\nLocation: https://app.test/home\\r\\n"
    "Set-Cookie: session=1; Path=/; Secure; HttpOnly; SameSite=Strict\\r\\n\\r\\n'\n"
)


def test_the_apache_fix_the_finding_suggests_lets_the_session_through(
    nginx_server: NginxFactory, apache_server: ApacheFactory, pki: PKI
) -> None:
    backend = nginx_server(APP.replace("CALLBACK", "return 404;"))
    strict = SETS_SESSION.replace("SAMESITE", "Strict")
    [found] = _held_back(_callback(nginx_server, pki, strict, "-X", "POST", "-d", "code=1"))
    [fix] = [f["snippet"] for f in found["fixes"] if f["for"] == "apache"]
    for lines in ("", fix):
        vhost = APACHE_APP.replace("BACKEND", backend.address).replace("FIX", lines)
        files = {"home": "welcome\n", "login": "log in\n", "callback.cgi": CGI_CALLBACK}
        site = apache_server(vhost, files=files, extra_modules=("proxy", "proxy_http", "cgi"))
        (site.root / "callback.cgi").chmod(0o755)
        for path in ("/callback", "/script"):
            result = run_cli(
                "diagnose", f"https://app.test{path}", "--json", "-X", "POST", "-d", "code=1",
                "-e", "https://idp.test/login",
                "--resolve", f"app.test:*:{site.address}", "--cacert", str(pki.ca_pem_path),
            )  # fmt: skip
            ending = [(h["url"], h["status"]) for h in result.json["trace"]["hops"]][-1]
            if lines:
                assert ending == ("https://app.test/home", 200), (path, result.json["trace"])
                assert not _held_back(result), path
            else:
                assert ending == ("https://app.test/login", 200), (path, result.json["trace"])
                assert _held_back(result), path
