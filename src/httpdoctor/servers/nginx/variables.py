"""Variables, captures and nginx "scripts" (strings with ``$var``, ``${var}``, ``$1``).

The request's mutable state during one evaluation lives in :class:`RequestState`; it is
private to the evaluator and never crosses a module boundary. Rules reproduced:

* variable names are case-insensitive [src ngx_http_variables.c ``ngx_http_get_variable``];
  ``$1``..``$9`` are single digits (``$12`` is ``$1`` then ``2``) [src ngx_http_script.c
  ``ngx_http_script_compile``];
* captures are those of the last successful regex match that had groups; a failed
  ``rewrite``/``if`` regex clears them [src ngx_http_script.c regex_start_code];
* in a rewrite redirect, and in the query part of any rewrite replacement, captures are
  escaped (``NGX_ESCAPE_ARGS``) when the request URI had ``%`` escapes or ``+``;
* ``map`` values are cached for the request unless ``volatile`` [src ngx_http_map_module.c];
* ``$http_NAME`` is the first header with that name (``-`` read as ``_``) in 1.22.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from httpdoctor.servers.nginx.model import Directive, SourceSpan
from httpdoctor.servers.nginx.reasons import Reason, Refusal

__all__ = ["NotModelled", "RequestState", "Script", "escape_args", "parse_script"]


class NotModelled(Refusal):
    """A construct the evaluator refuses to guess about (becomes ``Unsupported``).

    Raised with a key of ``data/unsupported.toml`` and its fields; ``span`` and
    ``directive`` say where, and are filled by the nearest caller that knows.
    """

    def __init__(
        self, key: str, span: SourceSpan | None = None, directive: str = "", /, **fields: object
    ) -> None:
        super().__init__(key, **fields)
        self.span = span
        self.directive = directive

    @classmethod
    def because(
        cls, why: Reason, span: SourceSpan | None = None, directive: str = ""
    ) -> NotModelled:
        """The refusal ``why`` (of a regex or of the request target), located."""
        error = cls(why.key, span, directive)
        error.why = why
        return error

    def at(self, directive: Directive) -> NotModelled:
        """This error, located at ``directive`` unless it already has a place."""
        if self.span is not None:
            return self
        return NotModelled.because(self.why, directive.span, directive.name)


# NGX_ESCAPE_ARGS [src core/ngx_string.c ngx_escape_uri]: " ", "#", "%", "&", "+", ";",
# "?", %00-%1F, %7F-%FF.
_ARGS_UNSAFE = (
    frozenset(" #%&+;?") | {chr(c) for c in range(0x20)} | {chr(c) for c in range(0x7F, 0x100)}
)


def escape_args(text: str) -> str:
    return "".join(f"%{ord(c):02X}" if c in _ARGS_UNSAFE else c for c in text)


@dataclass(frozen=True, slots=True)
class _Part:
    """A piece of a script: literal text, a variable, or a capture number."""

    kind: str  # "text" | "var" | "capture"
    value: str


@dataclass(frozen=True, slots=True)
class Script:
    """A compiled nginx value string."""

    source: str
    parts: tuple[_Part, ...]

    @property
    def is_constant(self) -> bool:
        return all(p.kind == "text" for p in self.parts)

    def variables(self) -> tuple[str, ...]:
        return tuple(p.value for p in self.parts if p.kind == "var")


_NAME_CHAR = re.compile(r"[A-Za-z0-9_]")


def parse_script(source: str) -> Script:
    """Compile ``source`` as ``ngx_http_script_compile`` reads it."""
    parts: list[_Part] = []
    text: list[str] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char != "$":
            text.append(char)
            i += 1
            continue
        if text:
            parts.append(_Part("text", "".join(text)))
            text = []
        i += 1
        if i >= len(source):
            raise NotModelled("variable.invalid_name", source=source)
        if "1" <= source[i] <= "9":
            parts.append(_Part("capture", source[i]))
            i += 1
            continue
        bracket = source[i] == "{"
        if bracket:
            i += 1
        start = i
        while i < len(source) and _NAME_CHAR.match(source[i]):
            i += 1
        name = source[start:i]
        if bracket:
            if i >= len(source) or source[i] != "}":
                raise NotModelled("variable.missing_bracket", source=source)
            i += 1
        if not name:
            raise NotModelled("variable.invalid_name", source=source)
        parts.append(_Part("var", name.lower()))
    if text:
        parts.append(_Part("text", "".join(text)))
    return Script(source, tuple(parts))


class RequestState:
    """Everything about the request that directives read or change."""

    def __init__(self, *, uri: str, args: str, method: str, quoted: bool, plus: bool) -> None:
        self.uri = uri
        self.args = args
        self.method = method
        self.quoted = quoted
        self.plus = plus
        self.captures: list[str | None] = []  # $0, $1, ... of the last match with groups
        self.variables: dict[str, str] = {}  # set, named captures
        self.map_cache: dict[str, str] = {}
        self.internal = False

    def record_match(self, match: re.Match[str]) -> None:
        """A successful regex match: named captures become variables, groups captures."""
        for name, value in match.groupdict().items():
            self.variables[name.lower()] = value if value is not None else ""
        if match.re.groups:
            last = match.lastindex or 0
            # PCRE returns the highest group that matched + 1 captures (rc).
            highest = max(
                (n for n in range(1, match.re.groups + 1) if match.group(n) is not None), default=0
            )
            count = max(last, highest)
            self.captures = [match.group(n) for n in range(count + 1)]

    def capture(self, number: int) -> str:
        if number < len(self.captures):
            return self.captures[number] or ""
        return ""


Lookup = Callable[[str], str]


def render(
    script: Script,
    lookup: Lookup,
    state: RequestState,
    *,
    redirect: bool = False,
    split_args: bool = False,
) -> tuple[str, str | None]:
    """Evaluate ``script``; returns (value, args) where ``args`` is the part after the
    first literal ``?`` when ``split_args`` (rewrite replacements), else None."""
    escape = state.quoted or state.plus
    head: list[str] = []
    tail: list[str] | None = None
    for part in script.parts:
        target = head if tail is None else tail
        if part.kind == "text":
            if split_args and tail is None and "?" in part.value:
                before, _, after = part.value.partition("?")
                head.append(before)
                tail = [after]
            else:
                target.append(part.value)
        elif part.kind == "capture":
            value = state.capture(int(part.value))
            if escape and (redirect or tail is not None):
                value = escape_args(value)
            target.append(value)
        else:
            target.append(lookup(part.value))
    return "".join(head), ("".join(tail) if tail is not None else None)
