"""The knowledge base is data; these tests are its schema, its coverage and its honesty."""

from __future__ import annotations

import http
import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from httpdoctor.codes import Kind, default_registry
from httpdoctor.codes.model import STACKS
from httpdoctor.report.messages import catalogue

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "httpdoctor" / "codes" / "data"
MEANING_FILES = sorted((DATA / "meanings").glob("*.toml"))
SCOPE = tomllib.loads((ROOT / "tests" / "cases" / "codes" / "in-scope.toml").read_text())
IN_SCOPE: dict[str, str] = {k: v for section in SCOPE.values() for k, v in section.items()}
SCHEMA = json.loads((DATA / "meaning.schema.json").read_text())


def _load(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _localized_tables(value: Any, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every table anywhere in a document that holds an `en` or a `ru` key."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(value, dict):
        if "en" in value or "ru" in value:
            found.append((where, value))
        for key, child in value.items():
            found.extend(_localized_tables(child, f"{where}.{key}"))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_localized_tables(child, f"{where}[{index}]"))
    return found


ALL_DATA_FILES = (
    sorted(DATA.glob("*.toml"))
    + MEANING_FILES
    + [ROOT / "src" / "httpdoctor" / "report" / "data" / "messages.toml"]
)


@pytest.mark.parametrize("path", MEANING_FILES, ids=lambda p: p.stem)
def test_meaning_file_matches_the_schema(path: Path) -> None:
    jsonschema.validate(_load(path), SCHEMA)


@pytest.mark.parametrize("path", ALL_DATA_FILES, ids=lambda p: p.name)
def test_every_sentence_exists_in_english_and_in_russian(path: Path) -> None:
    for where, table in _localized_tables(_load(path)):
        for lang in ("en", "ru"):
            text = table.get(lang)
            assert isinstance(text, str) and text.strip(), f"{path.name}{where}: no {lang!r} text"
        # Russian text must be Russian, except proper names spelled the same in both.
        if table["ru"] != table["en"]:
            assert any("а" <= ch <= "я" for ch in table["ru"].lower()), f"{path.name}{where}"


def test_the_parity_check_catches_a_missing_language() -> None:
    tables = _localized_tables({"summary": {"en": "Only English"}})
    assert tables and "ru" not in tables[0][1]


@pytest.mark.parametrize("key", sorted(IN_SCOPE), ids=str)
def test_every_meaning_in_scope_is_known_with_its_origin(key: str) -> None:
    meaning = default_registry().meaning(key)
    assert meaning is not None, f"{key} is missing from the knowledge base"
    assert meaning.origin == IN_SCOPE[key]


def test_every_meaning_parses_into_the_model() -> None:
    meanings = default_registry().all_meanings()
    assert len(meanings) == len(MEANING_FILES)


def test_ranks_order_the_meanings_of_a_code_without_ties() -> None:
    by_code: dict[int, list[int]] = {}
    for m in default_registry().all_meanings():
        by_code.setdefault(m.code, []).append(m.rank)
    ties = {code: ranks for code, ranks in by_code.items() if len(set(ranks)) != len(ranks)}
    assert not ties


def test_the_standard_meaning_comes_first_where_one_exists() -> None:
    for code in {m.code for m in default_registry().all_meanings()}:
        meanings = default_registry().meanings(code)
        standard = [m for m in meanings if m.origin == "standard" and m.kind is Kind.STATUS]
        if standard:
            assert meanings[0] is standard[0], f"{code}: standard meaning is not first"


def test_see_also_points_at_existing_meanings() -> None:
    registry = default_registry()
    broken = [
        f"{m.key} -> {ref}"
        for m in registry.all_meanings()
        for ref in m.see_also
        if registry.meaning(ref) is None
    ]
    assert not broken


def test_every_origin_is_a_known_product() -> None:
    ids = {p.id for p in default_registry().products()}
    assert {m.origin for m in default_registry().all_meanings()} <= ids


def test_every_3xx_status_states_its_redirect_semantics() -> None:
    for m in default_registry().all_meanings():
        if m.status_class == 3 and m.kind is Kind.STATUS:
            assert m.redirect is not None, m.key


@pytest.mark.parametrize(
    ("code", "method", "body", "permanent", "cacheable"),
    [
        (301, False, False, True, True),
        (302, False, False, False, False),
        (303, False, False, False, False),
        (307, True, True, False, False),
        (308, True, True, True, True),
    ],
)
def test_redirect_semantics_follow_rfc_9110_and_fetch(
    code: int, method: bool, body: bool, permanent: bool, cacheable: bool
) -> None:
    meaning = default_registry().meaning(f"{code}-standard")
    assert meaning is not None and meaning.redirect is not None
    r = meaning.redirect
    assert (r.method_preserved, r.body_preserved, r.permanent, r.cacheable_by_default) == (
        method,
        body,
        permanent,
        cacheable,
    )
    assert r.followed_by_browsers


def test_python_constants_are_the_names_cpython_defines() -> None:
    constants = tomllib.loads((DATA / "constants.toml").read_text())
    defined = {s.value: s.name for s in http.HTTPStatus}
    for code, row in constants.items():
        if "python" in row:
            assert defined.get(int(code)) == row["python"], code


def test_constants_only_name_known_stacks() -> None:
    constants = tomllib.loads((DATA / "constants.toml").read_text())
    assert all(set(row) <= set(STACKS) for row in constants.values())


# Constants a framework does not define, verified against its source (constants.toml
# header names the versions read). Anything else missing is a gap in our table.
NOT_DEFINED_BY_THE_FRAMEWORK = {
    104: {"python", "go", "rails", "symfony", "dotnet", "rust", "java", "angular"},
    306: {"python", "go", "rails", "rust", "java"},
    418: {"rails", "dotnet", "java"},
    425: {"dotnet", "rust"},
    510: {"rails"},
}


def test_every_standard_code_has_each_stacks_constant_where_one_exists() -> None:
    constants = tomllib.loads((DATA / "constants.toml").read_text())
    named = set(STACKS) - {"node"}  # Node defines reason phrases, not constants
    for m in default_registry().all_meanings():
        if m.origin == "standard" and m.kind is Kind.STATUS:
            missing = named - set(constants.get(str(m.code), {}))
            assert missing == NOT_DEFINED_BY_THE_FRAMEWORK.get(m.code, set()), m.key


def test_sources_and_review_date_are_recorded() -> None:
    info = default_registry().info()
    assert info.reviewed.startswith("20")
    assert any("IANA" in s.name and s.last_updated for s in info.sources)
    assert all(m.source for m in default_registry().all_meanings())


def test_cloudflare_error_pages_and_iis_substatuses_load() -> None:
    registry = default_registry()
    assert registry.cloudflare_error(1020) is not None
    assert any(s.code == "404.3" for s in registry.substatuses(404))


def test_the_message_catalogue_loads_with_both_languages() -> None:
    assert catalogue()["heading.fixes"].ru


def test_every_kind_of_hop_error_is_worded_in_both_languages() -> None:
    from httpdoctor.trace.model import ErrorKind

    words = catalogue()
    for kind in ErrorKind:
        text = words[f"trace.error-{kind.value}"]
        assert text.en != text.ru, kind


def test_every_step_outcome_and_location_match_of_why_is_worded() -> None:
    from httpdoctor.servers.nginx.evaluation import LocationMatch, Outcome

    words = catalogue()
    assert [o for o in Outcome if f"why.step-{o.value}" not in words] == []
    assert [m for m in LocationMatch if f"why.step-match-{m.value}" not in words] == []
