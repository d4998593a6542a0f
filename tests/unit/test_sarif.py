"""``lint --format sarif`` is valid SARIF 2.1.0 and says what the findings say.

The schema is the official SARIF 2.1.0 JSON Schema as shipped on the npm registry by
Microsoft's SARIF SDK; ``scripts/fetch-sarif-schema.sh`` (run by ``make test``) puts it in
.cache/. Without it these tests fail rather than skip: an unvalidated SARIF writer is
exactly what they exist to prevent.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from httpdoctor.i18n import Lang
from httpdoctor.report.sarif import SARIF_VERSION, sarif_log
from httpdoctor.servers.nginx.lint import RULES, LintFinding, lint
from tests.nginx_lint_text import load

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / ".cache" / "sarif-schema" / "sarif-schema-2.1.0.json"
CASES = ROOT / "tests" / "cases" / "nginx" / "lint"
# RFC 3986 characters a URI reference may hold (percent-escapes included).
_URI_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


@cache
def _validator() -> Draft202012Validator:
    assert SCHEMA.is_file(), (
        f"the SARIF 2.1.0 schema is missing ({SCHEMA.relative_to(ROOT)}); run `make test`, "
        "which fetches it (scripts/fetch-sarif-schema.sh)"
    )
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert "2.1.0" in schema["title"]
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _every_positive_finding() -> tuple[LintFinding, ...]:
    found: list[LintFinding] = []
    for path in sorted(CASES.glob("*/positive*.conf")):
        found += lint(load(path))
    return tuple(found)


def _assert_valid(log: dict[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


@pytest.mark.parametrize("lang", list(Lang))
def test_the_log_of_every_positive_case_is_valid_sarif_2_1_0(lang: Lang) -> None:
    log = sarif_log(_every_positive_finding(), RULES, lang=lang, base=str(ROOT))
    _assert_valid(json.loads(json.dumps(log)))
    assert log["version"] == SARIF_VERSION == "2.1.0"


def test_a_clean_configuration_gives_a_valid_log_with_no_results() -> None:
    log = sarif_log((), RULES, lang=Lang.EN)
    _assert_valid(log)
    assert log["runs"][0]["results"] == []


def test_the_driver_describes_every_registered_rule_with_its_default_level() -> None:
    driver = sarif_log((), RULES, lang=Lang.EN)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "httpdoctor"
    assert [rule["id"] for rule in driver["rules"]] == [rule.meta.id for rule in RULES]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for descriptor, rule in zip(driver["rules"], RULES, strict=True):
        assert descriptor["defaultConfiguration"]["level"] == levels[rule.meta.severity.value]
        assert descriptor["shortDescription"]["text"]
        assert descriptor["fullDescription"]["text"]
        assert descriptor["help"]["text"]


def test_rule_descriptions_are_generic_and_results_carry_their_own_fix() -> None:
    findings = _every_positive_finding()
    run = sarif_log(findings, RULES, lang=Lang.EN)["runs"][0]
    for descriptor in run["tool"]["driver"]["rules"]:
        texts = json.dumps(descriptor, ensure_ascii=False)
        assert not re.search(r"\{\w+\}", texts), descriptor["id"]
    for finding, result in zip(findings, run["results"], strict=True):
        assert result["properties"]["directive"] == finding.directive
        assert not re.search(r"\{\w+\}", result["properties"]["fix"])


def test_each_result_points_at_its_rule_file_and_line() -> None:
    findings = _every_positive_finding()
    run = sarif_log(findings, RULES, lang=Lang.EN, base=str(ROOT))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    base_uri = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base_uri == ROOT.as_uri() + "/"
    for finding, result in zip(findings, run["results"], strict=True):
        assert result["ruleId"] == finding.rule == rules[result["ruleIndex"]]["id"]
        where = result["locations"][0]["physicalLocation"]
        assert where["region"]["startLine"] == finding.span.line
        artifact = where["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert _URI_CHARS.fullmatch(artifact["uri"]), artifact["uri"]
        assert ROOT / unquote(artifact["uri"]) == Path(finding.span.file)
        assert result["message"]["text"]
        assert len(result.get("relatedLocations", [])) == len(finding.related)


def test_files_outside_the_base_are_absolute_file_uris(tmp_path: Path) -> None:
    (tmp_path / "my site.conf").write_text(
        "server {\n    listen 443 ssl;\n    add_header Strict-Transport-Security max-age=60;\n}\n",
        encoding="utf-8",
    )
    findings = lint(load(tmp_path / "my site.conf"))
    assert findings
    log = sarif_log(findings, RULES, lang=Lang.RU, base=str(ROOT / "tests"))
    _assert_valid(log)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert "uriBaseId" not in uri
    parts = urlsplit(uri["uri"])
    assert parts.scheme == "file"
    assert Path(unquote(parts.path)) == tmp_path / "my site.conf"
    assert "%20" in uri["uri"]
