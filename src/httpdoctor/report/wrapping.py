"""Paragraphs wrapped to the terminal for the text reports, with a hanging indent."""

from __future__ import annotations

import textwrap

__all__ = ["wrap"]


def wrap(
    text: str,
    width: int,
    indent: str,
    *,
    first: str | None = None,
    break_long_words: bool = True,
) -> list[str]:
    """``text`` as lines of at most ``width``; ``first`` replaces the first line's indent
    (a bullet), and an empty text still gives one (indented) line."""
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=break_long_words,
    ) or [indent]
