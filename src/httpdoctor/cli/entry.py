"""The console script and ``python -m httpdoctor``: start fast, then hand over to main."""

from __future__ import annotations

from httpdoctor._lazy import defer


def main() -> int:
    defer("inspect")  # see httpdoctor._lazy: dataclasses would import it for nothing
    from httpdoctor.cli.main import main as run_main

    return run_main()
