"""``httpdoctor trace URL``: follow a URL hop by hop exactly as a chosen client would."""

from __future__ import annotations

import argparse
from typing import Any

from httpdoctor.cli.commands._output import styler, write_json, write_text
from httpdoctor.cli.env import Environment
from httpdoctor.errors import ExitCode, UsageError
from httpdoctor.i18n import Lang

NAME = "trace"

EPILOG = """examples:
  httpdoctor trace http://example.com/
  httpdoctor trace http://info.site.test/ --resolve '*.site.test:443:127.0.0.2' --cacert ca.pem
  httpdoctor trace https://example.com/form -X POST -d 'a=1' --as curl
  httpdoctor trace http://example.com/ --json --har chain.har"""


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        NAME,
        parents=[common],
        help="follow a URL hop by hop as a browser (or curl, requests…) would",
        description=(
            "Follow a URL through its redirects exactly as the chosen client does: method and "
            "body rules per status, header stripping, cookies, and for browsers HSTS, shown "
            "as the synthetic '307 Internal Redirect' hops Chrome makes without the network."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_trace_arguments(parser)
    parser.add_argument("--har", metavar="FILE", help="also write the chain as HAR 1.2")
    parser.set_defaults(handler=handle)


def add_resolve_arguments(parser: argparse.ArgumentParser) -> None:
    """--resolve and --cacert, as every command that connects somewhere takes them."""
    parser.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="HOST:PORT:ADDR",
        help="connect to ADDR for HOST:PORT, as curl does (HOST may be * or *.domain)",
    )
    parser.add_argument("--cacert", metavar="FILE", help="trust the CA certificates in FILE")


def add_trace_arguments(parser: argparse.ArgumentParser) -> None:
    """The curl-like options every command that makes a trace accepts."""
    parser.add_argument("url", metavar="URL")
    parser.add_argument("-X", "--request", dest="method", metavar="METHOD", help="request method")
    parser.add_argument("-d", "--data", metavar="DATA", help="request body (implies POST)")
    parser.add_argument(
        "-H", "--header", action="append", default=[], metavar="'Name: value'", help="add a header"
    )
    parser.add_argument(
        "-e",
        "--referer",
        metavar="PAGE",
        help="the page the request comes from (a browser derives Referer and Origin from it)",
    )
    parser.add_argument(
        "--as",
        dest="profile",
        default="chrome",
        metavar="CLIENT",
        help="chrome (default), curl, requests, httpx or googlebot",
    )
    add_resolve_arguments(parser)
    parser.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="HOST:PORT:ADDR:PORT2",
        help="connect to ADDR:PORT2 for HOST:PORT, as curl does",
    )
    parser.add_argument(
        "-k", "--insecure", action="store_true", help="go on after TLS errors (still reported)"
    )
    parser.add_argument("--max-redirs", type=int, metavar="N", help="override the client's limit")
    parser.add_argument(
        "--timeout", type=float, default=20.0, metavar="SECONDS", help="for the whole trace"
    )
    parser.add_argument(
        "--fresh-browser",
        action="store_true",
        help="a browser that never visited the site (no HSTS learned beforehand)",
    )
    parser.add_argument("--hsts-store", metavar="FILE", help="load and save learned HSTS here")
    parser.add_argument("--json", action="store_true", help="print JSON (see README)")


def _headers(raw: list[str], user_agent: str) -> tuple[tuple[str, str], ...]:
    headers: list[tuple[str, str]] = []
    for item in raw:
        name, sep, value = item.partition(":")
        if not sep or not name.strip() or any(c in name for c in " \t\r\n"):
            raise UsageError.of("cli.bad_header", item=item)
        if any(c in value for c in "\r\n"):
            raise UsageError.of("cli.header_line_break", name=name.strip())
        headers.append((name.strip(), value.strip()))
    if not any(k.lower() == "user-agent" for k, _ in headers):
        headers.insert(0, ("User-Agent", user_agent))
    return tuple(headers)


