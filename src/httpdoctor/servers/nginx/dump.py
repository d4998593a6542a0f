"""The output of ``nginx -T``: recognise it, split it into its files, serve them as a Source.

Pure. nginx writes, for every file it read (each once, in the order it read them),
``# configuration file PATH:`` on a line of its own, the file's bytes, then one newline
[nginx src/core/nginx.c, the ``ngx_dump_config`` loop]. Splitting on those lines gives
back every file with its own line numbers, so spans name the original ``file:line``.
When stderr was captured too (``nginx -T 2>&1``), nginx's own ``nginx: ...`` lines come
before the first file and are skipped; a file whose text contains a line that looks like
a separator would be split there (nginx offers no way to tell the two apart).
"""

from __future__ import annotations

import errno
import glob
import os
import re
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase

__all__ = ["DumpSource", "split_dump"]

_SEPARATOR = re.compile(r"^# configuration file (.+):\r?\n?$")
_NGINX_SAYS = re.compile(r"^nginx: (\[\w+\] |the configuration file |configuration file )")


def split_dump(text: str) -> dict[str, str] | None:
    """``{path: text}`` in nginx's order if ``text`` is an ``nginx -T`` output, else None."""
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and (not lines[start].strip() or _NGINX_SAYS.match(lines[start])):
        start += 1
    if start == len(lines) or not _SEPARATOR.match(lines[start]):
        return None
    files: dict[str, str] = {}
    name, body = "", list[str]()
    for line in lines[start:]:
        match = _SEPARATOR.match(line)
        if match is None:
            body.append(line)
            continue
        if name:
            files.setdefault(name, _unframe(body))
        name, body = match[1], []
    while body and _NGINX_SAYS.match(body[-1]):
        body.pop()
    files.setdefault(name, _unframe(body))
    return files


def _unframe(body: list[str]) -> str:
    text = "".join(body)
    # nginx added one newline after the file's own bytes.
    return text.removesuffix("\n")


def _glob_match(pattern: str, path: str) -> bool:
    """glob(3) without flags, as nginx calls it: per path segment, no leading-dot match."""
    wanted, parts = pattern.split("/"), path.split("/")
    if len(wanted) != len(parts):
        return False
    for want, part in zip(wanted, parts, strict=True):
        if not glob.has_magic(want):
            if want != part:
                return False
        elif (part.startswith(".") and not want.startswith(".")) or not fnmatchcase(part, want):
            return False
    return True


class DumpSource:
    """The files of an ``nginx -T`` output, read instead of the disk."""

    description = "config.missing.dump"

    def __init__(self, files: Mapping[str, str]) -> None:
        self.files = dict(files)
        self._by_normal = {os.path.normpath(name): name for name in self.files}

    def _name(self, path: str) -> str | None:
        if path in self.files:
            return path
        return self._by_normal.get(os.path.normpath(path))

    def read(self, path: str, limit: int) -> bytes:
        name = self._name(path)
        if name is None:
            raise FileNotFoundError(errno.ENOENT, "is not in the nginx -T output", path)
        return self.files[name].encode("utf-8")[:limit]

    def glob(self, pattern: str) -> Iterable[str]:
        return [name for name in self.files if _glob_match(pattern, name)]

    def identity(self, path: str) -> str:
        return os.path.normpath(path)

    def exists(self, path: str) -> bool:
        return self._name(path) is not None
