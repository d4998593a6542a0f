"""Our own words for why a hop failed, by a stable key.

A hop's error keeps its English message for the JSON (scripts match on it); the key and
its fields let the reports say it in the reader's language (report/data/messages.toml,
``trace.failure-<key>``, whose English a test keeps equal to these). Failures worded by
someone else (the operating system, OpenSSL, h11) have no key and stay as they came.
"""

from __future__ import annotations

__all__ = ["FAILURES", "worded"]

FAILURES = {
    "deadline": "the overall --timeout ran out",
    "connect-timeout": "connecting to {address} timed out",
    "tls-timeout": "the TLS handshake timed out",
    "send-timeout": "sending the request timed out",
    "read-timeout": "timed out waiting for the server",
    "no-response": "the server closed the connection without a response",
    "head-too-long": "the response head is longer than {limit}",
    "unsendable": "the request cannot be sent: {reason}",
    "dns": "cannot resolve {host}: {reason}",
    "dns-name": "cannot resolve {host}: not a valid host name",
    "closed": "the server closed the connection",
    "reset": "the server reset the stream ({code})",
    "headers-too-large": "the response headers are too large: {reason}",
    "no-status": "the response has no valid :status",
    "locations": "several different Location headers",
    "location": "the Location {raw} is not an http(s) URL the client can follow",
}


def worded(why: str, **details: object) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The English sentence for ``why`` and its fields as text, ready for a HopError."""
    fields = tuple((name, str(value)) for name, value in details.items())
    return FAILURES[why].format(**dict(fields)), fields
