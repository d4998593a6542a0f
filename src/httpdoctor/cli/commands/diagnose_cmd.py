"""``httpdoctor diagnose URL``: why the URL answers as it does, and what to change."""

from __future__ import annotations

import argparse
from typing import Any

from httpdoctor.cli.commands._output import styler, write_json, write_text
from httpdoctor.cli.commands.trace_cmd import add_trace_arguments, build_spec
from httpdoctor.cli.env import Environment
from httpdoctor.errors import ExitCode
from httpdoctor.i18n import Lang

NAME = "diagnose"

EPILOG = """examples:
  httpdoctor diagnose http://info.site.com/
  httpdoctor diagnose http://info.site.test/ --resolve '*.site.test:*:127.0.0.2' --cacert ca.pem
  httpdoctor diagnose https://example.com/ --lang ru --json"""


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        NAME,
        parents=[common],
        help="name the root cause of a URL's answer, with evidence and fixes",
        description=(
            "Trace the URL as the chosen client (Chrome, as a returning visitor, by default), "
            "also as curl, as a fresh browser and over the other scheme, then apply the "
            "diagnosis rules. Exit 1 when a finding is an error."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_trace_arguments(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, env: Environment, lang: Lang) -> ExitCode:
    from httpdoctor.cli import state
    from httpdoctor.cli.commands.trace_cmd import _store_path
    from httpdoctor.cli.progress import Progress
    from httpdoctor.diagnose import Severity, diagnose
    from httpdoctor.fetch.diagnosis import investigate

    spec = build_spec(args)
    with Progress(env, lang) as progress:
        found = investigate(spec, on_fetch=progress.fetching)
    store_path = _store_path(args)
    if store_path is not None:
        state.save_store(store_path, found.main.store)
    findings = diagnose(found.subject)
    if args.json:
        from httpdoctor.report.diagnose_json import SCHEMA_VERSION, findings_json
        from httpdoctor.report.trace_json import chain_json

        label = spec.profile.label
        write_json(
            env,
            {
                "schema_version": SCHEMA_VERSION,
                "lang": lang.value,
                "trace": chain_json(found.subject.chain, profile_label=label),
                "probes": [
                    {"kind": kind, "trace": chain_json(chain, profile_label=chain.profile)}
                    for kind, chain in found.extra
                ],
                "findings": findings_json(findings, lang),
            },
        )
    else:
        write_text(env, render(found, findings, spec, env, lang))
    errors = any(f.severity is Severity.ERROR for f in findings)
    return ExitCode.PROBLEM_FOUND if errors else ExitCode.OK


def render(found: Any, findings: Any, spec: Any, env: Environment, lang: Lang) -> str:
    from httpdoctor.cli.commands.trace_cmd import chain_text
    from httpdoctor.report.diagnose_text import render_findings
    from httpdoctor.report.messages import message

    style = styler(env)
    heading = style(message("diagnose.heading", lang, url=spec.request.url), "bold")
    findings_text = render_findings(findings, lang=lang, style=style, width=env.width)
    return f"{chain_text(found.subject.chain, spec, env, lang)}\n{heading}\n\n{findings_text}"
