"""nginx's tokenizer, rule for rule, and crossplane's lexer where Lua blocks need it.

Pure. Tokens are crossplane's ``(text, line, quoted)`` triples; comments are dropped.

Why not crossplane's lexer for everything: it reads one character at a time through three
generators (about 7x slower than this on a 5,000-line config, more than ``nginx -t``
takes for the whole job), and it differs from nginx where it matters:

* a word right after ``${name}`` is glued to it: ``rewrite ^ https://x${uri} permanent;``
  comes out as two arguments, the flag lost (nginx: three);
* it treats any Unicode space (a no-break space copied from a web page) as a separator,
  where nginx sees part of a word and fails with "unknown directive";
* it drops a last word or an unterminated quote at the end of the file without a word;
* it accepts a quoted string followed by more text (``"a"b``), which nginx refuses.

The rules below are those of ``ngx_conf_read_token`` [nginx src/core/ngx_conf_file.c,
release-1.22.1]: words end at space, tab, CR, LF, ``;`` or ``{`` (a ``}`` inside a word is
part of it), ``{`` right after ``$`` is part of the word (``${name}``), a backslash keeps
the next character whatever it is, ``"``/``'`` open a quoted word only at the start of a
word and a closing quote must be followed by a space, ``;``, ``{`` or ``)``, and ``#``
starts a comment only at the start of a word, up to the end of the line.

Files using ``*_by_lua_block`` (OpenResty; Lua code inside braces is not nginx syntax)
go through crossplane's lexer and its Lua extension, with its ``${name}`` glitch repaired.
"""

from __future__ import annotations

import re
from typing import Any

from crossplane.errors import NgxParserBaseException

# crossplane's string-fed lexer is module-private; the package is pinned (pyproject) and
# tests/unit/test_nginx_lexer.py checks our tokens against it.
from crossplane.lexer import _lex_file_object

from httpdoctor.errors import ConfigSyntaxError
from httpdoctor.servers.nginx.model import SourceSpan

__all__ = ["Token", "eof_line", "lex"]

Token = tuple[str, int, bool]
"""One token as crossplane yields them: (text, line, quoted)."""

# Leading whitespace, then one token; the groups are numbered by kind (see _QUOTED_GROUPS).
_TOKEN = re.compile(
    r"""[ \t\r\n]*(?:
      (\#[^\n]*)                                  # 1 comment
    | "((?:\\.|[^"\\])*)"                          # 2 double-quoted
    | '((?:\\.|[^'\\])*)'                          # 3 single-quoted
    | ([;{}])                                     # 4 special
    | ((?:\\.|\$\{*|[^ \t\r\n;{}"'\#\\$])(?:\\.|\$\{*|[^ \t\r\n;{\\$])*)  # 5 word
    )""",
    re.VERBOSE | re.DOTALL,
)
_COMMENT, _QUOTED_GROUPS = 1, (2, 3)
_AFTER_QUOTE = frozenset(" \t\r\n;{)")
_GLUED = re.compile(r"(?<!\\)\s+")  # crossplane's words never hold bare whitespace otherwise


def eof_line(text: str) -> int:
    """The line nginx names in end-of-file errors: the one after the last newline."""
    return text.count("\n") + 1


def _error(file: str, line: int, key: str, /, **fields: Any) -> ConfigSyntaxError:
    return ConfigSyntaxError.at(SourceSpan(file=file, line=line), key, **fields)


def lex(text: str, file: str) -> list[Token]:
    """The tokens of ``text`` (the contents of ``file``), comments left out.

    Raises:
        ConfigSyntaxError: an unterminated quote or escape, or text glued to a quote.
    """
    if "_by_lua_block" in text:
        return _lex_with_crossplane(text, file)
    tokens: list[Token] = []
    append, count = tokens.append, text.count
    position = 0  # where the next match must start: a gap is an unterminated quote
    line, counted = 1, 0  # the line at offset `counted`
    for match in _TOKEN.finditer(text):
        if match.start() != position:
            break
        position = match.end()
        kind = match.lastindex
        if kind is None or kind == _COMMENT:
            continue
        start = match.start(kind)
        line += count("\n", counted, start)
        counted = start
        if kind in _QUOTED_GROUPS:
            append((match[kind], line, True))
            if position < len(text) and text[position] not in _AFTER_QUOTE:
                raise _error(
                    file,
                    line + match[kind].count("\n"),
                    "config.after_quote",
                    char=text[position],
                )
        else:
            append((match[kind], line, False))
    if text[position:].strip(" \t\r\n"):  # an unterminated quote or a final backslash
        raise _error(file, eof_line(text), "config.eof_in_token")
    return tokens


def _lex_with_crossplane(text: str, file: str) -> list[Token]:
    tokens: list[Token] = []
    try:
        for value, line, quoted in _lex_file_object([text]):
            if quoted:
                tokens.append((value, line, True))
            elif not value.startswith("#"):
                # crossplane glues the word after "${name}" to it: split them again
                tokens.extend((part, line, False) for part in _GLUED.split(value) if part)
    except NgxParserBaseException as exc:
        raise _error(file, exc.lineno or 1, "config.lua_lexer", reason=exc.strerror) from None
    return tokens
