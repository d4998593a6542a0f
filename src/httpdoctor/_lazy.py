"""Defers a standard-library import until something actually uses the module.

``dataclasses`` imports ``inspect`` at the top, yet only calls it to write a docstring
for classes that have none. ``inspect`` (with ``ast``, ``dis`` and ``tokenize`` behind
it) costs most of a bare interpreter start, which ``httpdoctor explain`` cannot spend.
The CLI entry point therefore installs a stand-in that loads the real module on first
attribute access, the way Mercurial's demandimport does. Nothing else changes: code
that uses ``inspect`` gets the real thing, one attribute access later.
"""

from __future__ import annotations

import sys
import types

__all__ = ["defer"]


class _Deferred(types.ModuleType):
    def __getattr__(self, attribute: str) -> object:
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = __import__(name)
        # Holders of the stand-in (``dataclasses.inspect``) now see the real contents.
        self.__dict__.update(real.__dict__)
        return getattr(real, attribute)


def defer(name: str) -> None:
    """Make ``import name`` cheap until the module is used; a no-op once it is loaded."""
    if name not in sys.modules:
        sys.modules[name] = _Deferred(name)
