"""One nginx configuration file: bytes -> text -> tokens -> crossplane's statement dicts.

Pure: text in, data out; reading files and expanding ``include`` live elsewhere
(``servers.common.loader`` reads, ``servers.nginx.includes`` expands). Tokens come from
``servers.nginx.lexer`` (nginx's own rules).

What crossplane (pinned 0.5.8) does here and what this layer adds:

* Statements have crossplane's payload shape (``directive``, ``line``, ``args``,
  ``block``; what ``crossplane.parse(..., single=True)`` returns, built from a string,
  which crossplane cannot do), and ``if`` arguments lose their parentheses as crossplane
  does. ``include`` is left in place for ``servers.nginx.includes``.
* crossplane's analyser checks argument counts and ``;``/``{`` terminators of the
  directives it knows (``check_args=True``), while ``strict=False, check_ctx=False`` let
  unknown, third-party and newer directives through, in any context: ``nginx -t`` is
  the judge of those.
* What crossplane's parser does not check is checked here, in nginx's words: ``{`` or
  ``;`` where a directive name belongs, a directive closed by ``}`` instead of ``;``, a
  block not closed at the end of the file, a directive name holding a no-break space.
* Arguments are unescaped as nginx does after reading a word (``\\"``, ``\\'``, ``\\\\``,
  ``\\t``, ``\\r``, ``\\n``; every other backslash stays) [nginx src/core/ngx_conf_file.c
  ``ngx_conf_read_token``]; crossplane's lexer only unescapes the quote in a quoted string.
  ``*_by_lua_block`` code is Lua and stays verbatim.
* Bytes are checked before decoding: a NUL byte means a binary file; undecodable UTF-8 and
  a byte-order mark (nginx reads it as part of the first directive name) are errors too.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from typing import Any

from crossplane.analyzer import analyze, enter_block_ctx
from crossplane.errors import NgxParserDirectiveError
from crossplane.lexer import EXTERNAL_LEXERS

# crossplane's `if` argument clean-up is module-private; the package is pinned (pyproject).
from crossplane.parser import _prepare_if_args

from httpdoctor.errors import ConfigSyntaxError, ErrorText
from httpdoctor.servers.nginx.lexer import Token, eof_line
from httpdoctor.servers.nginx.model import SourceSpan

__all__ = ["Statement", "decode", "statements", "unescape"]

Statement = dict[str, Any]
"""crossplane's payload statement: ``directive``, ``line``, ``args`` and, for blocks, ``block``."""

_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPED = {'"': '"', "'": "'", "\\": "\\", "t": "\t", "r": "\r", "n": "\n"}

# Spaces to Python, part of a word to nginx (it splits on space, tab, CR and LF only).
_ODD_SPACE = re.compile(r"[^\S \t\r\n]")


def unescape(word: str) -> str:
    """A word as nginx stores it: ``\\"``, ``\\'``, ``\\\\``, ``\\t``, ``\\r``, ``\\n`` decoded."""
    if "\\" not in word:
        return word
    return _ESCAPE.sub(lambda m: _UNESCAPED.get(m[1], m[0]), word)


def _included(included_from: SourceSpan | None) -> ErrorText | str:
    if included_from is None:
        return ""
    return ErrorText("config.included_from", span=included_from)


def decode(data: bytes, file: str, *, included_from: SourceSpan | None = None) -> str:
    """The text of a configuration file, refusing what nginx could not read as one."""
    nul = data.find(b"\0")
    if nul >= 0:
        raise ConfigSyntaxError.at(
            SourceSpan(file=file, line=data.count(b"\n", 0, nul) + 1),
            "config.binary",
            file=file,
            included=_included(included_from),
        )
    if data.startswith(codecs.BOM_UTF8):
        raise ConfigSyntaxError.at(
            SourceSpan(file=file, line=1), "config.bom", included=_included(included_from)
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigSyntaxError.at(
            SourceSpan(file=file, line=data.count(b"\n", 0, exc.start) + 1),
            "config.not_utf8",
            byte=f"{data[exc.start]:02x}",
            included=_included(included_from),
        ) from None


def _error(file: str, line: int, key: str, /, **fields: Any) -> ConfigSyntaxError:
    return ConfigSyntaxError.at(SourceSpan(file=file, line=line), key, **fields)


def statements(
    tokens: Sequence[Token], file: str, ctx: tuple[str, ...] = (), *, text: str = ""
) -> list[Statement]:
    """The statements of one file, as crossplane's ``parse(..., single=True)`` builds them.

    ``ctx`` is the block context the file is read in (``()`` for a main file, the context
    of the ``include`` otherwise); it decides, as in crossplane, which statements its
    analyser checks. ``text`` (the file's text) only serves end-of-file line numbers.
    ``include`` statements are kept; ``servers.nginx.includes`` expands them.

    Raises:
        ConfigSyntaxError: the file is not valid nginx syntax; names file:line.
    """
    top: list[Statement] = []
    # (context, statements of the open block, the block's statement or None at top level)
    stack: list[tuple[tuple[str, ...], list[Statement], Statement | None]] = [(ctx, top, None)]
    position, count = 0, len(tokens)
    while position < count:
        word, line, quoted = tokens[position]
        position += 1
        if not quoted:
            if word == "}":
                if len(stack) == 1:
                    raise _error(file, line, "config.unexpected", token="}")
                stack.pop()
                continue
            if word in ("{", ";"):
                raise _error(file, line, "config.unexpected", token=word)
        odd = _ODD_SPACE.search(word)
        if odd is not None:
            raise _error(file, line, "config.odd_space", word=word, code=f"{ord(odd[0]):04X}")
        args: list[str] = []
        stmt: Statement = {"directive": word, "line": line, "args": args}
        while True:
            if position >= count:
                raise _error(file, eof_line(text), "config.eof_in_directive")
            arg, _, arg_quoted = tokens[position]
            position += 1
            if not arg_quoted and arg in ("{", ";", "}"):
                terminator = arg
                break
            args.append(arg)
        if terminator == "}":
            raise _error(file, line, "config.not_terminated", directive=word)
        if word == "if":
            _prepare_if_args(stmt)
        block_ctx, block_list, _ = stack[-1]
        _analyze(file, stmt, terminator, block_ctx)
        if word not in EXTERNAL_LEXERS:  # *_by_lua_block code is Lua, kept verbatim
            stmt["directive"] = unescape(word)
            stmt["args"] = [unescape(arg) for arg in stmt["args"]]
        block_list.append(stmt)
        if terminator == "{":
            children: list[Statement] = []
            stmt["block"] = children
            stack.append((enter_block_ctx(stmt, block_ctx), children, stmt))
    if len(stack) > 1:
        opened = stack[-1][2]
        assert opened is not None
        raise _error(
            file,
            eof_line(text),
            "config.block_not_closed",
            directive=opened["directive"],
            line=opened["line"],
        )
    return top


def _analyze(file: str, stmt: Statement, terminator: str, ctx: tuple[str, ...]) -> None:
    try:
        analyze(
            fname=file,
            stmt=stmt,
            term=terminator,
            ctx=ctx,
            strict=False,
            check_ctx=False,
            check_args=True,
        )
    except NgxParserDirectiveError as exc:
        raise _error(
            file, exc.lineno or stmt["line"], "config.analyser", reason=exc.strerror
        ) from None
