"""The error catalogue (src/httpdoctor/data/errors/*.toml) and the errors built from it.

Every error line exists in English and Russian with the same fields; the code names only
keys that exist, every entry is used, and each raise site fills exactly its entry's
fields. The English a library caller reads is the text the CLI printed before the
catalogue existed.
"""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from httpdoctor.errors import ConfigSyntaxError, ErrorText, UsageError
from httpdoctor.i18n import Lang
from httpdoctor.servers.nginx.model import SourceSpan

pytestmark = pytest.mark.unit

SRC = Path(__file__).resolve().parents[2] / "src" / "httpdoctor"
CATALOGUE_DIR = SRC / "data" / "errors"
REPORT_FILE = SRC / "report" / "data" / "messages.toml"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, dict[str, Any]]:
    """``"section.name" -> entry``; an entry is the table that holds ``en``."""
    found: dict[str, dict[str, Any]] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and "en" in value:
            found[key] = value
        elif isinstance(value, dict):
            found.update(_flatten(value, f"{key}."))
    return found


def _load(path: Path, prefix: str = "") -> dict[str, dict[str, Any]]:
    return _flatten(tomllib.loads(path.read_text(encoding="utf-8")), prefix)


CATALOGUE = {
    key: entry
    for path in sorted(CATALOGUE_DIR.glob("*.toml"))
    for key, entry in _load(path, f"{path.stem}.").items()
}
SECTIONS = frozenset(key.split(".")[0] for key in CATALOGUE)
_KEY_SHAPE = re.compile(r"[a-z_]+(?:\.[a-z0-9_]+)+")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _texts(entry: dict[str, Any]) -> list[tuple[str, str]]:
    """(English, Russian) of the message and, where there is one, of the hint."""
    pairs = [(entry["en"], entry["ru"])]
    if "hint" in entry:
        pairs.append((entry["hint"]["en"], entry["hint"]["ru"]))
    return pairs


def _source_trees() -> list[tuple[Path, ast.AST]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in SRC.rglob("*.py")]


