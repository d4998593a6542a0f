"""Every nginx lint rule against its own cases, and the promises every rule keeps.

Cases live in tests/cases/nginx/lint/<rule-id>/: ``positive*.conf`` must report exactly the
lines marked ``# expect`` (in the file or in the files it includes), ``negative*.conf``
nothing at all from that rule.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from httpdoctor.i18n import Lang
from httpdoctor.report.lint_words import word_lint
from httpdoctor.servers.nginx.lint import RULES, LintRule, lint, rule_named
from httpdoctor.servers.nginx.lint.catalogue import lint_text
from httpdoctor.servers.nginx.model import Config
from tests.nginx_lint_text import load

pytestmark = pytest.mark.unit

CASES = Path(__file__).resolve().parents[1] / "cases" / "nginx" / "lint"
SOURCES = Path(__file__).resolve().parents[2] / "src" / "httpdoctor" / "servers" / "nginx" / "lint"
IDS = [rule.meta.id for rule in RULES]
_LEFTOVER = re.compile(r"\{\w+\}")
_MARK = "# expect"


def _case_files(kind: str) -> list[Path]:
    return sorted(CASES.glob(f"*/{kind}*.conf"))


def _case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@cache
def _config(path: Path) -> Config:
    return load(path)


def _marked(config: Config) -> set[tuple[str, int]]:
    marked = set()
    for file in config.files:
        for number, line in enumerate(Path(file).read_text(encoding="utf-8").splitlines(), 1):
            if _MARK in line:
                marked.add((file, number))
    return marked


def _found(rule: LintRule, config: Config) -> set[tuple[str, int]]:
    return {(f.span.file, f.span.line) for f in rule.check(config) if f.rule == rule.meta.id}


def test_rule_ids_are_unique_kebab_case() -> None:
    assert len(set(IDS)) == len(IDS)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule_id) for rule_id in IDS)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_every_rule_has_positive_and_negative_cases(rule: LintRule) -> None:
    folder = CASES / rule.meta.id
    assert sorted(folder.glob("positive*.conf")), f"{rule.meta.id} has no positive case"
    assert sorted(folder.glob("negative*.conf")), f"{rule.meta.id} has no negative case"


def test_every_case_folder_names_a_registered_rule() -> None:
    folders = {p.name for p in CASES.iterdir() if p.is_dir()}
    assert folders <= set(IDS), f"cases for unknown rules: {sorted(folders - set(IDS))}"


@pytest.mark.parametrize("path", _case_files("positive"), ids=_case_id)
def test_positive_case_reports_exactly_the_marked_lines(path: Path) -> None:
    config = _config(path)
    expected = _marked(config)
    assert expected, f"{path.name} marks no line with {_MARK!r}"
    assert _found(rule_named(path.parent.name), config) == expected


@pytest.mark.parametrize("path", _case_files("negative"), ids=_case_id)
def test_negative_case_stays_silent(path: Path) -> None:
    config = _config(path)
    assert not _marked(config), f"{path.name}: a negative case marks no line"
    assert _found(rule_named(path.parent.name), config) == set()


@pytest.mark.parametrize("lang", list(Lang))
@pytest.mark.parametrize("path", _case_files("positive"), ids=_case_id)
def test_every_finding_reads_whole_in_both_languages(path: Path, lang: Lang) -> None:
    for finding in lint(_config(path)):
        worded = word_lint(finding, lang)
        for text in (worded.title, worded.message, worded.explanation, worded.fix):
            assert text.strip()
            assert not _LEFTOVER.search(text), f"{finding.rule}: unfilled field in {text!r}"
        if worded.snippet:
            assert not _LEFTOVER.search(worded.snippet.replace("{\n", "")), worded.snippet


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_title_and_explanation_need_no_fields(rule: LintRule) -> None:
    # They describe the rule itself (SARIF's shortDescription and fullDescription).
    texts = lint_text(rule.meta.id)
    for lang in Lang:
        for text in (texts.title.get(lang), texts.explanation.get(lang)):
            assert not _LEFTOVER.search(text), text


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_module_is_small_and_documented(rule: LintRule) -> None:
    module = SOURCES / f"{rule.meta.id.replace('-', '_')}.py"
    text = module.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150, f"{module.name} is over 150 lines"
    assert text.startswith('"""'), f"{module.name} has no docstring saying what it detects"


def test_findings_come_sorted_by_file_then_line() -> None:
    config = _config(CASES / "hsts-without-always" / "positive-include.conf")
    spans = [(f.span.file, f.span.line) for f in lint(config)]
    order = {name: number for number, name in enumerate(config.files)}
    assert spans == sorted(spans, key=lambda s: (order[s[0]], s[1]))
    # The included file is read (and reported) where the include stands, after line 1.
    assert [Path(file).name for file, _ in spans][:1] == ["positive-include.conf"]
