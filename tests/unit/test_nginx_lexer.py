"""The nginx tokenizer: crossplane's tokens wherever crossplane reads nginx right, nginx's
where it does not (each difference checked against Debian's nginx 1.22 with ``nginx -t``).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

# The reference: crossplane's own lexer, comments dropped.
from crossplane.lexer import _lex_file_object

from httpdoctor.errors import ConfigSyntaxError
from httpdoctor.servers.nginx.lexer import Token, lex
from httpdoctor.servers.nginx.parse import unescape

pytestmark = pytest.mark.unit

CASES = Path(__file__).resolve().parents[1] / "cases" / "nginx"


def _crossplane(text: str) -> list[Token]:
    return [t for t in _lex_file_object([text]) if t[2] or not t[0].startswith("#")]


def _words(tokens: list[Token]) -> list[Token]:
    # crossplane decodes only the quote inside a quoted word; nginx's unescape finishes both
    return [(unescape(value), line, quoted) for value, line, quoted in tokens]


SAMPLES = [
    "events { worker_connections 64; }\n",
    'add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;\n',
    "if ($http_host ~* ^www\\.(.+)$) { return 301 https://$1$request_uri; }\n",
    "location ~ \\.(gif|jpg)$ {\n    expires 30d;   # cache\n}\n",
    "return 200 'single \\'quoted\\' \"mixed\"';\n",
    'return 200 "multi\nline\n  string";\n',
    "set $a ${b}c;\nset $d ${e};\n",
    "map $uri $x {\n    default 0;\n    ~^/a\\;b 1;\n}\n",
    "log_format main '$remote_addr - [$time_local] \"$request\"';\n",
    "a b\\ c;\n# trailing comment without newline",
    "server_name a.test\tb.test\r\n;\r\n",
    'word"with"quotes inside#hash;\n',
    "a#b c; # d \\\ne;\n",
]


def _corpus() -> list[str]:
    return SAMPLES + [p.read_text(encoding="utf-8") for p in sorted(CASES.rglob("*.conf"))]


@pytest.mark.parametrize("text", _corpus())
def test_tokens_equal_crossplanes_on_ordinary_configurations(text: str) -> None:
    assert _words(lex(text, "x.conf")) == _words(_crossplane(text))


def test_tokens_equal_crossplanes_on_generated_configurations() -> None:
    pieces = [
        "word", "$var", "${var}x", "a\\;b", "\\\"esc", "'sq \\' x'", '"dq \\" x"', '"a\\\\"',
        "{", "}", ";", "\n", " ", "\t", "# note\n", "^/(a|b)$", "$1", "\"\"",
    ]  # fmt: skip
    rng = random.Random(6)
    for _ in range(2000):
        parts = [rng.choice(pieces) for _ in range(rng.randrange(1, 12))]
        text = " ".join(parts) + " ;\n"
        assert _words(lex(text, "x.conf")) == _words(_crossplane(text)), text


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        # crossplane glues the word after ${name} to it, losing the rewrite flag
        (
            "rewrite ^ https://x${uri} permanent;",
            ["rewrite", "^", "https://x${uri}", "permanent", ";"],
        ),
        ("set $a ${b}\nc;", ["set", "$a", "${b}", "c", ";"]),
        # a no-break space is part of a word to nginx ("unknown directive")
        ("listen\u00a080;", ["listen\u00a080", ";"]),
        # a "}" inside a word does not end it (nginx then fails with 'unexpected "}"')
        ("return 200 ok} }", ["return", "200", "ok}", "}"]),
    ],
)
def test_tokens_follow_nginx_where_crossplane_differs(text: str, tokens: list[str]) -> None:
    assert [t[0] for t in lex(text, "x.conf")] == tokens
    assert [t[0] for t in _crossplane(text)] != tokens


def test_lines_are_those_where_each_token_starts() -> None:
    text = 'a "b\nc"\n  d;\n\n# x\ne {\n}\n'
    assert lex(text, "x.conf") == [
        ("a", 1, False),
        ("b\nc", 1, True),
        ("d", 3, False),
        (";", 3, False),
        ("e", 6, False),
        ("{", 6, False),
        ("}", 7, False),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('return 200 "a"b;', 'x.conf:1: unexpected "b" after a quoted string'),
        ('a "open\n\n', 'x.conf:3: unexpected end of file, expecting ";" or "}"'),
        ("a b\\", 'x.conf:1: unexpected end of file, expecting ";" or "}"'),
    ],
)
def test_what_nginx_refuses_to_tokenize_is_an_error(text: str, message: str) -> None:
    with pytest.raises(ConfigSyntaxError) as caught:
        lex(text, "x.conf")
    assert caught.value.message == message


def test_a_quote_may_be_followed_by_a_parenthesis_as_in_if() -> None:
    assert [t[0] for t in lex('if ($a = "b") { }', "x.conf")] == [
        "if", "($a", "=", "b", ")", "{", "}",
    ]  # fmt: skip


def test_files_with_lua_blocks_use_crossplanes_lua_lexer_with_the_glue_repaired() -> None:
    text = 'content_by_lua_block { ngx.say("}") }\nrewrite ^ /x${uri} last;\n'
    assert [t[0] for t in lex(text, "x.conf")] == [
        "content_by_lua_block", ' ngx.say("}") ', ";", "rewrite", "^", "/x${uri}", "last", ";",
    ]  # fmt: skip
