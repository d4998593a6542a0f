"""``httpdoctor hsts 'HEADER'``: how Chrome and the preload list's checker read a header."""

from __future__ import annotations

import argparse
from typing import Any

from httpdoctor.cli.commands._output import styler, write_json, write_text
from httpdoctor.cli.env import Environment
from httpdoctor.errors import ExitCode
from httpdoctor.i18n import Lang

NAME = "hsts"

EPILOG = """examples:
  httpdoctor hsts 'max-age=31536000; includeSubDomains'
  httpdoctor hsts 'max-age=63072000; includeSubDomains; preload' --json
  httpdoctor hsts 'max-age=10886400; includeSubDomains; preload' --policy 18-weeks --lang ru

exit status: 0 the header meets the preload requirements of the policy, 1 it does not,
2 bad usage."""

_FIELD_NAME = "strict-transport-security:"


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        NAME,
        parents=[common],
        help="judge a Strict-Transport-Security header as Chrome and hstspreload.org do",
        description=(
            "Offline. Shows how Chrome reads the header (accepted or ignored as a whole, the "
            "effective max-age, includeSubDomains), then the verdicts of the checker behind "
            "the HSTS preload list: syntax, preload requirements and removal, with its issue "
            "codes, and a corrected header to copy. A leading 'Strict-Transport-Security:' "
            "is allowed."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("header", metavar="'HEADER VALUE'")
    parser.add_argument(
        "--policy",
        choices=["1-year", "18-weeks"],
        default="1-year",
        help="preload policy to check against (default 1-year, as for every new submission)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON (see README)")
    parser.set_defaults(handler=handle)


def header_value(text: str) -> str:
    """The field value; a pasted ``Strict-Transport-Security:`` name is dropped."""
    if text.lower().startswith(_FIELD_NAME):
        return text[len(_FIELD_NAME) :].lstrip(" \t")
    return text


def handle(args: argparse.Namespace, env: Environment, lang: Lang) -> ExitCode:
    from httpdoctor.hsts.checker import Policy, judge_header
    from httpdoctor.hsts.header import parse_chromium

    value = header_value(args.header)
    policy = Policy.BULK_18_WEEKS if args.policy == "18-weeks" else Policy.BULK_1_YEAR
    judged = judge_header(value, policy)
    chromium = parse_chromium(value)
    if args.json:
        from httpdoctor.report.hsts_json import header_json

        write_json(env, header_json(judged, chromium, lang))
    else:
        from httpdoctor.report.hsts_text import render_header

        text = render_header(
            judged,
            chromium,
            lang=lang,
            style=styler(env),
            width=env.width,
            asked_max_age=judged.parsed.max_age,
        )
        write_text(env, text)
    return ExitCode.OK if judged.eligible.passed else ExitCode.PROBLEM_FOUND
