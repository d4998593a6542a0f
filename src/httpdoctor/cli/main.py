"""The CLI entry point and its single error boundary.

``run(argv, env)`` is the only place that catches HttpDoctorError: it prints
``error: …`` and ``hint: …`` on stderr, one line each, and returns the error's exit
code. Tests call ``run`` in-process with an injected Environment.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import partial
from importlib import import_module

from httpdoctor import __version__
from httpdoctor.cli.env import Environment
from httpdoctor.cli.parser import Parser, ParserExit, global_options
from httpdoctor.errors import ErrorText, ExitCode, HttpDoctorError
from httpdoctor.i18n import Lang, lang_from_environ, parse_lang

__all__ = ["main", "run"]

# Command name -> module. Only the module of the command on the line is imported, so
# `explain` pays for neither the network stack nor the other commands' parsers.
_COMMANDS = {
    "explain": "httpdoctor.cli.commands.explain_cmd",
    "codes": "httpdoctor.cli.commands.codes_cmd",
    "trace": "httpdoctor.cli.commands.trace_cmd",
    "diagnose": "httpdoctor.cli.commands.diagnose_cmd",
    "lab": "httpdoctor.cli.commands.lab_cmd",
    "why": "httpdoctor.cli.commands.why_cmd",
    "preload-list": "httpdoctor.cli.commands.preload_list_cmd",
    "hsts": "httpdoctor.cli.commands.hsts_cmd",
    "preload": "httpdoctor.cli.commands.preload_cmd",
    "lint": "httpdoctor.cli.commands.lint_cmd",
}


def _command_word(argv: Sequence[str]) -> str | None:
    """The command named on the line, skipping global options and their values."""
    skip_next = False
    for token in argv:
        if skip_next:
            skip_next = False
        elif token == "--lang":
            skip_next = True
        elif not token.startswith("-"):
            return token
    return None


def _build_parser(env: Environment, argv: Sequence[str]) -> Parser:
    common = global_options(env.stdout, env.width)
    parser = Parser(
        prog="httpdoctor",
        description="Why does my site answer with this status code, and how do I fix it?",
        parents=[common],
        out=env.stdout,
        width=env.width,
    )
    parser.add_argument("--version", action="version", version=f"httpdoctor {__version__}")
    sub = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        # typeshed wants a class here; a partial of one builds the same parsers.
        parser_class=partial(Parser, out=env.stdout, width=env.width),  # type: ignore[call-overload]
    )
    # Building every sub-parser costs start-up time; the one named on the line is enough,
    # unless none is (then help and "invalid choice" must list them all).
    word = _command_word(argv)
    chosen = [word] if word in _COMMANDS else list(_COMMANDS)
    for name in chosen:
        import_module(_COMMANDS[name]).add_parser(sub, common)
    return parser


def _lang(value: str | None, env: Environment) -> Lang:
    return parse_lang(value) if value else lang_from_environ(env.environ)


_SPOKEN = frozenset(lang.value for lang in Lang)


def _lang_of_line(argv: Sequence[str], env: Environment) -> Lang:
    """The language for an error raised before ``--lang`` was read (by argparse, or a
    bad ``--lang`` itself): the last ``--lang`` on the line that names one we speak,
    else the environment's."""
    chosen: Lang | None = None
    for index, token in enumerate(argv):
        if token == "--":
            break
        if token == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif token.startswith("--lang="):
            value = token.removeprefix("--lang=")
        else:
            continue
        # A value we do not speak is argparse's or parse_lang's to report; its error is
        # then worded as if that --lang were absent.
        if value.strip().lower() in _SPOKEN:
            chosen = Lang(value.strip().lower())
    return chosen or lang_from_environ(env.environ)


def _say_error(env: Environment, message: str, hint: str | None) -> None:
    # One line each, whatever the message held: a stray newline would break log parsers.
    env.stderr.write(f"error: {' '.join(message.split())}\n")
    if hint:
        env.stderr.write(f"hint: {' '.join(hint.split())}\n")


def run(argv: Sequence[str], env: Environment) -> int:
    """Run one command line; never raises except under ``--traceback``."""
    show_traceback = "--traceback" in argv
    lang: Lang | None = None
    try:
        parser = _build_parser(env, argv)
        args = parser.parse_args(list(argv))
        if args.command is None:
            parser.print_help()
            return ExitCode.USAGE
        lang = _lang(getattr(args, "lang", None), env)
        return int(args.handler(args, env, lang))
    except ParserExit as done:
        return done.status
    except HttpDoctorError as exc:
        if show_traceback:
            raise
        lang = lang or _lang_of_line(argv, env)
        _say_error(env, exc.message_in(lang), exc.hint_in(lang))
        return exc.exit_code
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except Exception as exc:
        # The last line of defence against our own bugs: a one-line report, not a stack.
        if show_traceback:
            raise
        lang = lang or _lang_of_line(argv, env)
        text = ErrorText("cli.internal_error", kind=type(exc).__name__, detail=exc)
        _say_error(env, text.render(lang), text.render_hint(lang))
        return ExitCode.USAGE


def main(argv: Sequence[str] | None = None) -> int:
    env = Environment.from_system()
    try:
        code = run(sys.argv[1:] if argv is None else argv, env)
        sys.stdout.flush()
    except BrokenPipeError:
        # `httpdoctor codes | head` closes the pipe early; that is not an error.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.OK
    return code
