"""Error lines in the user's language: ``--lang ru`` or a Russian locale gives Russian
``error:`` and ``hint:`` lines, one each, exit 2; English stays word for word as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.cli

RUSSIAN = {"LANG": "ru_RU.UTF-8"}
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)

# (arguments, a phrase of the Russian error line, a phrase of the Russian hint)
BAD_INPUT = [
    (("explain", "abc"), "кода состояния с названием 'abc' нет", "codes --search"),
    (("explain", "1000"), "'1000' — не код состояния HTTP", "cf-1000"),
    (("explain", ""), "код состояния не указан", "укажите код"),
    (("codes", "--class", "7xx"), "неизвестный класс '7xx'", "1xx, 2xx"),
    (("explain", "404", "--server", "netscape"), "неизвестный сервер", "известные названия"),
    (("trace", "ftp://example.test/"), "неподдерживаемая схема", "http:// и https://"),
    (("trace", "http://a.test/", "--resolve", "a.test:80"), "значение --resolve", "формат"),
    (("trace", "http://a.test/", "--timeout", "0"), "должно быть больше нуля", "например"),
    (("trace", "http://a.test/", "-H", "no colon"), "неверный заголовок", "-H 'Name: value'"),
    (("trace", "http://a.test/", "--as", "netscape"), "неизвестный профиль клиента", "--as"),
    (("trace", "http://a.test/", "-e", "ftp://x.test/"), "неверный --referer", "адрес страницы"),
    (("why", "--nginx", "/no/nginx.conf", "http://a.test/"), "не удалось прочитать", "nginx -T"),
    # argparse words the problem itself; the Russian line leads with our words.
    (("explain",), "не удалось разобрать командную строку: ", "см. `httpdoctor explain --help`"),
]  # fmt: skip


def _lines(args: tuple[str, ...], environ: dict[str, str] | None = None) -> list[str]:
    result = run_cli(*args, environ=environ)
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("error: ") and lines[1].startswith("hint: ")
    return lines


@pytest.mark.parametrize(("args", "error", "hint"), BAD_INPUT)
def test_lang_ru_gives_russian_error_and_hint_lines(
    args: tuple[str, ...], error: str, hint: str
) -> None:
    first, second = _lines((*args, "--lang", "ru"))
    assert error in first and _CYRILLIC.search(first)
    assert hint in second and _CYRILLIC.search(second)


@pytest.mark.parametrize(("args", "error", "hint"), BAD_INPUT)
def test_a_russian_locale_gives_the_same_lines(
    args: tuple[str, ...], error: str, hint: str
) -> None:
    assert _lines(args, RUSSIAN) == _lines((*args, "--lang", "ru"))


def test_lang_en_wins_over_a_russian_locale() -> None:
    assert _lines(("explain", "abc", "--lang", "en"), RUSSIAN) == _lines(("explain", "abc"))


def test_lang_ru_before_an_argparse_error_still_counts() -> None:
    first, _ = _lines(("--lang", "ru", "frobnicate"))
    assert first.startswith("error: не удалось разобрать командную строку: ")
    assert "invalid choice: 'frobnicate'" in first  # argparse's own phrase, kept


def test_a_language_we_do_not_speak_is_refused_in_the_locales_language() -> None:
    first, second = _lines(("explain", "404", "--lang", "de"), RUSSIAN)
    assert first == "error: неизвестный язык 'de'"
    assert second == "hint: укажите --lang en или --lang ru"


def test_a_syntax_error_names_file_and_line_first_in_russian(tmp_path: Path) -> None:
    path = tmp_path / "nginx.conf"
    path.write_text("events {}\nhttp {\n    server {\n        listen 80\n    }\n", encoding="utf-8")
    first, second = _lines(("lint", "--nginx", str(path), "--lang", "ru"))
    assert first == (
        f'error: {path}:4: неожиданный символ "}}": директива "listen" не завершена символом ";"'
    )
    assert second == "hint: исправьте указанную строку; `nginx -t` сообщит о той же ошибке"


def test_an_include_error_words_its_parts_in_russian(tmp_path: Path) -> None:
    (tmp_path / "nginx.conf").write_text("http {\n  include sites/*.conf;\n}\n")
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "a.conf").write_bytes(b"\xef\xbb\xbfserver { }\n")
    first, _ = _lines(("lint", "--nginx", str(tmp_path / "nginx.conf"), "--lang", "ru"))
    assert first.startswith(f"error: {tmp_path}/sites/a.conf:1: файл начинается с метки")
    assert first.endswith(f"(включён из {tmp_path}/nginx.conf:2)")


def test_our_own_bugs_are_reported_in_russian_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from httpdoctor.cli import main

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(main, "_build_parser", broken)
    first, second = _lines(("explain", "307", "--lang", "ru"))
    assert first == "error: внутренняя ошибка: RuntimeError: boom"
    assert second.startswith("hint: это ошибка в httpdoctor") and "--traceback" in second


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ("explain", "1000"),
            "error: '1000' is not an HTTP status code\n"
            "hint: Cloudflare error pages show four-digit numbers; for those try "
            "`httpdoctor explain cf-1000`\n",
        ),
        (
            ("explain",),
            "error: the following arguments are required: CODE\n"
            "hint: see `httpdoctor explain --help`\n",
        ),
        (
            ("trace", "http://a.test/", "--resolve", "a.test:80:nowhere"),
            "error: 'nowhere' in --resolve is not an IP address\n"
            "hint: use --resolve HOST:PORT:ADDRESS, e.g. --resolve site.test:443:127.0.0.2\n",
        ),
        (
            ("trace", "http://a.test/", "--max-redirs", "-1"),
            "error: --max-redirs must be 0 or more\n",
        ),
    ],
)
def test_english_lines_are_word_for_word_what_they_were(args: tuple[str, ...], stderr: str) -> None:
    result = run_cli(*args)
    assert (result.exit_code, result.stderr) == (2, stderr)
