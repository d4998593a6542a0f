"""Build nginx ``Config`` values for the lint tests, through the project's own loader.

``load(path)`` reads a configuration file with its includes exactly as ``httpdoctor lint``
does (``servers.common.loader.load_nginx``); ``from_text(text, folder)`` writes the text
to ``folder/nginx.conf`` first, for tests that keep a configuration inline.
"""

from __future__ import annotations

from pathlib import Path

from httpdoctor.servers.common.loader import load_nginx
from httpdoctor.servers.nginx.model import Config

__all__ = ["from_text", "load"]


def load(path: Path) -> Config:
    return load_nginx(str(path))


def from_text(text: str, folder: Path) -> Config:
    path = folder / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return load(path)
