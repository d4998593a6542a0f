"""A newer Chromium preload list replaces the bundled one; lab serve stays up until Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import run_cli

if TYPE_CHECKING:
    from tests.servers.conftest_fixtures import NginxFactory
    from tests.servers.pki import PKI

pytestmark = pytest.mark.integration

FIXTURE = Path(__file__).resolve().parents[1] / "cases" / "hsts" / "preload-fixture.json"

PLAIN_AND_SECURE = """
server {
    listen {{addr}}:80;
    server_name preloaded.test;
    return 200 "http\\n";
}
server {
    listen {{addr}}:443 ssl;
    server_name preloaded.test;
    ssl_certificate {{cert:preloaded.test}};
    ssl_certificate_key {{key:preloaded.test}};
    return 200 "https\\n";
}
"""


@pytest.fixture
def installed_list(tmp_path: Path) -> Iterator[Path]:
    listing = tmp_path / "transport_security_state_static.json"
    text = FIXTURE.read_text()
    entry = (
        '{ "name": "preloaded.test", "policy": "custom", "mode": "force-https", '
        '"include_subdomains": true },'
    )
    listing.write_text(text.replace('"entries": [', '"entries": [\n    ' + entry, 1))
    result = run_cli("preload-list", "update", str(listing), "--lang", "ru")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("установлен ")  # in the user's language
    yield listing
    Path(os.environ["HTTPDOCTOR_PRELOAD_LIST"]).unlink(missing_ok=True)


def test_an_updated_preload_list_makes_chrome_upgrade_from_the_first_visit(
    installed_list: Path, nginx_server: NginxFactory, pki: PKI
) -> None:
    assert "chromium-json" in run_cli("preload-list", "show").stdout
    site = nginx_server(PLAIN_AND_SECURE)
    result = run_cli(
        "trace", "http://preloaded.test/", "--fresh-browser", "--json",
        "--resolve", f"preloaded.test:*:{site.address}", "--cacert", str(pki.ca_pem_path),
    )  # fmt: skip
    first, second = result.json["hops"]
    assert first["synthetic"] and first["hsts_source"]["via"] == "preload"
    assert first["hsts_source"]["host"] == "preloaded.test"
    assert second["url"] == "https://preloaded.test/" and second["status"] == 200


def test_a_file_that_is_not_a_preload_list_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "list.json"
    bogus.write_text('{"no": "entries"}')
    result = run_cli("preload-list", "update", str(bogus))
    assert result.exit_code == 2 and "not a Chromium preload list" in result.stderr


def test_lab_serve_prints_how_to_reach_it_and_stops_on_ctrl_c() -> None:
    script = Path(sys.executable).parent / "httpdoctor"
    with subprocess.Popen(
        [str(script), "lab", "serve", "long-chain"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "LANG": "C.UTF-8"},
    ) as process:
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline() for _ in range(3)]
            assert "is up" in lines[0]
            command = lines[1].split()
            assert command[:3] == ["httpdoctor", "diagnose", "http://site.test/old"]
            traced = run_cli("trace", "http://site.test/old", "--json", *command[3:])
            assert traced.json["final_status"] == 200
        finally:
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=10) == 0


def test_lab_serve_says_in_the_users_language_which_page_to_visit_first() -> None:
    # seed-307's browser must have learnt the parent's HSTS: the page it visited is named.
    script = Path(sys.executable).parent / "httpdoctor"
    with subprocess.Popen(
        [str(script), "lab", "serve", "seed-307"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "LANG": "ru_RU.UTF-8"},
    ) as process:
        try:
            assert process.stdout is not None
            lines: list[str] = []
            while not lines or ("CA" not in lines[-1] and "80/443" not in lines[-1]):
                lines.append(process.stdout.readline())  # the last line names CA or ports
                assert len(lines) <= 6, lines
            assert "запущена" in lines[0]
            text = "".join(lines)
            if "chromium" in text:  # on ports 80/443 (as root) the browser lines follow
                assert "сначала откройте https://site.test/" in text
            else:
                assert "нужны порты 80/443" in text
        finally:
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=10) == 0
