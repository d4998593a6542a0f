"""``httpdoctor codes``: list the registry, filtered by class, origin and text."""

from __future__ import annotations

import argparse

from httpdoctor.cli.commands._output import styler, write_json, write_text
from httpdoctor.cli.env import Environment
from httpdoctor.errors import ExitCode
from httpdoctor.i18n import Lang

TYPE_CHECKING = False  # importing typing would cost start-up time; see bench/startup.py
if TYPE_CHECKING:
    from typing import Any


NAME = "codes"


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        NAME,
        parents=[common],
        help="list the known codes and meanings",
        description="List every code and meaning httpdoctor knows, most common meaning first.",
        epilog="examples:\n  httpdoctor codes --class 5xx\n  httpdoctor codes --origin nginx\n"
        "  httpdoctor codes --search timeout",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--class", dest="status_class", metavar="1xx..5xx", help="only this class")
    parser.add_argument(
        "--origin",
        metavar="NAME",
        help="only meanings from this origin (standard, nginx, cloudflare, iis, aws…)",
    )
    parser.add_argument(
        "--search", metavar="TEXT", help="only meanings whose name or summary has TEXT"
    )
    parser.add_argument("--json", action="store_true", help="print JSON (see README)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, env: Environment, lang: Lang) -> ExitCode:
    # Imported here so that `explain`, which shares the parser, never pays for them.
    from httpdoctor.codes import default_registry
    from httpdoctor.codes.listing import list_codes, parse_class_filter
    from httpdoctor.report.codes_text import render_codes
    from httpdoctor.report.explain_json import codes_json

    status_class = parse_class_filter(args.status_class) if args.status_class else None
    meanings = list_codes(
        default_registry(),
        status_class=status_class,
        origin=args.origin,
        search=args.search,
    )
    if args.json:
        write_json(env, codes_json(meanings, lang))
    else:
        write_text(env, render_codes(meanings, lang=lang, style=styler(env)))
    return ExitCode.OK
