"""``why --nginx`` on what it does not model: file:line and the reason, in the reader's
language; the JSON keeps the English ``reason`` and adds its stable key and fields."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.cli

CONF = str(Path(__file__).resolve().parents[1] / "cases" / "nginx" / "why" / "unsupported.conf")
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "json" / "why.schema.json").read_text()
)

# (path, the line that says what stops the answer: English, then Russian)
CASES = [
    ("/deny", "unsupported.conf:4  deny: access checks are not modelled",
     "unsupported.conf:4  deny: проверки доступа не моделируются"),
    ("/file", "unsupported.conf:6  if: file test -f needs the disk",
     "unsupported.conf:6  if: проверка файла -f требует доступа к диску"),
    ("/try", "unsupported.conf:9  try_files: try_files needs the disk",
     "unsupported.conf:9  try_files: try_files требует доступа к диску"),
    ("/cookie", "unsupported.conf:10  return: variable $cookie_session is not modelled",
     "unsupported.conf:10  return: переменная $cookie_session не моделируется"),
]  # fmt: skip


def _last_line(*args: str) -> str:
    result = run_cli("why", "--nginx", CONF, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()[-1]


@pytest.mark.parametrize(("path", "english", "russian"), CASES, ids=[c[0] for c in CASES])
def test_lang_ru_names_the_place_and_the_reason_in_russian(
    path: str, english: str, russian: str
) -> None:
    result = run_cli("why", "--nginx", CONF, f"http://site.test{path}", "--lang", "ru")
    assert "Не моделируется, поэтому ответ может быть неполным" in result.stdout
    assert result.stdout.splitlines()[-1].endswith(russian)


@pytest.mark.parametrize(("path", "english", "russian"), CASES, ids=[c[0] for c in CASES])
def test_english_stays_word_for_word(path: str, english: str, russian: str) -> None:
    assert _last_line(f"http://site.test{path}").endswith(english)


def test_a_russian_locale_gives_the_russian_reason_too() -> None:
    result = run_cli("why", "--nginx", CONF, "http://site.test/try", environ={"LANG": "ru_RU"})
    assert result.stdout.splitlines()[-1].endswith(CASES[2][2])


def test_a_refused_request_target_is_worded_in_russian() -> None:
    line = _last_line("http://site.test/a%3Fb", "--lang", "ru")
    assert line.endswith("%3F (экранированный ?) в пути")
    assert not line.lstrip().startswith(":")  # no directive to name, so no dangling colon


def test_json_keeps_the_english_reason_in_any_language_with_its_key_and_fields() -> None:
    result = run_cli("why", "--nginx", CONF, "http://site.test/cookie", "--json", "--lang", "ru")
    payload = result.json
    jsonschema.validate(payload, SCHEMA)
    assert payload["unsupported"] == [
        {
            "file": CONF,
            "line": 10,
            "directive": "return",
            "reason": "variable $cookie_session is not modelled",
            "reason_key": "variable.unknown",
            "reason_fields": {"name": "cookie_session"},
        }
    ]


def test_the_steps_are_worded_in_russian_too() -> None:
    result = run_cli("why", "--nginx", CONF, "http://site.test/deny", "--lang", "ru")
    step = next(line for line in result.stdout.splitlines() if "location /deny;" in line)
    assert step.endswith("[выбран]  → самый длинный префикс /deny")
