"""nginx's PCRE patterns in Python's ``re``, where the two agree; None where unsure.

The patterns lint rules meet (location, rewrite, server_name) are mostly plain: literals,
classes, groups, ``.*``. Python reads those the same way PCRE does, except for the named
group spelling ``(?<name>…)``/``(?'name'…)``, which is translated. Anything Python refuses
is None, and the rules that need it stay silent rather than guess.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["compile_pcre", "literal_prefix"]

_NAMED = re.compile(r"\(\?(?:<(?=[A-Za-z_])([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')")
_META = frozenset(".^$*+?()[]{}|\\")


@cache
def compile_pcre(pattern: str, caseless: bool = False) -> re.Pattern[str] | None:
    translated = _NAMED.sub(lambda m: f"(?P<{m[1] or m[2]}>", pattern)
    try:
        return re.compile(translated, re.IGNORECASE if caseless else 0)
    except (re.error, OverflowError, RecursionError):
        return None


def literal_prefix(pattern: str) -> tuple[bool, str, str]:
    """``(anchored, literal, rest)``: the literal text a pattern starts with.

    ``^/static/.*\\.css$`` gives ``(True, "/static/", ".*\\.css$")``. Escaped punctuation
    (``\\.``, ``\\/``, ``\\-``) counts as literal; a quantifier after the last literal
    character takes that character back (``/ab?`` keeps only ``/a``).
    """
    anchored = pattern.startswith("^")
    i = 1 if anchored else 0
    literal: list[tuple[str, int]] = []  # (character, where it starts in the pattern)
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            literal.append((pattern[i + 1], i))
            i += 2
            continue
        if char in _META:
            break
        literal.append((char, i))
        i += 1
    if pattern[i : i + 1] in {"*", "+", "?", "{"} and literal:
        # The quantifier binds the last character: it is not part of the fixed prefix.
        i = literal.pop()[1]
    return anchored, "".join(c for c, _ in literal), pattern[i:]
