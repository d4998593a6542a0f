"""An nginx configuration as immutable data, every directive with its file and line.

Produced by ``servers.common.loader`` (which reads files and runs crossplane) with every
``include`` already expanded in place, so evaluators and lint rules see one tree and never
touch the disk. The shape is crossplane's, typed: a directive, its arguments, and for block
directives (``http``, ``server``, ``location``, ``if``, ``map``…) its children.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Config", "Directive", "SourceSpan"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceSpan:
    """Where a directive was written: the file (as given or resolved) and its line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Directive:
    """One directive; ``block`` is None for simple directives, a tuple for blocks.

    ``args`` are as nginx sees them after its own unquoting (crossplane's ``args``).
    ``included_from`` names the ``include`` directive that brought this one in, if any.
    """

    name: str
    args: tuple[str, ...]
    span: SourceSpan
    block: tuple[Directive, ...] | None = None
    included_from: SourceSpan | None = None

    def children(self, name: str | None = None) -> Iterator[Directive]:
        """Direct children (all, or those called ``name``)."""
        for child in self.block or ():
            if name is None or child.name == name:
                yield child

    def first(self, name: str) -> Directive | None:
        return next(self.children(name), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """A whole configuration: the main context's directives, includes expanded.

    ``files`` lists every file read, in order; ``prefix`` is the directory relative paths
    in ``include`` were resolved against (nginx's prefix or the main file's folder).
    """

    directives: tuple[Directive, ...]
    files: tuple[str, ...]
    prefix: str

    def find(self, name: str) -> Iterator[Directive]:
        """Every directive called ``name`` at any depth, in file order."""
        stack = list(reversed(self.directives))
        while stack:
            directive = stack.pop()
            if directive.name == name:
                yield directive
            stack.extend(reversed(directive.block or ()))

    def http(self) -> Directive | None:
        return next((d for d in self.directives if d.name == "http"), None)

    def servers(self) -> tuple[Directive, ...]:
        """The ``server`` blocks of the ``http`` context, in file order."""
        http = self.http()
        return tuple(http.children("server")) if http is not None else ()
