"""Helpers for the nginx loader tests: write a small tree of files, compare models."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from httpdoctor.servers.nginx.model import Config, Directive


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text, dedented, or bytes) under ``root``."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def shape(directives: Iterable[Directive]) -> list[Any]:
    """Names, arguments and blocks only: what a round trip must keep (no spans)."""
    return [(d.name, d.args, None if d.block is None else shape(d.block)) for d in directives]


def located(config: Config, name: str) -> list[tuple[str, int, str | None]]:
    """(file name relative to the prefix, line, included_from) of every ``name`` directive."""

    def short(path: str) -> str:
        return path.removeprefix(config.prefix.rstrip("/") + "/")

    return [
        (
            short(d.span.file),
            d.span.line,
            None
            if d.included_from is None
            else f"{short(d.included_from.file)}:{d.included_from.line}",
        )
        for d in config.find(name)
    ]
