"""``httpdoctor why --nginx``: the line behind the answer, in both languages, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.cli

SITE = str(Path(__file__).resolve().parents[1] / "cases" / "nginx" / "why" / "site.conf")
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "json" / "why.schema.json").read_text()
)


def test_why_names_the_return_that_redirects_www_to_the_bare_domain() -> None:
    result = run_cli("why", "--nginx", SITE, "http://www.site.test/a", "--json")
    assert result.exit_code == 0, result.stderr
    payload = result.json
    jsonschema.validate(payload, SCHEMA)
    assert payload["response"]["status"] == 301
    assert payload["response"]["location"] == "https://site.test/a"
    assert payload["decided_by"]["line"] == 5
    assert payload["decided_by"]["text"].startswith("return 301")
    assert payload["server"]["line"] == 1 and payload["server"]["why"] == "exact-name"
    assert payload["unsupported"] == []


def test_why_follows_a_permanent_rewrite_and_the_hsts_header() -> None:
    result = run_cli("why", "--nginx", SITE, "https://site.test/old/x", "--json")
    payload = result.json
    jsonschema.validate(payload, SCHEMA)
    assert payload["location"]["line"] == 15
    assert payload["response"]["location"] == "https://site.test/new/x"
    headers = dict(tuple(h) for h in payload["response"]["headers"])
    assert headers["Strict-Transport-Security"].endswith("includeSubDomains")


def test_why_speaks_russian() -> None:
    result = run_cli("why", "--nginx", SITE, "https://site.test/old/x", "--lang", "ru")
    assert "Что nginx сделал, по порядку" in result.stdout
    assert "site.conf:15" in result.stdout


@pytest.mark.parametrize(
    ("args", "part"),
    [
        (("why", "--nginx", "/nonexistent/nginx.conf", "http://a.test/"), "nginx.conf"),
        (("why", "http://a.test/"), "--nginx"),
        (("why", "--nginx", SITE, "ftp://a.test/"), "unsupported scheme"),
        (("why", "--nginx", SITE, "http://a.test/", "--addr", "nonsense"), "bad --addr"),
    ],
)
def test_bad_why_input_is_one_line_and_exit_2(args: tuple[str, ...], part: str) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("error: ") and part in first


def test_a_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.conf"
    broken.write_text("server {\n    listen 80;\n    return 301 /x\n}\n")
    result = run_cli("why", "--nginx", str(broken), "http://a.test/")
    assert result.exit_code == 2
    assert "broken.conf:" in result.stderr.splitlines()[0]
