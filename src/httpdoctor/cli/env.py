"""Everything the CLI takes from the outside world, injected so tests can replace it."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

TYPE_CHECKING = False  # importing typing would cost start-up time; see bench/startup.py
if TYPE_CHECKING:
    from typing import TextIO


__all__ = ["Environment", "color_enabled"]

_DEFAULT_WIDTH = 100


def color_enabled(environ: Mapping[str, str], is_tty: bool) -> bool:
    """Colour on a terminal only, with the conventions rich and most tools honour.

    ``NO_COLOR`` (any non-empty value) wins, then ``FORCE_COLOR``; ``TERM=dumb``
    switches colour off; otherwise colour follows whether stdout is a terminal.
    """
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    return is_tty


@dataclass(frozen=True, kw_only=True)
class Environment:
    """The streams, variables and terminal facts one CLI run works with."""

    stdout: TextIO
    stderr: TextIO
    environ: Mapping[str, str] = field(default_factory=dict)
    stdout_isatty: bool = False
    stderr_isatty: bool = False
    width: int = _DEFAULT_WIDTH

    @property
    def color(self) -> bool:
        return color_enabled(self.environ, self.stdout_isatty)

    @classmethod
    def from_system(cls) -> Environment:
        isatty = sys.stdout.isatty()
        return cls(
            stdout=sys.stdout,
            stderr=sys.stderr,
            environ=os.environ,
            stdout_isatty=isatty,
            stderr_isatty=sys.stderr.isatty(),
            width=_terminal_width(isatty),
        )


def _terminal_width(isatty: bool) -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns)
    if isatty:
        try:
            return os.get_terminal_size(sys.stdout.fileno()).columns
        except OSError:
            return _DEFAULT_WIDTH
    return _DEFAULT_WIDTH
