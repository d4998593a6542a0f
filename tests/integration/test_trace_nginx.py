"""``httpdoctor trace`` against real nginx on loopback, with real TLS from a test CA.

Each site runs on its own 127.0.0.N at ports 80/443, and the trace reaches it through
``--resolve``, exactly as a user would point httpdoctor at a staging server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from referencing import Registry, Resource

from tests.conftest import run_cli

if TYPE_CHECKING:
    from tests.servers.conftest_fixtures import NginxFactory
    from tests.servers.pki import PKI

pytestmark = pytest.mark.integration

HAR_SCHEMAS = Path(__file__).resolve().parents[2] / ".cache" / "har-schema" / "lib"

PARENT_WITH_INCLUDE_SUBDOMAINS = """
server {
    listen {{addr}}:443 ssl;
    server_name site.test;
    ssl_certificate {{cert:site.test}};
    ssl_certificate_key {{key:site.test}};
    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
    return 200 "parent\\n";
}
"""

# The founding case: the subdomain's VPS answers http, and on 443 only a panel's default
# certificate for another name.
SUBDOMAIN_WITHOUT_ITS_CERTIFICATE = """
server {
    listen {{addr}}:80;
    server_name info.site.test;
    return 200 "plain http works\\n";
}
server {
    listen {{addr}}:443 ssl default_server;
    server_name _;
    ssl_certificate {{cert:panel.other.test}};
    ssl_certificate_key {{key:panel.other.test}};
    return 500;
}
"""


TRACE_SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "json" / "trace.schema.json").read_text()
)


def _trace(*args: str) -> dict[str, Any]:
    """Run a trace with --json; every payload is checked against the documented schema."""
    result = run_cli("trace", *args, "--json", "--timeout", "10")
    assert result.stderr == "", result.stderr
    payload: dict[str, Any] = result.json
    jsonschema.validate(payload, TRACE_SCHEMA)
    payload["_exit"] = result.exit_code
    return payload


def _hops(payload: dict[str, Any]) -> list[tuple[str, str, int | None, bool]]:
    return [(h["method"], h["url"], h["status"], h["synthetic"]) for h in payload["hops"]]


def test_parent_include_subdomains_makes_the_browser_upgrade_to_a_broken_https(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    parent = nginx_server(PARENT_WITH_INCLUDE_SUBDOMAINS)
    vps = nginx_server(SUBDOMAIN_WITHOUT_ITS_CERTIFICATE)
    resolve = [
        "--resolve", f"site.test:443:{parent.address}",
        "--resolve", f"info.site.test:80:{vps.address}",
        "--resolve", f"info.site.test:443:{vps.address}",
        "--cacert", str(pki.ca_pem_path),
    ]  # fmt: skip
    chrome = _trace("http://info.site.test/", *resolve)

    assert [p["host"] for p in chrome["probes"]] == ["info.site.test", "site.test"]
    assert chrome["probes"][1]["learned"] is True
    first, second = chrome["hops"]
    assert (first["status"], first["reason"], first["synthetic"]) == (
        307,
        "Internal Redirect",
        True,
    )
    assert first["location"] == "https://info.site.test/"
    assert ["Non-Authoritative-Reason", "HSTS"] in first["response_headers"]
    assert first["hsts_source"]["host"] == "site.test"
    assert first["hsts_source"]["via"] == "parent-includeSubDomains"
    assert "includeSubDomains" in first["hsts_source"]["header"]
    assert second["error"]["kind"] == "tls"
    assert second["tls"]["failure"] == "name-mismatch"
    assert second["tls"]["certificate"]["sans"] == ["panel.other.test"]
    assert chrome["outcome"] == "error" and chrome["_exit"] == 1

    curl = _trace("http://info.site.test/", "--as", "curl", *resolve)
    assert _hops(curl) == [("GET", "http://info.site.test/", 200, False)]
    assert curl["outcome"] == "ok" and curl["_exit"] == 0

    fresh = _trace("http://info.site.test/", "--fresh-browser", *resolve)
    assert _hops(fresh) == [("GET", "http://info.site.test/", 200, False)]


def test_the_text_report_names_the_policy_and_the_certificate(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    parent = nginx_server(PARENT_WITH_INCLUDE_SUBDOMAINS)
    vps = nginx_server(SUBDOMAIN_WITHOUT_ITS_CERTIFICATE)
    result = run_cli(
        "trace", "http://info.site.test/",
        "--resolve", f"site.test:443:{parent.address}",
        "--resolve", f"info.site.test:80:{vps.address}",
        "--resolve", f"info.site.test:443:{vps.address}",
        "--cacert", str(pki.ca_pem_path),
    )  # fmt: skip
    assert result.exit_code == 1
    out = result.stdout
    assert "307 Internal Redirect" in out
    assert "parent site.test covers subdomains" in out
    assert "panel.other.test" in out and "name-mismatch" in out


OWN_HSTS = """
server {
    listen {{addr}}:80;
    server_name site.test;
    return 301 https://site.test$request_uri;
}
server {
    listen {{addr}}:443 ssl;
    server_name site.test;
    ssl_certificate {{cert:site.test}};
    ssl_certificate_key {{key:site.test}};
    add_header Strict-Transport-Security "max-age=600" always;
    location = /clear { add_header Strict-Transport-Security "max-age=0" always; return 200; }
    location / { return 200 "secure\\n"; }
}
"""


def test_a_returning_browser_upgrades_by_the_hosts_own_policy(
    nginx_server: NginxFactory, pki: PKI
) -> None:
    site = nginx_server(OWN_HSTS)
    args = ["--resolve", f"site.test:*:{site.address}", "--cacert", str(pki.ca_pem_path)]
    payload = _trace("http://site.test/page", *args)
    assert _hops(payload) == [
        ("GET", "http://site.test/page", 307, True),
        ("GET", "https://site.test/page", 200, False),
    ]
    assert payload["hops"][0]["hsts_source"]["via"] == "dynamic"
    assert payload["hops"][1]["tls"]["verified"] is True

    fresh = _trace("http://site.test/page", "--fresh-browser", *args)
    assert _hops(fresh) == [
        ("GET", "http://site.test/page", 301, False),
        ("GET", "https://site.test/page", 200, False),
    ]


def test_hsts_store_remembers_between_runs_and_max_age_0_forgets(
    nginx_server: NginxFactory, pki: PKI, tmp_path: Path
) -> None:
    site = nginx_server(OWN_HSTS)
    store = tmp_path / "hsts.json"
    args = [
        "--resolve", f"site.test:*:{site.address}", "--cacert", str(pki.ca_pem_path),
        "--fresh-browser", "--hsts-store", str(store),
    ]  # fmt: skip
    _trace("https://site.test/", *args)
    saved = json.loads(store.read_text())
    assert [e["host"] for e in saved["entries"]] == ["site.test"]
    again = _trace("http://site.test/", *args)
    assert again["hops"][0]["synthetic"] is True
    _trace("https://site.test/clear", *args)
    assert json.loads(store.read_text())["entries"] == []


METHODS = """
server {
    listen {{addr}}:80;
    server_name site.test;
    location = /found { return 302 /echo; }
    location = /see-other { return 303 /echo; }
    location = /temporary { return 307 /echo; }
    location = /permanent { return 308 /echo; }
    location = /moved { return 301 /echo; }
    location = /echo { return 200 "$request_method $content_length\\n"; }
    location = /other-host { return 302 http://api.site.test/echo; }
    location = /loop { return 302 /loop; }
}
server {
    listen {{addr}}:80;
    server_name api.site.test;
    location = /echo { return 200 "$http_authorization\\n"; }
}
"""


@pytest.mark.parametrize(
    ("path", "profile", "method_after", "body_after"),
    [
        ("/found", "chrome", "GET", False),
        ("/moved", "chrome", "GET", False),
        ("/see-other", "chrome", "GET", False),
        ("/temporary", "chrome", "POST", True),
        ("/permanent", "chrome", "POST", True),
        ("/found", "curl", "GET", False),
        ("/temporary", "requests", "POST", True),
        ("/found", "httpx", "GET", False),
    ],
)
def test_post_through_each_redirect_as_each_client(
    nginx_server: NginxFactory, path: str, profile: str, method_after: str, body_after: bool
) -> None:
    site = nginx_server(METHODS)
    payload = _trace(
        f"http://site.test{path}", "-d", "a=1", "--as", profile, "--fresh-browser",
        "--resolve", f"*.site.test:80:{site.address}", "--resolve", f"site.test:80:{site.address}",
    )  # fmt: skip
    first, second = payload["hops"]
    assert (first["method"], first["body_sent"]) == ("POST", True)
    assert (second["method"], second["body_sent"]) == (method_after, body_after)
    dropped = {d["name"] for d in second["dropped_headers"]}
    assert ("Content-Type" in dropped) is (not body_after and profile != "httpx")


def test_authorization_is_not_sent_to_another_host(nginx_server: NginxFactory) -> None:
    site = nginx_server(METHODS)
    payload = _trace(
        "http://site.test/other-host", "-H", "Authorization: Bearer secret",
        "--resolve", f"*.site.test:80:{site.address}", "--resolve", f"site.test:80:{site.address}",
        "--fresh-browser",
    )  # fmt: skip
    last = payload["hops"][-1]
    assert [d["name"] for d in last["dropped_headers"]] == ["Authorization"]
    assert not any(k.lower() == "authorization" for k, _ in last["request_headers"])


@pytest.mark.parametrize(("profile", "limit"), [("chrome", 19), ("curl", 50), ("googlebot", 10)])
def test_a_loop_is_named_and_followed_to_the_clients_limit(
    nginx_server: NginxFactory, profile: str, limit: int
) -> None:
    site = nginx_server(METHODS)
    payload = _trace(
        "http://site.test/loop", "--as", profile, "--fresh-browser",
        "--resolve", f"site.test:80:{site.address}",
    )  # fmt: skip
    assert payload["outcome"] == "redirect-loop"
    assert payload["loop"] == ["http://site.test/loop"]
    assert len(payload["hops"]) == limit + 1
    assert payload["_exit"] == 1


def _har_validator() -> jsonschema.Draft6Validator:
    """The har-schema package's files (draft-06), linked by their relative $ids."""
    resources = []
    for path in HAR_SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], Resource.from_contents(schema)))
    registry: Registry[Any] = Registry().with_resources(resources)
    har = json.loads((HAR_SCHEMAS / "har.json").read_text())
    checker = jsonschema.Draft6Validator.FORMAT_CHECKER  # serverIPAddress: ipv4 xor ipv6
    return jsonschema.Draft6Validator(har, registry=registry, format_checker=checker)


def test_har_export_is_valid_har_1_2_with_the_synthetic_hop(
    nginx_server: NginxFactory, pki: PKI, tmp_path: Path
) -> None:
    assert HAR_SCHEMAS.is_dir(), "run `make test` (it fetches the har-schema package)"
    site = nginx_server(OWN_HSTS)
    har_path = tmp_path / "chain.har"
    result = run_cli(
        "trace", "http://site.test/", "--har", str(har_path),
        "--resolve", f"site.test:*:{site.address}", "--cacert", str(pki.ca_pem_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    har = json.loads(har_path.read_text())
    _har_validator().validate(har)
    entries = har["log"]["entries"]
    assert entries[0]["response"]["status"] == 307
    assert entries[0]["response"]["statusText"] == "Internal Redirect"
    assert entries[0]["response"]["redirectURL"] == "https://site.test/"
    assert entries[1]["response"]["status"] == 200
