"""Assemble a whole configuration: parse the main file, expand every ``include`` in place.

Pure: files come through a :class:`Source` (the disk, from ``servers.common.loader``, or
the files embedded in an ``nginx -T`` dump, from ``servers.nginx.dump``); this module
never opens anything itself.

The rules, as nginx applies them [nginx src/core/ngx_conf_file.c ``ngx_conf_include``]:

* A relative path is joined to the *conf prefix*: the directory of the main file
  (``/etc/nginx`` for Debian's ``/etc/nginx/nginx.conf``), not the including file's
  directory; the caller may override it (``--prefix``). Paths are joined, not normalised,
  so file names read exactly as nginx prints them in ``nginx -T``.
* A pattern with ``*``, ``?`` or ``[`` is a glob: its matches are read in sorted (byte)
  order, and a glob matching nothing is fine. A plain path that does not exist is an error.
* An included file is parsed in the context of its ``include``; a file included from two
  places is expanded at both (crossplane's parser reads it only once, for the first).
  ``Config.files`` names each file once, in the order first read, as ``nginx -T`` does.
* A file that includes itself, directly or through others, is an include loop: nginx
  would recurse until it runs out of file descriptors; we stop at the ``include``.
* Every directive read from an included file has ``included_from`` = that ``include``.
* A main file with ``server`` blocks but no ``http`` block (a vhost file from
  ``sites-enabled``) is wrapped in a synthetic ``http`` block, so the model always reads
  http -> server. The synthetic block takes the file and line of the file's first directive.
* Limits: 16 MiB of text in all (a file counts each time it is expanded, so include
  fan-out cannot blow up the tree) and nesting 100 blocks and includes deep.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable
from typing import NoReturn, Protocol

from crossplane.analyzer import enter_block_ctx

from httpdoctor.errors import ConfigSyntaxError, ErrorText, UsageError
from httpdoctor.servers.nginx.lexer import Token, lex
from httpdoctor.servers.nginx.model import Config, Directive, SourceSpan
from httpdoctor.servers.nginx.parse import Statement, decode, statements

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Source", "assemble", "join"]

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 100


class Source(Protocol):
    """Where configuration files come from. Errors are :class:`OSError` subclasses."""

    @property
    def description(self) -> str:
        """The error catalogue's key for a missing file: "not found", "not in the nginx
        -T output" (``config.missing.disk``, ``config.missing.dump``)."""
        ...

    def read(self, path: str, limit: int) -> bytes:
        """At most ``limit`` bytes of ``path``."""
        ...

    def glob(self, pattern: str) -> Iterable[str]:
        """The paths matching a glob ``pattern``, in any order."""
        ...

    def identity(self, path: str) -> str:
        """A key equal for two paths naming the same file (loop detection)."""
        ...

    def exists(self, path: str) -> bool:
        """Whether ``path`` names a readable file (only to suggest a better prefix)."""
        ...


def join(prefix: str, path: str) -> str:
    """``path`` resolved as nginx does (``ngx_conf_full_name``): prefix + path, unnormalised."""
    if path.startswith("/"):
        return path
    return prefix + path if prefix.endswith("/") else f"{prefix}/{path}"


def assemble(main: str, source: Source, *, prefix: str) -> Config:
    """The configuration rooted at ``main``, every ``include`` expanded.

    Raises:
        UsageError: ``main`` itself cannot be read.
        ConfigSyntaxError: anything wrong in or between the files; names file:line.
    """
    return _Assembly(source, prefix).run(main)


