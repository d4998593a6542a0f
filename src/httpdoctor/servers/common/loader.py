"""(I/O) The one module that reads the user's server configuration files.

Everything past the bytes is pure and lives in ``servers/nginx``: ``parse`` (text ->
crossplane statements), ``includes`` (include expansion, the rules nginx applies),
``dump`` (``nginx -T`` output). This module gives them the disk as a ``Source``.

``load_nginx(PATH)`` accepts three kinds of input, told apart by their content:

* a main ``nginx.conf`` with its includes;
* a single vhost file (``server`` blocks at the top): wrapped in a synthetic ``http``;
* the output of ``nginx -T`` (it starts with ``# configuration file PATH:``): split into
  its files, and includes resolve to those, never to the disk of this machine.

The prefix rule: nginx resolves a relative ``include`` against the directory of its main
configuration file (its *conf prefix*, ``/etc/nginx`` on Debian), whatever file the
``include`` is written in. Without ``prefix`` that is the directory of PATH (for an
``nginx -T`` output: of the first file in it). Pass ``prefix`` when PATH is not the main
file, e.g. ``/etc/nginx/sites-enabled/site`` whose includes say ``snippets/ssl.conf``:
``prefix="/etc/nginx"``.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable

from httpdoctor.errors import UsageError
from httpdoctor.servers.nginx.dump import DumpSource, split_dump
from httpdoctor.servers.nginx.includes import MAX_BYTES, assemble
from httpdoctor.servers.nginx.model import Config
from httpdoctor.servers.nginx.parse import decode

__all__ = ["DiskSource", "load_nginx"]


class DiskSource:
    """Files from the local disk, as nginx would open them."""

    description = "config.missing.disk"

    def __init__(self, preloaded: dict[str, bytes] | None = None) -> None:
        self._preloaded = dict(preloaded or {})

    def read(self, path: str, limit: int) -> bytes:
        data = self._preloaded.pop(path, None)
        if data is not None:
            return data[:limit]
        with open(path, "rb") as file:
            return file.read(limit)

    def glob(self, pattern: str) -> Iterable[str]:
        # Python's glob, like glob(3) with no flags: no leading-dot matches, no braces.
        return glob.glob(pattern)

    def identity(self, path: str) -> str:
        return os.path.realpath(path)

    def exists(self, path: str) -> bool:
        return os.path.isfile(path)


def load_nginx(path: str, *, prefix: str | None = None) -> Config:
    """Read an nginx configuration (main file, vhost file or ``nginx -T`` output).

    Args:
        path: the file to read.
        prefix: the directory relative ``include`` paths resolve against; default: the
            directory of the main file (see the module docstring).

    Raises:
        UsageError: ``path`` cannot be read or is too large.
        ConfigSyntaxError: a syntax error, a missing or unreadable include, a binary or
            non-UTF-8 file, an include loop or the size cap; the message names file:line.
    """
    main = os.path.abspath(path)
    try:
        with open(main, "rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UsageError.of("config.unreadable", path=path, reason=exc.strerror or exc) from None
    if len(data) > MAX_BYTES:
        raise UsageError.of("config.too_large", path=path, mib=MAX_BYTES // (1024 * 1024))
    files = split_dump(decode(data, main))
    if files is not None:
        first = next(iter(files))
        conf_prefix = os.path.abspath(prefix) if prefix else os.path.dirname(first)
        return assemble(first, DumpSource(files), prefix=conf_prefix)
    conf_prefix = os.path.abspath(prefix) if prefix else os.path.dirname(main)
    return assemble(main, DiskSource({main: data}), prefix=conf_prefix)
