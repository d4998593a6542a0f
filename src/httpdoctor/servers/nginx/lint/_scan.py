"""Facts the lint rules share: servers and their listens, names, scopes, add_header.

Everything here reads the typed tree only. Where nginx's behaviour depends on something
the configuration alone cannot tell (which Host a client sends, what a proxy in front
does), the helpers say "unknown" and the rules stay silent: a lint rule reports what the
configuration proves, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from httpdoctor.servers.nginx.model import Config, Directive

__all__ = [
    "Listen",
    "Scope",
    "descendants",
    "effective_headers",
    "has_plain",
    "has_tls",
    "hsts_value",
    "is_hsts",
    "listens",
    "name_matches",
    "primary_name",
    "scopes",
    "server_blocks",
    "server_names",
    "server_scope",
    "setting",
    "tls_listen",
]


def server_blocks(config: Config) -> tuple[Directive, ...]:
    """The http servers in file order: inside ``http {}``, or at the top of a vhost file."""
    found = list(config.servers())
    found += [d for d in config.directives if d.name == "server" and d.block is not None]
    return tuple(found)


@dataclass(frozen=True, slots=True, kw_only=True)
class Listen:
    """One ``listen``: the socket (address and port, or a unix path) and its flags."""

    directive: Directive | None  # None for the implicit `listen *:80` of a server without one
    address: str
    port: int | None
    ssl: bool
    default: bool
    proxy_protocol: bool
    quic: bool

    @property
    def socket(self) -> str:
        """The socket key nginx groups servers by (``*:80``, ``127.0.0.1:443``, ``unix:/s``)."""
        suffix = "/udp" if self.quic else ""
        return f"{self.address}:{self.port}{suffix}" if self.port is not None else self.address

    @property
    def loopback(self) -> bool:
        return (
            self.port is None
            or self.address.startswith("127.")
            or self.address in {"[::1]", "localhost"}
        )


def _socket(value: str) -> tuple[str, int | None]:
    # nginx: `listen 8080`, `listen 10.0.0.1`, `listen [::]:80`, `listen unix:/run/s`.
    if value.startswith("unix:"):
        return value, None
    if value.isdigit():
        return "*", int(value)
    host, sep, port = value.rpartition(":")
    if sep and port.isdigit() and (not host.startswith("[") or host.endswith("]")):
        address, number = host, int(port)
    else:
        address, number = value, 80
    return ("*" if address in {"*", "0.0.0.0"} else address.lower()), number


def listens(server: Directive) -> tuple[Listen, ...]:
    """The server's listens; a server without any listens on ``*:80`` (nginx as root)."""
    found = []
    for directive in server.children("listen"):
        if not directive.args:
            continue
        address, port = _socket(directive.args[0])
        flags = set(directive.args[1:])
        found.append(
            Listen(
                directive=directive,
                address=address,
                port=port,
                ssl="ssl" in flags,
                default=bool(flags & {"default_server", "default"}),
                proxy_protocol="proxy_protocol" in flags,
                quic="quic" in flags,
            )
        )
    if not found:
        implicit = Listen(
            directive=None,
            address="*",
            port=80,
            ssl=False,
            default=False,
            proxy_protocol=False,
            quic=False,
        )
        return (implicit,)
    return tuple(found)


def descendants(block: Directive, name: str) -> Iterator[Directive]:
    """Every directive called ``name`` inside ``block``, at any depth, in file order."""
    stack = list(reversed(block.block or ()))
    while stack:
        directive = stack.pop()
        if directive.name == name:
            yield directive
        stack.extend(reversed(directive.block or ()))


def tls_listen(server: Directive, item: Listen) -> bool:
    """Whether this listen speaks TLS (its own ``ssl``/``quic``, or the server's ``ssl on``)."""
    return item.ssl or item.quic or _ssl_on(server)


def _ssl_on(server: Directive) -> bool:
    # `ssl on;` (removed in 1.25, still read by 1.22) turns every listen of the server to TLS.
    ssl = server.first("ssl")
    return ssl is not None and ssl.args[:1] == ("on",)


def has_tls(server: Directive) -> bool:
    return _ssl_on(server) or any(item.ssl or item.quic for item in listens(server))


def has_plain(server: Directive) -> bool:
    return not _ssl_on(server) and any(not (item.ssl or item.quic) for item in listens(server))


def server_names(server: Directive) -> tuple[str, ...]:
    return tuple(name.lower() for d in server.children("server_name") for name in d.args)


def primary_name(server: Directive) -> str:
    """What ``$server_name`` holds: the first name, or "" without a server_name."""
    names = server_names(server)
    return names[0] if names else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Scope:
    """A block whose configuration a request can end up in, with its enclosing blocks.

    ``chain`` runs from the outermost block (``http``, when there is one) to ``block``.
    """

    server: Directive
    chain: tuple[Directive, ...]

    @property
    def block(self) -> Directive:
        return self.chain[-1]

    @property
    def conditions(self) -> tuple[Directive, ...]:
        return tuple(d for d in self.chain if d.name == "if")


def _nested(server: Directive, chain: tuple[Directive, ...]) -> Iterator[Scope]:
    yield Scope(server=server, chain=chain)
    for child in chain[-1].block or ():
        if child.name in {"location", "if", "limit_except"} and child.block is not None:
            yield from _nested(server, (*chain, child))


def scopes(config: Config, server: Directive | None = None) -> Iterator[Scope]:
    """Every scope of every server (or of one): the server, then its locations and ifs."""
    http = config.http()
    for block in server_blocks(config) if server is None else (server,):
        top = (http, block) if http is not None and block in http.children("server") else (block,)
        yield from _nested(block, top)


def server_scope(config: Config, server: Directive) -> Scope:
    """The scope of the server block itself (its chain starts at ``http``)."""
    return next(scopes(config, server))


def setting(chain: tuple[Directive, ...], name: str) -> Directive | None:
    """The directive ``name`` in force for the innermost block (nginx's inheritance)."""
    for block in reversed(chain):
        found = block.first(name)
        if found is not None:
            return found
    return None


def effective_headers(chain: tuple[Directive, ...]) -> tuple[Directive, ...]:
    """The ``add_header`` lines that apply in the innermost block of ``chain``.

    nginx inherits the list only when a level has no add_header of its own [doc
    ngx_http_headers_module#add_header; nginx-semantics.md §6]; ``add_header_inherit``
    (1.29.3+) is honoured when present.
    """
    if not chain:
        return ()
    own = tuple(chain[-1].children("add_header"))
    mode = setting(chain, "add_header_inherit")
    how = mode.args[0] if mode is not None and mode.args else "on"
    if how == "off":
        return own
    if how == "merge":
        return effective_headers(chain[:-1]) + own
    return own if own else effective_headers(chain[:-1])


def is_hsts(directive: Directive) -> bool:
    return (
        directive.name == "add_header"
        and len(directive.args) >= 2
        and directive.args[0].lower() == "strict-transport-security"
    )


def hsts_value(directive: Directive) -> str:
    return directive.args[1] if len(directive.args) > 1 else ""


def name_matches(pattern: str, host: str) -> bool | None:
    """Whether a server_name entry covers ``host``; None for a regex (not decided here)."""
    if pattern.startswith("~"):
        return None
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    if pattern.startswith("."):
        return host == pattern[1:] or host.endswith(pattern)
    if pattern.endswith(".*"):
        return host.startswith(pattern[:-1])
    return host == pattern