class _Assembly:
    def __init__(self, source: Source, prefix: str) -> None:
        self.source = source
        self.prefix = prefix
        self.budget = MAX_BYTES
        self.files: list[str] = []
        self._texts: dict[str, tuple[str, list[Token], int]] = {}

    def run(self, main: str) -> Config:
        text, tokens = self._load(main, at=None)
        top = statements(tokens, main, (), text=text)
        wrap = not any(s["directive"] == "http" for s in top) and any(
            s["directive"] == "server" and "block" in s for s in top
        )
        ctx: tuple[str, ...] = ("http",) if wrap else ()
        if wrap:  # parse again so crossplane's analyser sees http > server
            top = statements(tokens, main, ctx, text=text)
        chain = ((self.source.identity(main), main),)
        directives = tuple(self._expand(top, main, ctx, chain, None, 0))
        if wrap:
            line = top[0]["line"] if top else 1
            http = Directive(
                name="http", args=(), span=SourceSpan(file=main, line=line), block=directives
            )
            directives = (http,)
        return Config(directives=directives, files=tuple(self.files), prefix=self.prefix)

    # -- reading ----------------------------------------------------------------------

    def _load(
        self, name: str, at: SourceSpan | None, *, relative: bool = False
    ) -> tuple[str, list[Token]]:
        cached = self._texts.get(name)
        if cached is None:
            data = self._read(name, at, relative)
            text = decode(data, name, included_from=at)
            cached = (text, lex(text, name), len(data))
            self._texts[name] = cached
            self.files.append(name)
        text, tokens, size = cached
        self.budget -= size
        if self.budget < 0:
            self._too_large(name, at)
        return text, tokens

    def _read(self, name: str, at: SourceSpan | None, relative: bool) -> bytes:
        try:
            data = self.source.read(name, self.budget + 1)
        except OSError as exc:
            self._unreadable(name, at, exc, relative)
        if len(data) > self.budget:
            self._too_large(name, at)
        return data

    def _unreadable(
        self, name: str, at: SourceSpan | None, exc: OSError, relative: bool
    ) -> NoReturn:
        missing = isinstance(exc, FileNotFoundError)
        reason = ErrorText(self.source.description) if missing else (exc.strerror or str(exc))
        if at is None:
            raise UsageError.of("config.unreadable", path=name, reason=reason) from None
        if missing:
            raise ConfigSyntaxError.at(
                at,
                "config.include_missing",
                hint=self._missing_hint(name, relative),
                name=name,
                reason=reason,
            ) from None
        key = (
            "config.include_forbidden"
            if isinstance(exc, PermissionError)
            else "config.include_unreadable"
        )
        raise ConfigSyntaxError.at(at, key, name=name, reason=reason) from None

    def _missing_hint(self, name: str, relative: bool) -> ErrorText:
        if not relative or not name.startswith(self.prefix):
            return ErrorText("config.missing_hint.check_path")
        path = name[len(self.prefix) :].lstrip("/")
        parent = self.prefix.rstrip("/")
        while parent:  # suggest the ancestor where the file exists, if any
            parent = parent.rsplit("/", 1)[0]
            if self.source.exists(join(parent or "/", path)):
                return ErrorText(
                    "config.missing_hint.prefix_found", prefix=self.prefix, parent=parent or "/"
                )
        return ErrorText("config.missing_hint.prefix_other", prefix=self.prefix)

    def _too_large(self, name: str, at: SourceSpan | None) -> NoReturn:
        mib = MAX_BYTES // (1024 * 1024)
        if at is None:
            raise UsageError.of("config.too_large", path=name, mib=mib)
        raise ConfigSyntaxError.at(at, "config.grows_too_large", mib=mib, name=name)

    # -- expanding --------------------------------------------------------------------

    def _expand(
        self,
        stmts: list[Statement],
        file: str,
        ctx: tuple[str, ...],
        chain: tuple[tuple[str, str], ...],
        included_from: SourceSpan | None,
        depth: int,
    ) -> Iterable[Directive]:
        for stmt in stmts:
            span = SourceSpan(file=file, line=stmt["line"])
            name = stmt["directive"]
            if name == "include":
                yield from self._include(stmt, span, ctx, chain, depth)
                continue
            block = stmt.get("block")
            children: tuple[Directive, ...] | None = None
            if block is not None:
                self._check_depth(depth, span)
                inner = enter_block_ctx(stmt, ctx)
                children = tuple(self._expand(block, file, inner, chain, included_from, depth + 1))
            yield Directive(
                name=name,
                args=tuple(stmt["args"]),
                span=span,
                block=children,
                included_from=included_from,
            )

    def _include(
        self,
        stmt: Statement,
        span: SourceSpan,
        ctx: tuple[str, ...],
        chain: tuple[tuple[str, str], ...],
        depth: int,
    ) -> Iterable[Directive]:
        if len(stmt["args"]) != 1 or "block" in stmt:
            raise ConfigSyntaxError.at(span, "config.include_arguments")
        self._check_depth(depth, span)
        pattern = join(self.prefix, stmt["args"][0])
        names = sorted(self.source.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        for name in names:
            identity = self.source.identity(name)
            if any(identity == seen for seen, _ in chain):
                loop = " -> ".join([*(file for _, file in chain), name])
                raise ConfigSyntaxError.at(span, "config.include_loop", loop=loop)
            text, tokens = self._load(name, span, relative=not stmt["args"][0].startswith("/"))
            included = statements(tokens, name, ctx, text=text)
            yield from self._expand(
                included, name, ctx, (*chain, (identity, name)), span, depth + 1
            )

    @staticmethod
    def _check_depth(depth: int, span: SourceSpan) -> None:
        if depth >= MAX_DEPTH:
            raise ConfigSyntaxError.at(span, "config.too_deep", depth=MAX_DEPTH)
