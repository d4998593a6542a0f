"""``httpdoctor explain CODE…``: what a code means, why it happens, how to fix it."""

from __future__ import annotations

import argparse

from httpdoctor.cli.commands._output import styler, write_json, write_text
from httpdoctor.cli.env import Environment
from httpdoctor.codes import default_registry, explain
from httpdoctor.errors import ExitCode
from httpdoctor.i18n import Lang

TYPE_CHECKING = False  # importing typing would cost start-up time; see bench/startup.py
if TYPE_CHECKING:
    from typing import Any

EPILOG = """examples:
  httpdoctor explain 307
  httpdoctor explain 520 --lang ru
  httpdoctor explain 499 --server nginx
  httpdoctor explain "307 Internal Redirect"
  httpdoctor explain 404.3 cf-1020 --json"""


NAME = "explain"


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        NAME,
        parents=[common],
        help="explain status codes: meaning, causes, fixes, how to send them",
        description=(
            "Explain HTTP status codes, vendor codes (nginx, Cloudflare, IIS, AWS, Laravel…), "
            "IIS sub-statuses (404.3), Cloudflare error pages (cf-1020) and look-alikes such "
            "as Chrome's '307 Internal Redirect'."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("codes", nargs="+", metavar="CODE", help="a code, sub-status or name")
    parser.add_argument(
        "--server",
        metavar="NAME",
        help="the server or product that sent the code (nginx, cloudflare, iis, aws, esri…)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON (see README)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, env: Environment, lang: Lang) -> ExitCode:
    registry = default_registry()
    explanations = tuple(
        exp for text in args.codes for exp in explain(text, server=args.server, registry=registry)
    )
    if args.json:
        from httpdoctor.report.explain_json import explanations_json

        write_json(env, explanations_json(explanations, lang))
    else:
        from httpdoctor.report.explain_text import render_explanations

        labels = tuple((p.id, p.label) for p in registry.products())
        write_text(
            env,
            render_explanations(
                explanations,
                lang=lang,
                style=styler(env),
                width=env.width,
                product_labels=labels,
                stack_labels=tuple((k, v["label"]) for k, v in registry.frameworks().items()),
            ),
        )
    return ExitCode.OK
