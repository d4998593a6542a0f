"""HTTP/1.1 as the hostile server writes and records it: no sockets, only bytes.

:class:`RecordedRequest` is one request as :mod:`tests.servers.hostile` read it off the
wire, :func:`build_response` writes a response byte by byte (header values given as bytes
go out raw), and :class:`BadRequest` is a request the server refuses before any handler
runs, with the status it answers.
"""

from __future__ import annotations

import http
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "MAX_BODY",
    "MAX_HEAD",
    "PLAIN_TEXT",
    "BadRequest",
    "HeaderValue",
    "RecordedRequest",
    "build_response",
]

HeaderValue = str | bytes

MAX_HEAD = 64 * 1024
MAX_BODY = 1024 * 1024
PLAIN_TEXT = ("Content-Type", "text/plain; charset=utf-8")


class BadRequest(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedRequest:
    """One request as the server read it off the wire."""

    method: str
    target: str
    """The request target exactly as sent, decoded as latin-1 (one char per byte)."""
    path: str
    """The path used for dispatch: percent-decoded, UTF-8, without query or fragment."""
    query: str
    version: str
    headers: tuple[tuple[str, str], ...]
    """Every header line in order (duplicates kept), values decoded as latin-1."""
    body: bytes
    raw_head: bytes
    tls: bool
    client: tuple[str, int]

    def header(self, name: str) -> str | None:
        """The first value of a header, by case-insensitive name."""
        values = self.header_values(name)
        return values[0] if values else None

    def header_values(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]


def build_response(
    status: int | str,
    reason: str | None = None,
    headers: Iterable[tuple[str, HeaderValue]] = (),
    body: bytes = b"",
    *,
    content_length: bool = True,
    close: bool = True,
) -> bytes:
    """The bytes of an HTTP/1.1 response; header values given as bytes go out raw."""
    if reason is None:
        reason = _reason(int(status)) if str(status).isdigit() else ""
    lines = [f"HTTP/1.1 {status} {reason}".encode("latin-1")]
    for name, value in headers:
        raw = value if isinstance(value, bytes) else value.encode("latin-1")
        lines.append(name.encode("latin-1") + b": " + raw if raw else name.encode() + b":")
    if content_length:
        lines.append(b"Content-Length: %d" % len(body))
    if close:
        lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def _reason(code: int) -> str:
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return "Unknown"
