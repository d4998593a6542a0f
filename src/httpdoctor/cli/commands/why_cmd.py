"""``httpdoctor why --nginx PATH URL``: the directive, file and line behind a response."""

from __future__ import annotations

import argparse
from typing import Any

from httpdoctor.cli.commands._output import styler, write_json, write_text
from httpdoctor.cli.env import Environment
from httpdoctor.errors import ExitCode, UsageError
from httpdoctor.i18n import Lang

NAME = "why"

EPILOG = """examples:
  httpdoctor why --nginx /etc/nginx/nginx.conf http://info.site.com/
  httpdoctor why --nginx site.conf https://example.com/old -X POST --addr 127.0.0.1:443
  nginx -T > dump.txt; httpdoctor why --nginx dump.txt http://example.com/ --json"""


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        NAME,
        parents=[common],
        help="which nginx directive, file and line produce a request's answer",
        description=(
            "Evaluate a request against an nginx configuration the way nginx does: server and "
            "location selection, the rewrite module, error_page, add_header. What is not "
            "modelled is reported as unsupported, never guessed."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--nginx", metavar="PATH", required=True, help="nginx.conf, a vhost file or nginx -T output"
    )
    parser.add_argument("url", metavar="URL")
    parser.add_argument("-X", "--request", dest="method", default="GET", metavar="METHOD")
    parser.add_argument("-H", "--header", action="append", default=[], metavar="'Name: value'")
    parser.add_argument("--addr", metavar="IP:PORT", help="the listen socket that receives it")
    parser.add_argument("--prefix", metavar="DIR", help="resolve relative includes against DIR")
    parser.add_argument("--json", action="store_true", help="print JSON (see README)")
    parser.set_defaults(handler=handle)


def _request(args: argparse.Namespace) -> Any:
    from httpdoctor.servers.nginx.evaluation import NginxRequest
    from httpdoctor.trace.urls import parse_target

    url = parse_target(args.url)
    scheme, rest = url.split("://", 1)
    authority, _, path = rest.partition("/")
    host = authority.rsplit("@", 1)[-1]
    headers: list[tuple[str, str]] = []
    for item in args.header:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise UsageError.of("cli.bad_header", item=item)
        if name.strip().lower() == "host":
            host = value.strip()
        else:
            headers.append((name.strip(), value.strip()))
    address, port = None, None
    if args.addr:
        ip, sep, port_text = args.addr.rpartition(":")
        if not sep or not port_text.isdigit():
            raise UsageError.of("why.bad_addr", addr=args.addr)
        address, port = ip.strip("[]") or None, int(port_text)
    elif ":" in host.rsplit("]", 1)[-1]:
        port = int(host.rsplit(":", 1)[1])
    return url, NginxRequest(
        method=args.method.upper(),
        scheme=scheme,
        host=host,
        path_and_query="/" + path.split("#", 1)[0],
        local_address=address,
        local_port=port,
        headers=tuple(headers),
    )


def handle(args: argparse.Namespace, env: Environment, lang: Lang) -> ExitCode:
    from httpdoctor.servers.common.loader import load_nginx
    from httpdoctor.servers.nginx.evaluate import evaluate

    url, request = _request(args)
    config = load_nginx(args.nginx, prefix=args.prefix)
    try:
        evaluation = evaluate(config, request)
    except ValueError as exc:
        raise UsageError.of("why.request_refused", reason=exc) from None
    if args.json:
        from httpdoctor.report.why_report import evaluation_json

        write_json(env, evaluation_json(evaluation, url=url))
    else:
        from httpdoctor.report.why_report import render_evaluation

        write_text(env, render_evaluation(evaluation, url=url, lang=lang, style=styler(env)))
    return ExitCode.OK
