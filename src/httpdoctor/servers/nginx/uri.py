"""The request line and Host header as nginx 1.22 reads them.

* The path is %-decoded and normalised (``.``/``..`` resolved, slashes merged) by the
  state machine of ``ngx_http_parse_complex_uri`` [src ngx_http_parse.c]: a decoded
  character is processed like a raw one, except a decoded ``%`` or ``#`` (kept as data).
* The Host is validated and normalised by ``ngx_http_validate_host``
  [src ngx_http_request.c:2125]: port cut, one trailing dot dropped, lower-cased;
  ``..``, ``/``, NUL or control characters → 400.

Strings are bytes mapped onto code points (latin-1), as in :mod:`.regex`.
"""

from __future__ import annotations

from dataclasses import dataclass

from httpdoctor.servers.nginx.reasons import Refusal

__all__ = ["BadRequest", "ParsedTarget", "UriUnsupported", "normalise_host", "parse_target"]


class BadRequest(Exception):
    """nginx answers 400 before any configuration is consulted."""


class UriUnsupported(Refusal):
    """A request-target form this evaluator does not reproduce (a ``uri.*`` key)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedTarget:
    """The request target split and normalised.

    ``quoted``: the path had a ``%`` escape (nginx ``r->quoted_uri``); ``plus``: it had a
    ``+`` (``r->plus_in_uri``); both make rewrite redirects escape their captures.
    """

    uri: str
    args: str
    request_uri: str
    quoted: bool
    plus: bool


_HEX = "0123456789abcdefABCDEF"


def _decode(path: str) -> list[tuple[str, bool]]:
    """(char, is_data) pairs: ``is_data`` for a decoded ``%``/``#`` that skips the parser."""
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(path):
        char = path[i]
        if char == "%":
            pair = path[i + 1 : i + 3]
            if len(pair) < 2 or pair[0] not in _HEX or pair[1] not in _HEX:
                raise BadRequest("invalid %-escape in the URI")
            decoded = chr(int(pair, 16))
            if decoded == "\0":
                raise BadRequest("%00 in the URI")
            if decoded == "?":
                raise UriUnsupported("uri.escaped_question_mark")
            out.append((decoded, decoded in "%#"))
            i += 3
            continue
        if char == "#":
            raise UriUnsupported("uri.raw_hash")
        out.append((char, False))
        i += 1
    return out


def _normalise(chars: list[tuple[str, bool]]) -> str:
    """Resolve ``.``/``..`` segments and merge slashes (``merge_slashes on``)."""
    segments: list[str] = []
    current: list[str] = []
    current_is_dot = True  # the segment so far consists of parser-visible dots only
    for char, is_data in chars:
        if char == "/" and not is_data:
            _close(segments, "".join(current), current_is_dot)
            current, current_is_dot = [], True
            continue
        current.append(char)
        if is_data or char != ".":
            current_is_dot = False
    _close(segments, "".join(current), current_is_dot, last=True)
    return "/" + "/".join(segments)


def _close(segments: list[str], segment: str, dots_only: bool, last: bool = False) -> None:
    if segment == "" and not last:
        return  # merged slash
    if dots_only and segment == ".":
        if last:
            segments.append("")
        return
    if dots_only and segment == "..":
        if not segments or (len(segments) == 1 and segments[0] == ""):
            raise BadRequest("the URI goes above the root")
        segments.pop()
        if last:
            segments.append("")
        return
    if segment == "" and last:
        segments.append("")
        return
    if segments and segments[-1] == "":
        segments.pop()
    segments.append(segment)


def parse_target(target: str) -> ParsedTarget:
    """Split ``/path?args`` and normalise the path, as nginx does for ``$uri``."""
    if not target.startswith("/"):
        raise UriUnsupported("uri.not_origin_form")
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in target):
        raise BadRequest("a space or control character in the request target")
    path, sep, args = target.partition("?")
    chars = _decode(path)
    uri = _normalise(chars)
    return ParsedTarget(
        uri=uri,
        args=args if sep else "",
        request_uri=target,
        quoted="%" in path,
        plus=any(c == "+" for c, _ in chars),
    )


def normalise_host(host: str) -> str:
    """The Host as ``$host`` and server selection see it; BadRequest when nginx says 400."""
    dot_pos = len(host)
    host_len = len(host)
    state = "usual"
    lowered = False
    for i, char in enumerate(host):
        if char == ".":
            if dot_pos == i - 1:
                raise BadRequest("consecutive dots in Host")
            dot_pos = i
        elif char == ":":
            if state == "usual":
                host_len = i
                state = "rest"
        elif char == "[":
            if i == 0:
                state = "literal"
        elif char == "]":
            if state == "literal":
                host_len = i + 1
                state = "rest"
        elif char == "\0" or char == "/" or ord(char) <= 0x20 or ord(char) == 0x7F:
            raise BadRequest("an invalid character in Host")
        elif "A" <= char <= "Z":
            lowered = True
    if dot_pos == host_len - 1:
        host_len -= 1
    if host_len <= 0:
        raise BadRequest("an empty Host")
    result = host[:host_len]
    return result.lower() if lowered else result