def _string_constants() -> set[str]:
    return {
        node.value
        for _, tree in _source_trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_the_catalogue_is_not_empty_and_covers_every_area() -> None:
    assert len(CATALOGUE) > 100
    assert {"cli", "codes", "config", "data", "fetch", "hsts", "lab", "trace"} <= SECTIONS


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_entry_has_both_languages_with_the_same_fields(key: str) -> None:
    entry = CATALOGUE[key]
    assert set(entry) <= {"en", "ru", "hint"}, f"{key}: unexpected keys"
    assert set(entry.get("hint", {"en": "", "ru": ""})) == {"en", "ru"}, f"{key}: hint"
    for english, russian in _texts(entry):
        assert english.strip() and russian.strip(), f"{key}: an empty text"
        assert "\n" not in english + russian, f"{key}: an error line is one line"
        assert _fields(english) == _fields(russian), f"{key}: fields differ"


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_russian_is_russian_wherever_the_english_has_words_of_its_own(key: str) -> None:
    for english, russian in _texts(CATALOGUE[key]):
        words = re.sub(r"\{[^{}]*\}", "", english)
        if re.search(r"[A-Za-z]", words) or russian != english:
            assert _CYRILLIC.search(russian), f"{key}: {russian!r} is not Russian"


def test_every_key_the_code_names_exists_and_every_entry_is_used() -> None:
    constants = _string_constants()
    # The report's labels (report/data/messages.toml) share section names such as trace
    # and hsts; they are looked up elsewhere and checked by their own tests.
    labels = set(_load(REPORT_FILE))
    named = {
        s for s in constants - labels if _KEY_SHAPE.fullmatch(s) and s.split(".")[0] in SECTIONS
    }
    assert sorted(named - set(CATALOGUE)) == [], "keys used in src but missing in data/errors"
    assert sorted(set(CATALOGUE) - constants) == [], "entries no code uses"


def _calls_naming_a_key() -> list[tuple[str, str, ast.Call]]:
    found = []
    for path, tree in _source_trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            keys = [
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and arg.value in CATALOGUE
            ]
            if keys:
                (key,) = keys
                found.append((f"{path.relative_to(SRC)}:{node.lineno}", key, node))
    return found


def test_raise_sites_name_their_keys_as_literals() -> None:
    # What the next test checks depends on it: a site found here is a site checked there.
    assert len(_calls_naming_a_key()) > 100


@pytest.mark.parametrize(
    ("site", "key", "call"),
    [
        pytest.param(site, key, call, id=f"{site}:{key}")
        for site, key, call in _calls_naming_a_key()
    ],
)
def test_each_raise_site_fills_exactly_the_fields_of_its_entry(
    site: str, key: str, call: ast.Call
) -> None:
    entry = CATALOGUE[key]
    wanted = _fields(entry["en"]) | (_fields(entry["hint"]["en"]) if "hint" in entry else set())
    given = {k.arg for k in call.keywords if k.arg != "hint"}
    if None in given:  # a **fields hand-on: the helper it reaches is checked instead
        return
    assert given == wanted, f"{site}: {key} takes {sorted(wanted)}"


def test_an_error_speaks_english_to_library_callers_and_either_language_to_the_cli() -> None:
    error = UsageError.of("trace.url_invalid", text="nonsense")
    assert error.message == str(error) == "'nonsense' is not a valid URL"
    assert error.hint == "give a full URL such as http://example.com/"
    assert error.message_in(Lang.EN) == error.message
    assert error.message_in(Lang.RU) == "'nonsense' — некорректный URL"
    assert error.hint_in(Lang.RU) == "укажите полный URL, например http://example.com/"


def test_an_entry_without_a_hint_gives_none_in_both_languages() -> None:
    error = UsageError.of("trace.max_redirs_negative")
    assert error.hint is None and error.hint_in(Lang.RU) is None


def test_an_error_built_from_plain_strings_reads_the_same_in_every_language() -> None:
    error = UsageError("bad", hint="do this")
    assert error.message_in(Lang.RU) == "bad" and error.hint_in(Lang.RU) == "do this"


def test_a_syntax_error_names_the_place_first_in_both_languages() -> None:
    span = SourceSpan(file="/etc/nginx/nginx.conf", line=7)
    error = ConfigSyntaxError.at(span, "config.include_loop", loop="a.conf -> a.conf")
    assert error.reason == "include loop: a.conf -> a.conf"
    assert error.message == "/etc/nginx/nginx.conf:7: include loop: a.conf -> a.conf"
    assert error.message_in(Lang.RU) == (
        "/etc/nginx/nginx.conf:7: циклическое включение: a.conf -> a.conf"
    )
    assert error.span is span


def test_a_syntax_error_cannot_be_built_without_its_place() -> None:
    with pytest.raises(TypeError, match=r"ConfigSyntaxError\.at"):
        ConfigSyntaxError.of("config.include_loop", loop="x")


def test_a_fragment_field_is_worded_in_the_language_of_its_sentence() -> None:
    span = SourceSpan(file="a.conf", line=1)
    included = ErrorText("config.included_from", span=SourceSpan(file="nginx.conf", line=2))
    error = ConfigSyntaxError.at(span, "config.bom", included=included)
    assert error.message.endswith('("unknown directive") (included from nginx.conf:2)')
    assert error.message_in(Lang.RU).endswith('("unknown directive") (включён из nginx.conf:2)')


def test_a_chosen_hint_replaces_the_entrys_own() -> None:
    hint = ErrorText("config.missing_hint.prefix_other", prefix="/etc/nginx")
    error = ConfigSyntaxError.at(
        SourceSpan(file="nginx.conf", line=3),
        "config.include_missing",
        hint=hint,
        name="x.conf",
        reason=ErrorText("config.missing.disk"),
    )
    assert error.message == 'nginx.conf:3: include file "x.conf" not found'
    assert error.hint is not None and error.hint.startswith("relative include paths resolve")
    assert error.hint_in(Lang.RU) == (
        "относительные пути include отсчитываются от /etc/nginx; "
        "чтобы отсчитывать их от другого каталога, передайте --prefix DIR"
    )


def test_a_key_missing_from_the_catalogue_still_gives_a_line_naming_it() -> None:
    error = UsageError.of("cli.no_such_entry", value=3)
    assert error.message == "cli.no_such_entry (value=3)" and error.hint is None


def test_the_catalogue_is_read_only_once_something_goes_wrong() -> None:
    # The second run is the one that counts: the first may fill the parsed-data cache,
    # which needs tomllib (and typing behind it).
    code = (
        "import sys, io\n"
        "from httpdoctor.cli.entry import dispatch\n"
        "import httpdoctor.errors as errors\n"
        "sys.argv = ['httpdoctor', 'explain', '307']\n"
        "sys.stdout = io.StringIO()\n"
        "dispatch()\n"
        "loaded = [m for m in ('tomllib', 'typing') if m in sys.modules]\n"
        "sys.__stdout__.write(repr((errors._sections, loaded)))\n"
    )
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
    assert done.stdout == "({}, [])"
