"""The exceptions of the loopback server harness, all under :class:`ServerError`.

They are re-exported by :mod:`tests.servers.loopback`, where tests import them from.
"""

from __future__ import annotations

__all__ = [
    "ConfigRejected",
    "NoFreeAddress",
    "PlaceholderError",
    "ServerError",
    "ServerStartError",
]


class ServerError(RuntimeError):
    """Base class of every harness failure."""


class NoFreeAddress(ServerError):
    """All of 127.0.0.FIRST_HOST..LAST_HOST are taken."""


class PlaceholderError(ServerError, ValueError):
    """A ``{{...}}`` placeholder that the harness does not know or cannot fill."""


class ConfigRejected(ServerError):
    """The server's own syntax check (``nginx -t`` / ``apache2 -t``) refused the config."""

    def __init__(self, message: str, *, output: str, config_text: str) -> None:
        super().__init__(message)
        self.output = output
        self.config_text = config_text


class ServerStartError(ServerError):
    """The config passed the check but the server exited early or never listened."""

    def __init__(self, message: str, *, returncode: int | None, error_log: str) -> None:
        super().__init__(message)
        self.returncode = returncode
        self.error_log = error_log
