"""The one exception tree of httpdoctor.

::

    HttpDoctorError              never raised itself; every error says what to do next
    ├── UsageError               the user's input is wrong (bad code, bad flag) -> exit 2
    │   └── ConfigSyntaxError    a server configuration cannot be read; names file:line
    ├── DataError                a bundled or user-supplied data file is broken -> exit 2
    └── UnsupportedConstruct     we do not model this; we refuse to guess -> exit 2

A server's misbehaviour is never an exception: it becomes a finding. Exceptions are
for the caller's mistakes and for our own limits, and each carries a ``hint``.
"""

from __future__ import annotations

from enum import IntEnum

TYPE_CHECKING = False  # importing typing would cost start-up time; see bench/startup.py
if TYPE_CHECKING:
    from typing import Any, ClassVar

    from httpdoctor.servers.nginx.model import SourceSpan


__all__ = [
    "ConfigSyntaxError",
    "DataError",
    "ExitCode",
    "HttpDoctorError",
    "UnsupportedConstruct",
    "UsageError",
]


class ExitCode(IntEnum):
    OK = 0
    PROBLEM_FOUND = 1
    USAGE = 2
    INTERRUPTED = 130


class HttpDoctorError(Exception):
    """Base of every error httpdoctor raises on purpose.

    Args:
        message: one line saying what went wrong.
        hint: one line saying what to do about it.
    """

    exit_code: ClassVar[ExitCode] = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __new__(cls, *args: Any, **kwargs: Any) -> HttpDoctorError:
        # As h11 does with its ProtocolError: the base only names the family;
        # raising it directly would hide which kind of problem the user has.
        if cls is HttpDoctorError:
            raise TypeError("raise a subclass of HttpDoctorError, not the base")
        return super().__new__(cls)


class UsageError(HttpDoctorError):
    """The command line or an argument to the library is not something we can act on."""


class ConfigSyntaxError(UsageError):
    """A configuration file is malformed or cannot be assembled: bad syntax, a missing or
    unreadable include, a binary file, an include loop, a size cap.

    ``span`` says where (the file and line nginx itself would name); the message starts
    with it, so the one ``error:`` line the CLI prints names ``file:line``.
    """

    def __init__(self, reason: str, *, span: SourceSpan, hint: str | None = None) -> None:
        super().__init__(f"{span}: {reason}", hint=hint)
        self.reason = reason
        self.span = span


class DataError(HttpDoctorError):
    """A data file (bundled or given by the user) does not have the expected shape."""


class UnsupportedConstruct(HttpDoctorError):
    """The input uses something httpdoctor does not model; guessing would mislead."""