def build_spec(args: argparse.Namespace) -> Any:
    """The TraceSpec the options describe (typed Any: the network stack loads lazily)."""
    from httpdoctor.cli import state
    from httpdoctor.fetch import FetchSettings, TraceSpec, parse_resolve
    from httpdoctor.fetch.resolve import parse_connect_to
    from httpdoctor.trace import Request, profile_named
    from httpdoctor.trace.urls import parse_target

    profile = profile_named(args.profile)
    url = parse_target(args.url)
    referrer = _page(args.referer) if args.referer is not None else None
    if args.timeout <= 0:
        raise UsageError.of("trace.timeout_not_positive")
    if args.max_redirs is not None and args.max_redirs < 0:
        raise UsageError.of("trace.max_redirs_negative")
    body = args.data.encode("utf-8") if args.data is not None else None
    method = (args.method or ("POST" if body is not None else "GET")).upper()
    headers = _headers(args.header, profile.user_agent)
    if body is not None and not any(k.lower() == "content-type" for k, _ in headers):
        headers = (*headers, ("Content-Type", "application/x-www-form-urlencoded"))
    settings = FetchSettings(
        # --connect-to first: curl lets it win over --resolve for the same name.
        resolve=tuple(parse_connect_to(c) for c in args.connect_to)
        + tuple(parse_resolve(r) for r in args.resolve),
        cacert=args.cacert,
        insecure=args.insecure,
        timeout=args.timeout,
    )
    return TraceSpec(
        request=Request(url=url, method=method, headers=headers, body=body),
        profile=profile,
        settings=settings,
        store=state.load_store(_store_path(args)),
        preload=state.load_preload_list() if profile.hsts == "browser" else None,
        fresh_browser=args.fresh_browser,
        max_redirects=args.max_redirs,
        referrer=referrer,
    )


def _page(text: str) -> str:
    from httpdoctor.trace.urls import parse_target

    try:
        return parse_target(text)
    except UsageError as exc:
        reason = exc.text if exc.text is not None else exc.message
        raise UsageError.of("trace.referer_invalid", text=text, reason=reason) from None


def _store_path(args: argparse.Namespace) -> Any:
    from pathlib import Path

    return Path(args.hsts_store) if args.hsts_store else None


def handle(args: argparse.Namespace, env: Environment, lang: Lang) -> ExitCode:
    from pathlib import Path

    # The network stack is imported here: explain and codes never pay for it.
    from httpdoctor.cli import state
    from httpdoctor.cli.progress import Progress
    from httpdoctor.fetch import run_trace
    from httpdoctor.trace import Outcome

    spec = build_spec(args)
    profile = spec.profile
    store_path = _store_path(args)
    with Progress(env, lang) as progress:
        result = run_trace(spec, on_fetch=progress.fetching)
    chain = result.chain
    if store_path is not None:
        state.save_store(store_path, result.store)
    if args.har:
        from httpdoctor.report.har import chain_har

        _write_har(Path(args.har), chain_har(chain))
    if args.json:
        from httpdoctor.report.trace_json import chain_json

        write_json(env, chain_json(chain, profile_label=profile.label))
    else:
        write_text(env, chain_text(chain, spec, env, lang))
    return ExitCode.OK if chain.outcome is Outcome.OK else ExitCode.PROBLEM_FOUND


def chain_text(chain: Any, spec: Any, env: Environment, lang: Lang) -> str:
    """The chain as people read it, statuses named from the knowledge base."""
    from httpdoctor.codes import default_registry
    from httpdoctor.report.trace_text import render_chain

    registry = default_registry()

    def name_of(code: int) -> str | None:
        meanings = registry.meanings(code)
        return meanings[0].name if meanings else None

    limit = spec.profile.max_redirects if spec.max_redirects is None else spec.max_redirects
    return render_chain(
        chain,
        lang=lang,
        style=styler(env),
        profile_label=spec.profile.label,
        limit=limit,
        name_of=name_of,
    )


def _write_har(path: Any, payload: dict[str, Any]) -> None:
    import json

    try:
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError.of("trace.har_unwritable", path=path, reason=exc.strerror) from None
