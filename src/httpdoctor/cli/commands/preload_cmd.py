"""``httpdoctor preload [removable|status] DOMAIN``: the preload list's domain checks."""

from __future__ import annotations

import argparse
from typing import Any

from httpdoctor.cli.commands._output import styler, write_json, write_text
from httpdoctor.cli.commands.trace_cmd import add_resolve_arguments
from httpdoctor.cli.env import Environment
from httpdoctor.errors import ExitCode, UsageError
from httpdoctor.i18n import Lang

NAME = "preload"

EPILOG = """examples:
  httpdoctor preload example.com
  httpdoctor preload site.test --resolve 'site.test:*:127.0.0.2' \\
      --resolve 'www.site.test:443:127.0.0.2' --cacert ca.pem --json
  httpdoctor preload removable example.com
  httpdoctor preload status www.example.com

exit status: 0 eligible (removable; on the list for 'status'), 1 not, 2 bad usage."""

_ACTIONS = ("removable", "status")


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        NAME,
        parents=[common],
        help="check a domain for the HSTS preload list as hstspreload.org does",
        description=(
            "'preload DOMAIN' runs the preload checker's domain checks in its order: the "
            "name, the registrable domain, the TLS connection, the HSTS header on "
            "https://DOMAIN, the http:// redirects (to the same host first, at most 3, HSTS "
            "on the first one), the https:// redirects and the www subdomain. 'preload "
            "removable DOMAIN' checks whether the header allows removal from the list; "
            "'preload status DOMAIN' says whether the list httpdoctor knows covers it."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="%(prog)s [removable|status] DOMAIN [--resolve …] [--cacert FILE] [--json]",
    )
    parser.add_argument("words", nargs="+", metavar="[removable|status] DOMAIN")
    add_resolve_arguments(parser)
    parser.add_argument(
        "--policy",
        choices=["1-year", "18-weeks"],
        default="1-year",
        help="policy of the header checks (default 1-year, as for every new submission)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON (see README)")
    parser.set_defaults(handler=handle)


def _action_and_domain(words: list[str]) -> tuple[str, str]:
    if len(words) == 1 and words[0] in _ACTIONS:
        raise UsageError.of("hsts.preload_needs_domain", action=words[0])
    if len(words) == 1:
        return "preloadable", words[0]
    if len(words) == 2 and words[0] in _ACTIONS:
        return words[0], words[1]
    raise UsageError.of("hsts.preload_unexpected", words=" ".join(words))


def handle(args: argparse.Namespace, env: Environment, lang: Lang) -> ExitCode:
    from httpdoctor.cli import state
    from httpdoctor.hsts.domain_checks import normalize_domain

    action, text = _action_and_domain(args.words)
    domain = normalize_domain(text)
    if not domain:
        raise UsageError.of("hsts.domain_empty")
    listing = state.load_preload_list()
    found = listing.match(domain)
    verdict = None if action == "status" else _run(args, env, lang, action, domain)
    if args.json:
        from httpdoctor.report.hsts_json import domain_json

        write_json(env, domain_json(domain, verdict, listing, found, lang))
    elif verdict is None:
        from httpdoctor.report.hsts_text import render_list_status

        write_text(env, render_list_status(domain, listing, found, lang=lang, style=styler(env)))
    else:
        from httpdoctor.report.hsts_text import render_domain

        style = styler(env)
        write_text(
            env, render_domain(verdict, listing, found, lang=lang, style=style, width=env.width)
        )
    passed = found is not None if verdict is None else verdict.issues.passed
    return ExitCode.OK if passed else ExitCode.PROBLEM_FOUND


def _run(args: argparse.Namespace, env: Environment, lang: Lang, action: str, domain: str) -> Any:
    # The network stack is imported only here.
    from httpdoctor.cli.progress import Progress
    from httpdoctor.fetch import FetchSettings, parse_resolve
    from httpdoctor.fetch.preload_probe import run_steps
    from httpdoctor.hsts.checker import Policy
    from httpdoctor.hsts.domain import eligible_domain, removable_domain
    from httpdoctor.trace.model import Request
    from httpdoctor.trace.tracer import Fetch

    settings = FetchSettings(
        resolve=tuple(parse_resolve(r) for r in args.resolve), cacert=args.cacert
    )
    policy = Policy.BULK_18_WEEKS if args.policy == "18-weeks" else Policy.BULK_1_YEAR
    steps = removable_domain(domain) if action == "removable" else eligible_domain(domain, policy)
    with Progress(env, lang) as progress:

        def on_request(url: str) -> None:
            progress.fetching(Fetch(request=Request(url=url, method="GET")))

        return run_steps(steps, settings, on_request=on_request)
