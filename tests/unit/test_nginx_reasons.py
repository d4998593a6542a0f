"""Why ``why --nginx`` stops: the reasons catalogue (servers/nginx/data/unsupported.toml).

Every reason exists in English and Russian with the same fields; the Russian keeps the
nginx names the English writes; the code names only keys that exist and every entry is
used, each raise site filling exactly its entry's fields. The English is the text the
JSON ``reason`` has always carried, word for word.
"""

from __future__ import annotations

import ast
import re
import string
import tomllib
from pathlib import Path

import pytest

from httpdoctor.i18n import Lang
from httpdoctor.servers.nginx.evaluation import Unsupported
from httpdoctor.servers.nginx.reasons import Reason, catalogue
from httpdoctor.servers.nginx.regex import RegexUnsupported, compile_pcre
from httpdoctor.servers.nginx.uri import UriUnsupported, parse_target
from httpdoctor.servers.nginx.variables import NotModelled

pytestmark = pytest.mark.unit

SRC = Path(__file__).resolve().parents[2] / "src" / "httpdoctor"
FILE = SRC / "servers" / "nginx" / "data" / "unsupported.toml"
MACHINERY = SRC / "servers" / "nginx" / "reasons.py"
ENTRIES = {
    f"{section}.{name}": entry
    for section, names in tomllib.loads(FILE.read_text(encoding="utf-8")).items()
    for name, entry in names.items()
}
# The exceptions whose first argument is a key of the catalogue.
RAISERS = frozenset({"NotModelled", "RegexUnsupported", "UriUnsupported", "Refusal"})
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# What nginx calls things: directives, variables, flags, headers, and the library names.
_NGINX_WORD = re.compile(
    r"\$?\b[a-z]+_[a-z_]+\b|\$[a-z]+\b"
    r"|\b(?:listen|location|rewrite|return|set|map|if|ssl|server|Host|Location|PCRE|POSIX|re)\b"
)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _words(template: str) -> list[str]:
    return _NGINX_WORD.findall(re.sub(r"\{[^{}]*\}", "", template))


def _raise_sites() -> list[tuple[str, str, set[str]]]:
    """(where, key, keyword fields) of every call that names a reason by its key."""
    sites = []
    for path in sorted(SRC.rglob("*.py")):
        if path == MACHINERY:
            continue  # it passes keys on and names none
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            named = func.id if isinstance(func, ast.Name) else None
            if named not in RAISERS and not (
                isinstance(func, ast.Attribute)
                and func.attr == "of"
                and isinstance(func.value, ast.Name)
                and func.value.id == "Reason"
            ):
                continue
            first = node.args[0] if node.args else None
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                f"{where}: a reason is named by a literal key (NotModelled.because for one "
                "that is already a Reason)"
            )
            fields = {k.arg for k in node.keywords if k.arg is not None}
            sites.append((where, first.value, fields))
    return sites


SITES = _raise_sites()


def test_the_catalogue_covers_every_kind_of_refusal() -> None:
    sections = {key.split(".")[0] for key in ENTRIES}
    assert {"access", "disk", "listen", "regex", "uri", "variable"} <= sections
    assert len(ENTRIES) > 40
    assert set(catalogue()) == set(ENTRIES)


@pytest.mark.parametrize("key", sorted(ENTRIES))
def test_every_entry_has_english_and_russian_with_the_same_fields(key: str) -> None:
    entry = ENTRIES[key]
    assert set(entry) == {"en", "ru"}, key
    english, russian = entry["en"], entry["ru"]
    assert english.strip() and russian.strip() and "\n" not in english + russian
    assert _fields(english) == _fields(russian), f"{key}: fields differ"
    assert _CYRILLIC.search(russian), f"{key}: {russian!r} is not Russian"
    for text in (english, russian):
        assert not re.search(r"(?<!\.)\.$", text), f"{key}: a phrase, without a full stop"


@pytest.mark.parametrize("key", sorted(ENTRIES))
def test_the_russian_keeps_the_nginx_names_the_english_writes(key: str) -> None:
    russian = ENTRIES[key]["ru"]
    for word in _words(ENTRIES[key]["en"]):
        assert word in russian, f"{key}: {word!r} is translated or missing in {russian!r}"


def test_raise_sites_are_found() -> None:
    # What the next tests check depends on it: a site found here is a site checked there.
    assert len(SITES) > 45


def test_every_key_the_code_names_exists_and_every_entry_is_used() -> None:
    named = {key for _, key, _ in SITES}
    assert sorted(named - set(ENTRIES)) == [], "keys used in src but missing in the catalogue"
    assert sorted(set(ENTRIES) - named) == [], "entries no code uses"


@pytest.mark.parametrize(("where", "key", "fields"), SITES, ids=[s[0] for s in SITES])
def test_each_raise_site_fills_exactly_the_fields_of_its_entry(
    where: str, key: str, fields: set[str]
) -> None:
    assert fields == _fields(ENTRIES[key]["en"]), where


