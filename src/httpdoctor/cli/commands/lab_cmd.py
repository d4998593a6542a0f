"""``httpdoctor lab list|run|serve``: the classic failures, reproduced on loopback."""

from __future__ import annotations

import argparse
from typing import Any

from httpdoctor.cli.commands._output import styler, write_json, write_text
from httpdoctor.cli.env import Environment
from httpdoctor.errors import ExitCode
from httpdoctor.i18n import Lang

NAME = "lab"


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        NAME,
        parents=[common],
        help="reproduce classic failures on this machine and diagnose them",
        description=(
            "Each scenario starts small web servers on 127.0.0.x (ports 80/443 when allowed), "
            "then 'run' diagnoses it and stops, and 'serve' keeps it up for your own browser."
        ),
        epilog="examples:\n  httpdoctor lab list\n  httpdoctor lab run seed-307\n"
        "  httpdoctor lab run seed-307 --variant no-https --lang ru\n"
        "  httpdoctor lab serve seed-307",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("action", choices=["list", "run", "serve"])
    parser.add_argument("scenario", nargs="?", metavar="NAME")
    parser.add_argument("--variant", metavar="VARIANT", help="which way the scenario is broken")
    parser.add_argument("--json", action="store_true", help="print JSON (as diagnose --json)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, env: Environment, lang: Lang) -> ExitCode:
    from httpdoctor.errors import UsageError
    from httpdoctor.lab.scenarios import SCENARIOS, scenario_named

    if args.action == "list":
        lines = []
        for scenario in SCENARIOS:
            variants = ", ".join(v.name for v in scenario.variants)
            lines.append(f"{scenario.name:<20} {scenario.summary.get(lang)}")
            lines.extend(f"{'':<20} {line}" for line in _page(scenario, lang))
            lines.append(f"{'':<20} --variant {variants}")
        write_text(env, "\n".join(lines) + "\n")
        return ExitCode.OK
    if not args.scenario:
        raise UsageError.of("lab.needs_scenario", action=args.action)
    scenario = scenario_named(args.scenario)
    if args.action == "serve":
        return _serve(scenario, args, env, lang)
    return _run(scenario, args, env, lang)


def _page(scenario: Any, lang: Lang) -> list[str]:
    """The line naming the page a scenario's navigation starts on, when it has one."""
    from httpdoctor.report.messages import message

    if scenario.referrer is None:
        return []
    return [message("lab.page", lang, page=scenario.referrer)]


def _request_flags(scenario: Any) -> str:
    """The options that make diagnose (or curl) send what the scenario's client sends."""
    import shlex

    flags = []
    if scenario.data is not None:
        flags += ["-d", shlex.quote(scenario.data)]
    # -d already means POST to both; curl even warns about a needless -X POST.
    if scenario.method != ("POST" if scenario.data is not None else "GET"):
        flags += ["-X", scenario.method]
    if scenario.referrer is not None:
        flags += ["-e", shlex.quote(scenario.referrer)]
    return " ".join(flags)


def _spec(run: Any) -> Any:
    from httpdoctor.fetch import FetchSettings, TraceSpec
    from httpdoctor.hsts import bundled_list
    from httpdoctor.trace import Request, profile_named

    profile = profile_named("chrome")
    scenario = run.scenario
    body = scenario.data.encode() if scenario.data is not None else None
    headers: tuple[tuple[str, str], ...] = (("User-Agent", profile.user_agent),)
    if body is not None:
        headers += (("Content-Type", "application/x-www-form-urlencoded"),)
    return TraceSpec(
        request=Request(url=scenario.url, method=scenario.method, headers=headers, body=body),
        profile=profile,
        settings=FetchSettings(resolve=run.rules, cacert=run.ca_path, timeout=10.0),
        preload=bundled_list(),
        referrer=scenario.referrer,
    )


def _run(scenario: Any, args: argparse.Namespace, env: Environment, lang: Lang) -> ExitCode:
    from httpdoctor.cli.commands.diagnose_cmd import render
    from httpdoctor.diagnose import diagnose
    from httpdoctor.fetch.diagnosis import investigate
    from httpdoctor.lab.runner import running

    with running(scenario, args.variant) as run:
        spec = _spec(run)
        found = investigate(spec)
    findings = diagnose(found.subject)
    if args.json:
        from httpdoctor.report.diagnose_json import SCHEMA_VERSION, findings_json
        from httpdoctor.report.trace_json import chain_json

        write_json(
            env,
            {
                "schema_version": SCHEMA_VERSION,
                "lang": lang.value,
                "scenario": scenario.name,
                "variant": run.variant.name,
                "trace": chain_json(found.subject.chain, profile_label=spec.profile.label),
                "probes": [
                    {"kind": kind, "trace": chain_json(chain, profile_label=chain.profile)}
                    for kind, chain in found.extra
                ],
                "findings": findings_json(findings, lang),
            },
        )
        return ExitCode.OK
    style = styler(env)
    intro = [
        style(f"lab {scenario.name} ({run.variant.name})", "bold"),
        scenario.summary.get(lang),
        *_page(scenario, lang),
        run.variant.summary.get(lang),
        "",
    ]
    write_text(env, "\n".join(intro) + "\n" + render(found, findings, spec, env, lang))
    return ExitCode.OK


def _serve(scenario: Any, args: argparse.Namespace, env: Environment, lang: Lang) -> ExitCode:
    import contextlib
    import threading

    from httpdoctor.lab.runner import running
    from httpdoctor.report.messages import message

    with running(scenario, args.variant) as run:
        flags = " ".join(run.cli_flags())
        sent = _request_flags(scenario)
        ask = f"{sent} {scenario.url}" if sent else scenario.url
        lines = [
            message("lab.serving", lang, name=scenario.name, variant=run.variant.name),
            f"  httpdoctor diagnose {ask} {flags}",
            f"  curl -v {flags} {ask}",
        ]
        if run.standard_ports:
            lines.append(f"  chromium '{run.browser_flag()}' {scenario.url}")
            if scenario.prime:
                lines.append("  " + message("lab.prime", lang, urls=", ".join(scenario.prime)))
            lines.append("  " + message("lab.browser-trust", lang))
        else:
            lines.append("  " + message("lab.browser-ports", lang))
        write_text(env, "\n".join(lines) + "\n")
        env.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return ExitCode.OK
