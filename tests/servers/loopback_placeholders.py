"""The ``{{...}}`` placeholders of loopback server config text.

Placeholders (in server/VirtualHost text, extra config text and ``files`` given as ``str``):

=========================  ============================================================
``{{addr}}``               the instance's address, e.g. ``127.0.0.10``
``{{cert:NAME}}``          path of the PEM chain for NAME: ``certs[NAME]`` if the caller
                           passed it, else ``pki.issue(*NAME.split(","))`` — so
                           ``{{cert:site.test,www.site.test}}`` is one cert for both names
``{{key:NAME}}``           the matching private key path (same lookup as ``cert``)
``{{ca}}``                 the session CA's PEM path
``{{root}}``               the document root (``PREFIX/htdocs``; ``files`` are written there)
``{{prefix}}``             the instance's private directory
=========================  ============================================================

Anything else between ``{{`` and ``}}`` raises :class:`PlaceholderError`; nginx and Apache
syntax never contains ``{{``, so no escaping is needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from tests.servers.loopback_errors import PlaceholderError
from tests.servers.pki import CertFiles

__all__ = ["PLACEHOLDER_HELP", "expand_placeholders", "ports_in"]

_PLACEHOLDER = re.compile(r"\{\{([^{}]*)\}\}")
_SIMPLE_PLACEHOLDERS = ("addr", "ca", "root", "prefix")
_PORTS_IN_TEXT = re.compile(r"\{\{\s*addr\s*\}\}:(\d+)")

PLACEHOLDER_HELP = (
    "known placeholders: {{addr}}, {{cert:NAME}}, {{key:NAME}} (NAME a key of certs= or "
    "comma-separated host names issued from the session CA), {{ca}}, {{root}}, {{prefix}}"
)


def ports_in(texts: Iterable[str]) -> tuple[int, ...]:
    """Ports written as ``{{addr}}:PORT`` anywhere in ``texts``, sorted."""
    found = {int(match) for text in texts for match in _PORTS_IN_TEXT.findall(text)}
    return tuple(sorted(found))


def expand_placeholders(
    text: str, *, simple: Callable[[str], str], cert_files: Callable[[str], CertFiles]
) -> str:
    """Fill the ``{{...}}`` placeholders of ``text``: ``simple(NAME)`` gives the value of
    ``{{addr}}``, ``{{ca}}``, ``{{root}}`` and ``{{prefix}}``, ``cert_files(NAME)`` the files
    behind ``{{cert:NAME}}`` and ``{{key:NAME}}``."""

    def replace(match: re.Match[str]) -> str:
        body = match.group(1).strip()
        name, colon, argument = body.partition(":")
        name, argument = name.strip(), argument.strip()
        if not colon and name in _SIMPLE_PLACEHOLDERS:
            return simple(name)
        if colon and name in ("cert", "key") and argument:
            cert = cert_files(argument)
            return str(cert.cert_path if name == "cert" else cert.key_path)
        raise PlaceholderError(f"unknown placeholder {match.group(0)!r}; {PLACEHOLDER_HELP}")

    expanded = _PLACEHOLDER.sub(replace, text)
    if "{{" in expanded:
        at = expanded.index("{{")
        raise PlaceholderError(
            f"malformed placeholder near {expanded[at : at + 40]!r}; {PLACEHOLDER_HELP}"
        )
    return expanded
