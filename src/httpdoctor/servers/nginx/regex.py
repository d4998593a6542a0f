"""PCRE2 patterns (as nginx 1.22 compiles them) on Python's ``re``, or a refusal.

nginx compiles with PCRE2, without UTF mode, caseless only for ``~*`` (and for
``server_name`` regexes written with capitals) [src core/ngx_regex.c]. So matching is on
bytes, ``\\d``/``\\w``/``\\s`` and case folding are ASCII-only. Strings here are bytes
mapped one-to-one onto code points (latin-1), and patterns are compiled with
``re.ASCII``. The translation accepts a known-equivalent subset and raises
:class:`RegexUnsupported` for everything else (``\\p{..}``, ``\\K``, recursion,
conditionals, mid-pattern global flags, POSIX negations ...): never a near miss.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache

from httpdoctor.servers.nginx.reasons import Refusal

__all__ = ["CompiledRegex", "RegexUnsupported", "compile_pcre", "to_wire"]


class RegexUnsupported(Refusal):
    """The pattern uses PCRE syntax that has no exact equivalent here (a ``regex.*`` key)."""


_POSIX = {
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "alnum": "a-zA-Z0-9",
    "upper": "A-Z",
    "lower": "a-z",
    "space": " \\t\\n\\r\\f\\v",
    "blank": " \\t",
    "xdigit": "0-9A-Fa-f",
    "word": "a-zA-Z0-9_",
    "cntrl": "\\x00-\\x1f\\x7f",
    "print": "\\x20-\\x7e",
    "graph": "\\x21-\\x7e",
    "punct": "!-/:-@\\[-`{-~",
}
# Escapes with the same meaning in PCRE2 (non-UTF) and Python re with re.ASCII.
_SAME_ESCAPES = frozenset("dDsSwWbBAnrtfa")
_CLASS_ESCAPES = frozenset("dDsSwWnrtfab")
_QUANTIFIER = re.compile(r"\{\d+(,\d*)?\}")
_HEX2 = re.compile(r"[0-9a-fA-F]{2}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def to_wire(text: str) -> str:
    """A config string (decoded UTF-8) as the bytes nginx sees, one code point per byte."""
    return text.encode("utf-8", "surrogateescape").decode("latin-1")


def _translate_class(pattern: str, i: int) -> tuple[str, int]:
    """Translate ``[...]`` starting at ``pattern[i] == '['``; return (text, next index)."""
    out = ["["]
    i += 1
    if i < len(pattern) and pattern[i] == "^":
        out.append("^")
        i += 1
    items: list[tuple[str, str]] = []  # (kind, python text); kind: char | set
    first = True
    while True:
        if i >= len(pattern):
            raise RegexUnsupported("regex.unterminated_class")
        char = pattern[i]
        if char == "]" and not first:
            i += 1
            break
        first = False
        if char == "[" and pattern.startswith("[:", i):
            end = pattern.find(":]", i + 2)
            name = pattern[i + 2 : end] if end > 0 else ""
            if name not in _POSIX:
                raise RegexUnsupported("regex.posix_class", name=name)
            items.append(("set", _POSIX[name]))
            i = end + 2
        elif char == "\\":
            if i + 1 >= len(pattern):
                raise RegexUnsupported("regex.trailing_backslash")
            nxt = pattern[i + 1]
            if nxt in _CLASS_ESCAPES:
                kind = "set" if nxt in "dDsSwW" else "char"
                items.append((kind, "\\" + nxt))
                i += 2
            elif nxt == "x" and _HEX2.fullmatch(pattern, i + 2, i + 4):
                items.append(("char", pattern[i : i + 4]))
                i += 4
            elif not nxt.isalnum():
                items.append(("char", "\\" + nxt))
                i += 2
            else:
                raise RegexUnsupported("regex.class_escape", char=nxt)
        else:
            items.append(("char", char if char.isalnum() else "\\" + char))
            i += 1
    # PCRE: '-' is a range only between two single characters; elsewhere it is literal.
    j = 0
    while j < len(items):
        kind, text = items[j]
        is_range = (
            kind == "char"
            and j + 2 < len(items)
            and items[j + 1] == ("char", "\\-")
            and items[j + 2][0] == "char"
        )
        if is_range:
            out.append(f"{text}-{items[j + 2][1]}")
            j += 3
        else:
            out.append(text)
            j += 1
    out.append("]")
    return "".join(out), i


def _translate_group(pattern: str, i: int, out: list[str]) -> int:
    """Translate the opening of a group at ``pattern[i] == '('``; return next index."""
    rest = pattern[i + 1 :]
    if not rest.startswith("?"):
        if rest.startswith("*"):
            raise RegexUnsupported("regex.verb")
        out.append("(")
        return i + 1
    for opening in ("?:", "?=", "?!", "?<=", "?<!", "?>"):
        if rest.startswith(opening):
            out.append("(" + opening)
            return i + 1 + len(opening)
    for opening, close in (("?<", ">"), ("?P<", ">"), ("?'", "'")):
        if rest.startswith(opening):
            end = rest.find(close, len(opening))
            name = rest[len(opening) : end] if end > 0 else ""
            if not _NAME.fullmatch(name):
                raise RegexUnsupported("regex.group_name", name=name)
            out.append(f"(?P<{name}>")
            return i + 1 + end + 1
    flags = re.match(r"\?([imsn]*)(?:-([ims]*))?([:)])", rest)
    if flags is None or "n" in (flags.group(1) or ""):
        raise RegexUnsupported("regex.group_syntax", start=rest[:4])
    # PCRE applies a bare (?i) from there to the group's end; Python only at the start.
    if flags.group(3) == ")" and (i != 0 or flags.group(2) is not None):
        raise RegexUnsupported("regex.inline_flags")
    out.append("(" + flags.group(0))
    return i + 1 + len(flags.group(0))


def _translate(pattern: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            if i + 1 >= len(pattern):
                raise RegexUnsupported("regex.trailing_backslash")
            nxt = pattern[i + 1]
            if nxt in _SAME_ESCAPES or (nxt.isdigit() and nxt != "0"):
                out.append("\\" + nxt)
                i += 2
            elif nxt == "z":
                out.append("\\Z")
                i += 2
            elif nxt == "Z":
                out.append("(?=\\n?\\Z)")
                i += 2
            elif nxt == "x" and _HEX2.fullmatch(pattern, i + 2, i + 4):
                out.append(pattern[i : i + 4])
                i += 4
            elif not nxt.isalnum():
                out.append("\\" + nxt)
                i += 2
            else:
                raise RegexUnsupported("regex.escape", char=nxt)
        elif char == "[":
            text, i = _translate_class(pattern, i)
            out.append(text)
        elif char == "(":
            i = _translate_group(pattern, i, out)
        elif char == "{":
            quantifier = _QUANTIFIER.match(pattern, i)
            if quantifier is None:
                out.append("\\{")  # PCRE2 10.42: not a quantifier, a literal
                i += 1
            else:
                out.append(quantifier.group(0))
                i = quantifier.end()
        elif char == "}":
            out.append("\\}")
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


@dataclass(frozen=True, slots=True)
class CompiledRegex:
    """A PCRE pattern and its Python equivalent."""

    source: str
    caseless: bool
    compiled: re.Pattern[str]

    @property
    def groups(self) -> int:
        return self.compiled.groups

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.compiled.groupindex)


@lru_cache(maxsize=4096)
def compile_pcre(pattern: str, caseless: bool = False) -> CompiledRegex:
    """Compile ``pattern`` (as written in the config) or raise :class:`RegexUnsupported`."""
    translated = _translate(to_wire(pattern))
    flags = re.ASCII | (re.IGNORECASE if caseless else 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a FutureWarning means re reads it differently
        try:
            compiled = re.compile(translated, flags)
        except (re.error, OverflowError, Warning) as error:
            raise RegexUnsupported("regex.not_reproducible", error=error) from error
    return CompiledRegex(pattern, caseless, compiled)
