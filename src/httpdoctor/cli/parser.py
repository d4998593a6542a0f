"""argparse, adapted to the CLI's contract: errors are UsageError, output goes to env.

argparse is in the standard library and costs a millisecond or two to import; typer
costs six bare interpreter starts, which the instant commands cannot pay.
"""

from __future__ import annotations

import argparse

from httpdoctor.errors import UsageError

TYPE_CHECKING = False  # importing typing would cost start-up time; see bench/startup.py
if TYPE_CHECKING:
    from typing import IO, Any, NoReturn

__all__ = ["Parser", "ParserExit", "global_options"]


class ParserExit(Exception):
    """argparse finished on its own (``--help``, ``--version``) with this exit status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, out: IO[str], width: int = 100, **kwargs: Any) -> None:
        self._out = out
        self._width = width  # set first: the base __init__ already formats "-h"
        super().__init__(*args, **kwargs)

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse builds a formatter for every add_argument and each one asks the
        # terminal for its size; a known width saves a few milliseconds of start-up.
        factory: Any = self.formatter_class  # typeshed's protocol omits the width argument
        formatter: argparse.HelpFormatter = factory(prog=self.prog, width=self._width)
        return formatter

    def error(self, message: str) -> NoReturn:
        # argparse words `message` itself, in English whatever the locale (Python ships no
        # Russian catalogue for argparse's gettext strings); the catalogue's cli.usage
        # wraps it, and the hint is ours.
        raise UsageError.of("cli.usage", problem=message, prog=self.prog)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self.error(message.strip())
        raise ParserExit(status)

    def _print_message(self, message: str, file: object = None) -> None:
        if message:
            self._out.write(message)


def global_options(out: IO[str], width: int) -> Parser:
    """Options accepted before and after the command name (``--lang ru explain 1`` or
    ``explain 1 --lang ru``); SUPPRESS keeps a later default from erasing an earlier value."""
    common = Parser(add_help=False, out=out, width=width)
    common.add_argument(
        "--lang",
        default=argparse.SUPPRESS,
        metavar="en|ru",
        help="language of the output (default: from LC_ALL, LC_MESSAGES or LANG)",
    )
    common.add_argument(
        "--traceback",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the Python traceback of an error (for bug reports)",
    )
    return common
