"""``httpdoctor lint --nginx`` as users run it: exit codes, the three formats, languages."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.cli

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases" / "nginx" / "lint"
SCHEMA = json.loads((ROOT / "docs" / "json" / "lint.schema.json").read_text(encoding="utf-8"))

FOUNDING = CASES / "hsts-subdomain-without-tls" / "positive-founding.conf"
CLEAN = """\
events {}
http {
    server {
        listen 80;
        server_name example.com;
        return 301 https://example.com$request_uri;
    }
    server {
        listen 443 ssl;
        server_name example.com;
        add_header Strict-Transport-Security "max-age=31536000" always;
        root /srv/www;
    }
}
"""


def _clean(tmp_path: Path) -> Path:
    path = tmp_path / "nginx.conf"
    path.write_text(CLEAN, encoding="utf-8")
    return path


def test_a_clean_configuration_exits_0_and_says_so(tmp_path: Path) -> None:
    result = run_cli("lint", "--nginx", str(_clean(tmp_path)))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "No problems found; files read: 1.\n"
    assert result.stderr == ""


def test_the_founding_case_exits_1_and_names_the_subdomain_line() -> None:
    result = run_cli("lint", "--nginx", str(FOUNDING))
    assert result.exit_code == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == str(FOUNDING)  # grouped by file …
    assert lines[1].split()[:2] == ["16", "error"]  # … then by line
    assert "server_name info.site.com;" in result.stdout
    assert "hsts-subdomain-without-tls" in result.stdout
    assert "positive-founding.conf:6" in result.stdout  # the parent's HSTS line
    assert lines[-1].startswith("Findings: 1 (errors: 1,")


def test_text_groups_findings_by_file_in_reading_order() -> None:
    path = CASES / "hsts-without-always" / "positive-include.conf"
    result = run_cli("lint", "--nginx", str(path))
    assert result.exit_code == 1
    included = str(path.parent / "positive-include.d" / "security.conf")
    headers = [line for line in result.stdout.splitlines() if line.startswith("/")]
    # Files in the order nginx reads them: the main file, then what it includes.
    assert headers == [str(path), included]


def test_russian_output_is_russian() -> None:
    result = run_cli("lint", "--nginx", str(FOUNDING), "--lang", "ru")
    assert result.exit_code == 1
    assert "ошибка" in result.stdout
    assert "Как исправить" in result.stdout
    assert "Находок: 1" in result.stdout


def test_json_follows_its_documented_schema() -> None:
    result = run_cli("lint", "--nginx", str(FOUNDING), "--format", "json")
    assert result.exit_code == 1
    payload = result.json
    jsonschema.validate(payload, SCHEMA)
    assert payload["schema_version"] == 1
    assert payload["summary"] == {"findings": 1, "error": 1, "warning": 0, "info": 0}
    (finding,) = payload["findings"]
    assert (finding["id"], finding["file"], finding["line"]) == (
        "hsts-subdomain-without-tls",
        str(FOUNDING),
        16,
    )
    assert finding["directive"] == "server_name info.site.com;"
    assert finding["params"]["parent"] == "site.com"
    assert finding["related"][0] == {"file": str(FOUNDING), "line": 6}


def test_json_of_a_clean_configuration_has_no_findings(tmp_path: Path) -> None:
    result = run_cli("lint", "--nginx", str(_clean(tmp_path)), "--format", "json", "--lang", "ru")
    assert result.exit_code == 0
    jsonschema.validate(result.json, SCHEMA)
    assert result.json["findings"] == []
    assert result.json["lang"] == "ru"


def test_sarif_output_is_a_sarif_log() -> None:
    result = run_cli("lint", "--nginx", str(FOUNDING), "--format", "sarif")
    assert result.exit_code == 1
    log = result.json
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    (res,) = run["results"]
    assert res["ruleId"] == "hsts-subdomain-without-tls"
    assert res["level"] == "error"
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 16


def test_every_positive_case_exits_1_and_every_finding_has_file_and_line() -> None:
    for path in sorted(CASES.glob("*/positive*.conf")):
        result = run_cli("lint", "--nginx", str(path), "--format", "json")
        assert result.exit_code == 1, (path, result.stderr)
        jsonschema.validate(result.json, SCHEMA)
        assert any(f["id"] == path.parent.name for f in result.json["findings"]), path


@pytest.mark.parametrize(
    "argv",
    [
        ("lint",),
        ("lint", "--nginx"),
        ("lint", "--nginx", "x.conf", "--format", "xml"),
    ],
    ids=["no-server", "no-path", "bad-format"],
)
def test_bad_usage_exits_2_with_one_error_line(argv: tuple[str, ...]) -> None:
    result = run_cli(*argv)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = run_cli("lint", "--nginx", str(tmp_path / "absent.conf"))
    assert result.exit_code == 2
    assert "absent.conf" in result.stderr


def test_a_syntax_error_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "nginx.conf"
    path.write_text("events {}\nhttp {\n    server {\n        listen 80\n    }\n", encoding="utf-8")
    result = run_cli("lint", "--nginx", str(path))
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("error: ") and f"{path}:" in first
