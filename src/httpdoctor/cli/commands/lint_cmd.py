"""``httpdoctor lint --nginx PATH``: static checks of a server configuration, file:line each.

Exit status: 0 when there is no finding, 1 when there is at least one (of any severity:
every rule reports something the configuration proves, worth a look in CI), 2 for bad
usage or a configuration that cannot be read (which names file:line).
"""

from __future__ import annotations

import argparse
from typing import Any

from httpdoctor.cli.commands._output import styler, write_json, write_text
from httpdoctor.cli.env import Environment
from httpdoctor.errors import ExitCode
from httpdoctor.i18n import Lang

NAME = "lint"

EPILOG = """examples:
  httpdoctor lint --nginx /etc/nginx/nginx.conf
  httpdoctor lint --nginx /etc/nginx/sites-enabled/site --prefix /etc/nginx --lang ru
  nginx -T > dump.txt && httpdoctor lint --nginx dump.txt --format sarif > nginx.sarif"""

FORMATS = ("text", "json", "sarif")


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        NAME,
        parents=[common],
        help="check a server configuration for redirect, HSTS and location mistakes",
        description=(
            "Read the configuration with its includes (a main nginx.conf, a single vhost "
            "file or the output of `nginx -T`) and report, with file and line, what it "
            "provably gets wrong: HSTS that is dropped or never reaches browsers, "
            "redirect loops and downgrades, unreachable locations and more. Exit 1 when "
            "anything is found."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    server = parser.add_mutually_exclusive_group(required=True)
    server.add_argument(
        "--nginx", metavar="PATH", help="nginx.conf, a vhost file, or `nginx -T` output"
    )
    parser.add_argument(
        "--prefix",
        metavar="DIR",
        help="directory relative includes are resolved against (default: PATH's folder)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="text (default), json or sarif"
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, env: Environment, lang: Lang) -> ExitCode:
    # The loader and the rules load only for this command.
    from httpdoctor.servers.common.loader import load_nginx
    from httpdoctor.servers.nginx.lint import RULES, lint

    config = load_nginx(args.nginx, prefix=args.prefix)
    findings = lint(config)
    if args.format == "json":
        from httpdoctor.report.lint_json import lint_json

        write_json(
            env,
            lint_json(findings, server="nginx", path=args.nginx, files=config.files, lang=lang),
        )
    elif args.format == "sarif":
        import os

        from httpdoctor.report.sarif import sarif_log

        write_json(env, sarif_log(findings, RULES, lang=lang, base=os.getcwd()))
    else:
        from httpdoctor.report.lint_text import render_lint

        text = render_lint(
            findings,
            files=config.files,
            prefix=config.prefix,
            lang=lang,
            style=styler(env),
            width=env.width,
        )
        write_text(env, text)
    return ExitCode.PROBLEM_FOUND if findings else ExitCode.OK