# The English of every reason, as the JSON `reason` carried it before the catalogue.
ENGLISH = [
    ("setting.not_default", {"setting": "ssl on;"}, "ssl on; is not modelled"),
    ("listen.no_server", {"address": "127.0.0.1", "port": 80}, "no server listens on 127.0.0.1:80"),
    ("listen.no_arguments", {}, "listen without arguments"),
    ("listen.unix_socket", {}, "unix-socket listen"),
    ("listen.value", {"value": "1.2.3.4:x"}, "listen 1.2.3.4:x"),
    ("listen.host_name", {"address": "a"}, "listen on a host name (a): resolved at start-up"),
    ("listen.ambiguous", {"port": 8}, "several listen addresses on port 8: give the local address"),
    ("listen.tls_without_ssl", {}, "a TLS request to a listen socket without ssl"),
    ("server_name.hostname", {}, "$hostname server name"),
    ("server_name.invalid", {"name": "a*b"}, "invalid server name 'a*b'"),
    ("location.modifier", {"modifier": "%"}, "location modifier '%'"),
    ("location.arguments", {}, "location arguments"),
    ("directive.error_page", {}, "error_page arguments"),
    ("directive.error_page_override", {"arg": "=abc"}, "error_page =abc"),
    ("directive.error_page_code", {"code": "40x"}, "error_page code '40x'"),
    ("directive.add_header", {}, "add_header arguments"),
    ("directive.rewrite", {}, "rewrite arguments"),
    ("directive.rewrite_flag", {"flag": "foo"}, "rewrite flag 'foo'"),
    ("directive.return", {}, "return arguments"),
    ("directive.return_code", {"code": 1000}, "return 1000"),
    ("directive.set", {}, "set arguments"),
    ("directive.set_builtin", {"name": "uri"}, "set $uri (a built-in variable)"),
    ("directive.map_entry", {}, "map entry"),
    ("condition.empty", {}, "empty if condition"),
    ("condition.form", {}, "if condition"),
    ("condition.operator", {"operator": "<>"}, "if operator '<>'"),
    ("disk.try_files", {}, "try_files needs the disk"),
    ("disk.file_test", {"test": "-f"}, "file test -f needs the disk"),
    ("access.check", {}, "access checks are not modelled"),
    ("variable.unknown", {"name": "cookie_session"}, "variable $cookie_session is not modelled"),
    ("variable.header_repeated", {"name": "x_a"}, "$http_x_a with the header sent more than once"),
    ("variable.server_addr", {}, "$server_addr without the local address"),
    ("variable.remote_addr", {}, "$remote_addr: the client address was not given"),
    ("variable.invalid_name", {"source": "/$"}, "invalid variable name in '/$'"),
    ("variable.missing_bracket", {"source": "/${a"}, "missing closing bracket in '/${a'"),
    ("request.relative_location", {}, "a relative Location without Host nor local address"),
    ("uri.escaped_question_mark", {}, "a %3F escape in the path"),
    ("uri.raw_hash", {}, "a raw # in the request target"),
    ("uri.not_origin_form", {}, "a request target that is not in origin form (/path)"),
    ("regex.unterminated_class", {}, "unterminated character class"),
    ("regex.posix_class", {"name": "foo"}, "POSIX class [:foo:]"),
    ("regex.trailing_backslash", {}, "trailing backslash"),
    ("regex.class_escape", {"char": "p"}, "escape \\p in a character class"),
    ("regex.escape", {"char": "p"}, "escape \\p"),
    ("regex.verb", {}, "PCRE verb (*...)"),
    ("regex.group_name", {"name": "1a"}, "group name '1a'"),
    ("regex.group_syntax", {"start": "?|a)"}, "group syntax (?|a)..."),
    ("regex.inline_flags", {}, "inline flags not at the start of the pattern"),
    ("regex.not_reproducible", {"error": "bad"}, "pattern not reproducible with re: bad"),
]  # fmt: skip


def test_the_english_table_names_every_entry() -> None:
    assert sorted(key for key, _, _ in ENGLISH) == sorted(ENTRIES)


@pytest.mark.parametrize(("key", "fields", "english"), ENGLISH, ids=[e[0] for e in ENGLISH])
def test_the_english_is_the_reason_scripts_have_always_read(
    key: str, fields: dict[str, object], english: str
) -> None:
    assert Reason.of(key, **fields).text() == english
    assert str(Reason.of(key, **fields)) == english


def test_fields_stay_as_written_in_russian_too() -> None:
    why = Reason.of("variable.unknown", name="cookie_session")
    assert why.text(Lang.RU) == "переменная $cookie_session не моделируется"
    listen = Reason.of("listen.no_server", address="127.0.0.1", port=80)
    assert listen.text(Lang.RU) == "ни один server не слушает 127.0.0.1:80"
    assert listen.fields == (("address", "127.0.0.1"), ("port", "80"))


def test_an_unsupported_record_keeps_english_and_words_any_language() -> None:
    item = Unsupported(span=None, directive="try_files", why=Reason.of("disk.try_files"))
    assert item.reason == "try_files needs the disk"
    assert item.reason_in(Lang.EN) == item.reason
    assert item.reason_in(Lang.RU) == "try_files требует доступа к диску"


def test_a_key_or_fields_the_catalogue_does_not_know_is_shown_bare_not_raised() -> None:
    assert Reason.of("disk.no_such_entry", path="/x").text() == "disk.no_such_entry (path='/x')"
    assert Reason.of("disk.file_test").text(Lang.RU) == "disk.file_test"


def test_regex_and_uri_refusals_carry_their_key_and_read_as_english() -> None:
    with pytest.raises(RegexUnsupported) as regex:
        compile_pcre("\\p{L}")
    assert regex.value.why == Reason.of("regex.escape", char="p")
    assert str(regex.value) == "escape \\p"
    with pytest.raises(UriUnsupported) as uri:
        parse_target("/a%3Fb")
    assert uri.value.why.key == "uri.escaped_question_mark"


def test_a_refusal_keeps_its_reason_when_it_is_given_a_place() -> None:
    error = NotModelled("variable.unknown", name="cookie_id")
    placed = NotModelled.because(error.why, None, "return")
    assert (placed.why, placed.directive, str(placed)) == (
        error.why,
        "return",
        "variable $cookie_id is not modelled",
    )
