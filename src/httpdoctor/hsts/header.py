"""Strict-Transport-Security as Chromium reads it.

Restated from Chromium's ``ParseHSTSHeader`` (net/http/http_security_headers.cc) and its
unit tests, as summarised in the design notes (hsts-preload-spec.md §3.2). Chromium is
strict: one syntax error, a duplicate ``max-age`` or ``includeSubDomains``, or a missing
``max-age`` makes the browser ignore the whole header. The preload list's own checker
reads headers differently; that judgement lives beside this one, not in it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MAX_AGE_CLAMP", "ChromiumReading", "parse_chromium"]

# kMaxHSTSAgeSecs (net/http/http_security_headers.h): larger values are clamped to a year.
MAX_AGE_CLAMP = 86400 * 365
_UINT32_MAX = 2**32 - 1
_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LWS = " \t"


@dataclass(frozen=True, slots=True, kw_only=True)
class ChromiumReading:
    """What Chromium makes of one header value: a policy, or the reason it ignores it."""

    valid: bool
    max_age: int | None = None  # seconds after the clamp; None when ignored
    include_subdomains: bool = False
    problem: str | None = None  # why the header is ignored, in plain words


def _is_token(text: str) -> bool:
    return bool(text) and all(ch in _TCHAR for ch in text)


def _split(value: str) -> list[str] | None:
    """Split on ``;`` outside quoted strings; None when a quote is left open."""
    parts: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for ch in value:
        if quoted:
            current.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
            current.append(ch)
        elif ch == ";":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    if quoted:
        return None
    parts.append("".join(current))
    return parts


def _unquote(value: str) -> str | None:
    """The content of a quoted-string, or None when the value is not exactly one."""
    if len(value) < 2 or not value.endswith('"'):
        return None
    inner, out, escaped = value[1:-1], [], False
    for ch in inner:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            return None
        else:
            out.append(ch)
    return None if escaped else "".join(out)


def _ignored(problem: str) -> ChromiumReading:
    return ChromiumReading(valid=False, problem=problem)


def parse_chromium(value: str) -> ChromiumReading:
    """Read one Strict-Transport-Security field value the way Chromium does."""
    parts = _split(value)
    if parts is None:
        return _ignored("a quoted string is not closed")
    max_age: int | None = None
    include_subdomains = False
    for raw in parts:
        element = raw.strip(_LWS)
        if not element:
            continue  # ";;max-age=1;;" is fine
        name, has_value, rest = element.partition("=")
        name, rest = name.strip(_LWS), rest.strip(_LWS)
        if not _is_token(name):
            return _ignored(f"{name or 'an empty name'!r} is not a valid directive name")
        directive_value: str | None = None
        if has_value:
            directive_value = _unquote(rest) if rest.startswith('"') else rest
            if directive_value is None:
                return _ignored(f"the value of {name} is a malformed quoted string")
            if not rest.startswith('"') and not _is_token(rest):
                return _ignored(f"{name} has an empty or invalid value")
        lowered = name.lower()
        if lowered == "max-age":
            if max_age is not None:
                return _ignored("max-age appears twice")
            if directive_value is None or not directive_value.isascii():
                return _ignored("max-age has no numeric value")
            if not directive_value.isdigit():
                return _ignored(f"max-age={directive_value} is not a whole number of seconds")
            max_age = min(int(directive_value), _UINT32_MAX)
        elif lowered == "includesubdomains":
            if include_subdomains:
                return _ignored("includeSubDomains appears twice")
            if has_value:
                return _ignored("includeSubDomains must not have a value")
            include_subdomains = True
        # Unknown directives (preload among them, for Chromium) are ignored.
    if max_age is None:
        return _ignored("max-age is missing")
    return ChromiumReading(
        valid=True,
        max_age=min(max_age, MAX_AGE_CLAMP),
        include_subdomains=include_subdomains,
    )
