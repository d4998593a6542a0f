"""The model back to nginx text: ``render(config)`` parses to the same directives.

Pure. Includes are already expanded in the model, so the text is one self-contained file
(comments and the original layout are gone). Words are quoted only when nginx would
otherwise read them differently; inside double quotes ``"`` and a backslash that nginx
would take as an escape are escaped, and tab, CR and LF are written ``\\t``, ``\\r``, ``\\n``
[nginx src/core/ngx_conf_file.c ``ngx_conf_read_token``]. ``if`` conditions get their
parentheses back. ``*_by_lua_block`` directives (crossplane keeps their code as one
argument) are written as blocks again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from httpdoctor.servers.nginx.model import Config, Directive

__all__ = ["render", "render_directives"]

# A word is safe bare when it has no whitespace, quote, ';', '{' or '}' (except a
# '${name}' reference), does not start a comment and has no backslash nginx would decode.
_SPECIAL = re.compile(r"""[\s"';{}]|\\(?:[\s"'\\trn;{}]|$)|^#""")
_VARIABLE_BRACES = re.compile(r"\$\{\w+\}")
_ESCAPES = {'"': '\\"', "\t": "\\t", "\r": "\\r", "\n": "\\n"}
_QUOTED = re.compile(r"""\\(?=["'\\trn]|$)|["\t\r\n]""")


def quote(word: str) -> str:
    """``word`` as nginx must read it: bare when that is unambiguous, else double-quoted."""
    if word and not _SPECIAL.search(_VARIABLE_BRACES.sub("v", word)):
        return word
    return '"' + _QUOTED.sub(lambda m: _ESCAPES.get(m[0], "\\\\"), word) + '"'


def _condition(args: tuple[str, ...]) -> str:
    words = [quote(arg) for arg in args]
    if not words:
        return "()"
    # Glue the parentheses to bare words only: '("x' would not be read as a quote.
    if words[0] != args[0] or words[-1] != args[-1] or words[0].startswith("("):
        return "( " + " ".join(words) + " )"
    return "(" + " ".join(words) + ")"


def _lines(directive: Directive, indent: str) -> Iterator[str]:
    name = quote(directive.name)
    if directive.name.endswith("_by_lua_block") and directive.block is None and directive.args:
        *head, code = directive.args
        words = "".join(f" {quote(arg)}" for arg in head)
        yield f"{indent}{name}{words} {{{code}}}"
        return
    if directive.name == "if":
        words = " " + _condition(directive.args)
    else:
        words = "".join(f" {quote(arg)}" for arg in directive.args)
    if directive.block is None:
        yield f"{indent}{name}{words};"
        return
    if not directive.block:
        yield f"{indent}{name}{words} {{}}"
        return
    yield f"{indent}{name}{words} {{"
    for child in directive.block:
        yield from _lines(child, indent + "    ")
    yield f"{indent}}}"


def render_directives(directives: Iterable[Directive]) -> str:
    """nginx text for ``directives``, one per line, blocks indented by four spaces."""
    return "".join(line + "\n" for directive in directives for line in _lines(directive, ""))


def render(config: Config) -> str:
    """nginx text for the whole configuration."""
    return render_directives(config.directives)
