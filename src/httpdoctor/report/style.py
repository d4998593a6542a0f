"""Terminal styling for the instant commands, as plain strings.

rich is the renderer for the heavy reports; the commands that must start instantly
(``explain``, ``codes``) cannot afford its import (about four bare interpreter starts on
our machines), so they style with this small set of SGR codes. Whether colour is on is
decided by the caller (see ``cli.env.color_enabled``), never here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Styler"]

_SGR = {
    "bold": "1",
    "dim": "2",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
}

# The colour of a status class, as people expect it from browsers' developer tools.
_CLASS_COLOUR = {1: "blue", 2: "green", 3: "cyan", 4: "yellow", 5: "red"}


@dataclass(frozen=True, slots=True)
class Styler:
    """Wraps text in SGR codes when colour is enabled, and returns it unchanged otherwise."""

    enabled: bool

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles or not text:
            return text
        codes = ";".join(_SGR[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"

    def for_class(self, text: str, digit: int | None) -> str:
        colour = _CLASS_COLOUR.get(digit or 0)
        return self(text, "bold", colour) if colour else self(text, "bold")
