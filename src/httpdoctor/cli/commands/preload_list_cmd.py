"""``httpdoctor preload-list update FILE``: use a newer Chromium preload list."""

from __future__ import annotations

import argparse
from typing import Any

from httpdoctor.cli.commands._output import write_text
from httpdoctor.cli.env import Environment
from httpdoctor.errors import ExitCode
from httpdoctor.i18n import Lang

NAME = "preload-list"


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        NAME,
        parents=[common],
        help="show or update the HSTS preload list httpdoctor uses",
        description=(
            "The bundled list comes with the hstspreload package and ages. 'update FILE' "
            "installs Chromium's net/http/transport_security_state_static.json (comments "
            "allowed) into the user cache; traces use it from then on."
        ),
    )
    parser.add_argument("action", choices=["update", "show"])
    parser.add_argument("file", nargs="?", metavar="FILE")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, env: Environment, lang: Lang) -> ExitCode:
    from pathlib import Path

    from httpdoctor.cli import state
    from httpdoctor.errors import UsageError

    if args.action == "update":
        if not args.file:
            raise UsageError.of("hsts.list_needs_file")
        target, parsed = state.save_preload(Path(args.file))
        from httpdoctor.report.messages import message

        installed = message("preload-list.installed", lang, path=target, version=parsed.version)
        write_text(env, installed + "\n")
        return ExitCode.OK
    current = state.load_preload_list()
    write_text(env, f"{current.source} {current.version}\n")
    return ExitCode.OK
