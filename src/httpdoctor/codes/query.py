"""What the user typed after ``explain``, parsed into one closed set of query shapes.

Accepted: ``307``; ``404.3`` (IIS sub-status); ``cf-1020`` / ``cloudflare 1020``
(Cloudflare error pages); ``5xx`` (a class); ``307 Internal Redirect`` (number and
name); and a bare name such as ``Too Many Requests`` or ``internal-redirect``.
Anything else is the user's mistake and raises UsageError with a way forward.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from httpdoctor.errors import UsageError

__all__ = [
    "ClassQuery",
    "CloudflareQuery",
    "NameQuery",
    "Query",
    "StatusQuery",
    "SubStatusQuery",
    "normalize_name",
    "parse_query",
    "shown",
]

# [0-9], not \d: str patterns would otherwise accept Arabic-Indic and other digits.
# Patterns compile on first use (re caches them): `explain 307`, the common case, needs
# none, and compiling all of them up front costs about a millisecond of start-up.
_SUBSTATUS = r"([0-9]{3})\.([0-9]{1,3})"
_CLOUDFLARE = r"(?i:cf|cloudflare)[\s_-]*(?i:error[\s_-]*)?([0-9]{4})"
_CLASS = r"([1-5])[xX][xX]"
_NUMBER_AND_NAME = r"([0-9]{3})\s+(\S.*)"
_NOT_WORD = r"[\W_]+"


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusQuery:
    """A status number, optionally followed by the name the user saw with it."""

    code: int
    name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SubStatusQuery:
    """An IIS sub-status such as ``404.3``."""

    code: int
    substatus: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CloudflareQuery:
    """A Cloudflare error page's number, such as ``cf-1020``."""

    number: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassQuery:
    """A whole class, such as ``5xx``."""

    digit: int


@dataclass(frozen=True, slots=True, kw_only=True)
class NameQuery:
    """A name or alias, such as ``Too Many Requests`` or ``internal-redirect``."""

    text: str


Query = StatusQuery | SubStatusQuery | CloudflareQuery | ClassQuery | NameQuery


def normalize_name(text: str) -> str:
    """Case- and punctuation-blind form of a name: "I'm a Teapot" -> "i m a teapot"."""
    return re.sub(_NOT_WORD, " ", text.casefold()).strip()


def shown(text: str, limit: int = 60) -> str:
    """The user's input, quoted and cut short enough for a one-line error."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _status_code(digits: str, original: str) -> int:
    # Length first: int() of thousands of digits is slow, then refused, in Python 3.11.
    if len(digits) == 3 and 100 <= int(digits) <= 599:
        return int(digits)
    if len(digits) == 4 and digits.startswith("1"):
        raise UsageError.of("codes.not_a_status_cloudflare", text=shown(original), digits=digits)
    raise UsageError.of("codes.not_a_status", text=shown(original))


def parse_query(text: str) -> Query:
    stripped = text.strip()
    if not stripped:
        raise UsageError.of("codes.empty")
    if _is_number(stripped):
        return StatusQuery(code=_status_code(stripped, text))
    if m := re.fullmatch(_SUBSTATUS, stripped):
        return SubStatusQuery(code=_status_code(m[1], text), substatus=stripped)
    if m := re.fullmatch(_CLOUDFLARE, stripped):
        return CloudflareQuery(number=int(m[1]))
    if m := re.fullmatch(_CLASS, stripped):
        return ClassQuery(digit=int(m[1]))
    if m := re.fullmatch(_NUMBER_AND_NAME, stripped):
        return StatusQuery(code=_status_code(m[1], text), name=m[2])
    if not normalize_name(stripped):
        raise UsageError.of("codes.neither", text=shown(text))
    return NameQuery(text=stripped)
