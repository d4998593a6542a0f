"""The catalogue of behaviours of :class:`~tests.servers.hostile.HostileServer`.

Behaviours (``BEHAVIOURS``; a key ending in ``/`` matches every path under it):

=========================== ============================================================
path                        what the server does
=========================== ============================================================
``/``                       200, a plain-text list of these paths
``/status/<code>``          a well-formed response with that 3-digit code and a small body
                            (``status <code>``); no body for 1xx, 204 and 304 or for HEAD;
                            ``?location=URL`` adds a ``Location`` header; other input: 400
``/garbage-status``         status line ``HTTP/1.1 abc nonsense``, then headers and a body
``/random-bytes``           1 KiB of fixed pseudo-random bytes, no HTTP framing at all
``/no-status``              headers and a body, but no status line before them
``/http09``                 an HTML body straight away: no status line, no headers
``/redirect-no-location``   302 without a ``Location`` header
``/two-locations``          301 with two different ``Location`` headers
                            (``/status/200`` and ``/status/204``)
``/same-two-locations``     301 with ``Location: /status/200`` twice
``/non-ascii-location``     302 with ``Location: /путь`` as raw UTF-8 bytes (``/путь``,
                            raw or percent-encoded, answers 200)
``/empty-location``         302 with ``Location:`` and an empty value
``/invalid-location``       302 with ``Location: http://[::1`` (an unclosed IPv6 literal)
``/redirect-to/<n>``        302 to ``/redirect-to/<n-1>``; 200 at 0; not a number: 400
``/loop-a``, ``/loop-b``    302 to each other, forever
``/huge-headers``           200 with about 100 KiB of headers (1,000 ``X-Filler-*`` lines)
``/huge-header-line``       200 with one 100 KiB header line
``/bad-chunked``            200, ``Transfer-Encoding: chunked``, one good chunk, then a chunk
                            size ``zz`` and the connection closed
``/endless-body``           200, no ``Content-Length``, body bytes until the client goes
                            away, the server stops, or ``endless_limit`` (50 MB) is sent
``/trickle``                a valid 200 response sent one byte per ``trickle_interval``
                            (1 s); ends at once when the server stops
``/hang``                   reads the request and never answers; closes after
                            ``hang_seconds`` (60 s), when the client goes away, or on stop
``/close-immediately``      reads the request and closes (FIN) without sending a byte
``/reset``                  reads the request and resets the connection (RST)
anything else               404 ``no such behaviour``
=========================== ============================================================

Each one is a :data:`~tests.servers.hostile_exchange.Handler`. The server looks a path up
exactly, then by the longest key ending in ``/`` that starts it, then falls back to
:func:`not_found`.
"""

from __future__ import annotations

import random
import re
from urllib.parse import parse_qs

from tests.servers.hostile_exchange import Exchange, Handler
from tests.servers.hostile_wire import PLAIN_TEXT, HeaderValue, build_response

__all__ = ["BEHAVIOURS", "not_found"]

_CHUNK = b"x" * 65536
_STATUS = re.compile(r"[0-9]{3}")
_UNICODE_PATH = "/путь"


def _index(ex: Exchange) -> None:
    paths = "\n".join(sorted(ex.server.handlers)) + "\n"
    ex.reply(200, paths.encode(), [PLAIN_TEXT])


def not_found(ex: Exchange) -> None:
    ex.reply(404, b"no such behaviour\n", [PLAIN_TEXT])


def _status(ex: Exchange) -> None:
    code = ex.request.path.removeprefix("/status/")
    if not _STATUS.fullmatch(code):
        ex.reply(400, b"want /status/<3 digits>\n", [PLAIN_TEXT])
        return
    headers: list[tuple[str, HeaderValue]] = [PLAIN_TEXT]
    headers += [("Location", value) for value in parse_qs(ex.request.query).get("location", [])]
    ex.reply(int(code), f"status {code}\n".encode(), headers)


def _garbage_status(ex: Exchange) -> None:
    ex.send(b"HTTP/1.1 abc nonsense\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabc\n")


def _random_bytes(ex: Exchange) -> None:
    ex.send(random.Random(0x5EED).randbytes(1024))


def _no_status(ex: Exchange) -> None:
    ex.send(b"Content-Type: text/plain\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n")


def _http09(ex: Exchange) -> None:
    ex.send(b"<html><body>HTTP/0.9 style: a body and nothing else</body></html>\n")


def _redirect(ex: Exchange, status: int, *locations: HeaderValue) -> None:
    ex.reply(status, b"", [("Location", location) for location in locations])


def _redirect_no_location(ex: Exchange) -> None:
    _redirect(ex, 302)


def _two_locations(ex: Exchange) -> None:
    _redirect(ex, 301, "/status/200", "/status/204")


def _same_two_locations(ex: Exchange) -> None:
    _redirect(ex, 301, "/status/200", "/status/200")


def _non_ascii_location(ex: Exchange) -> None:
    _redirect(ex, 302, _UNICODE_PATH.encode("utf-8"))


def _unicode_target(ex: Exchange) -> None:
    ex.reply(200, f"you reached {_UNICODE_PATH}\n".encode(), [PLAIN_TEXT])


def _empty_location(ex: Exchange) -> None:
    _redirect(ex, 302, "")


def _invalid_location(ex: Exchange) -> None:
    _redirect(ex, 302, "http://[::1")


def _redirect_to(ex: Exchange) -> None:
    rest = ex.request.path.removeprefix("/redirect-to/")
    if not rest.isascii() or not rest.isdigit():
        ex.reply(400, b"want /redirect-to/<n>\n", [PLAIN_TEXT])
        return
    hops = int(rest)
    if hops == 0:
        ex.reply(200, b"end of the chain\n", [PLAIN_TEXT])
    else:
        _redirect(ex, 302, f"/redirect-to/{hops - 1}")


def _loop_a(ex: Exchange) -> None:
    _redirect(ex, 302, "/loop-b")


def _loop_b(ex: Exchange) -> None:
    _redirect(ex, 302, "/loop-a")


def _huge_headers(ex: Exchange) -> None:
    filler = [(f"X-Filler-{index:04d}", "a" * 88) for index in range(1000)]
    ex.reply(200, b"ok", filler)


def _huge_header_line(ex: Exchange) -> None:
    ex.reply(200, b"ok", [("X-Huge", "a" * 100 * 1024)])


def _bad_chunked(ex: Exchange) -> None:
    ex.send(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        b"5\r\nhello\r\nzz\r\nthis is not a chunk\r\n"
    )


def _endless_body(ex: Exchange) -> None:
    ex.send(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
    )
    sent, limit = 0, ex.server.endless_limit
    while sent < limit and not ex.stopping:
        size = min(len(_CHUNK), limit - sent)
        ex.send(_CHUNK[:size])
        sent += size


def _trickle(ex: Exchange) -> None:
    body = b"this body arrives one byte at a time\n"
    response = build_response(200, None, [PLAIN_TEXT], body)
    for index in range(len(response)):
        if index and not ex.sleep(ex.server.trickle_interval):
            return
        ex.send(response[index : index + 1])


def _hang(ex: Exchange) -> None:
    ex.wait_for_disconnect(ex.server.hang_seconds)


def _close_immediately(ex: Exchange) -> None:
    del ex  # the connection is closed (FIN) when the handler returns


def _reset(ex: Exchange) -> None:
    ex.reset()


BEHAVIOURS: dict[str, Handler] = {
    "/": _index,
    "/status/": _status,
    "/garbage-status": _garbage_status,
    "/random-bytes": _random_bytes,
    "/no-status": _no_status,
    "/http09": _http09,
    "/redirect-no-location": _redirect_no_location,
    "/two-locations": _two_locations,
    "/same-two-locations": _same_two_locations,
    "/non-ascii-location": _non_ascii_location,
    _UNICODE_PATH: _unicode_target,
    "/empty-location": _empty_location,
    "/invalid-location": _invalid_location,
    "/redirect-to/": _redirect_to,
    "/loop-a": _loop_a,
    "/loop-b": _loop_b,
    "/huge-headers": _huge_headers,
    "/huge-header-line": _huge_header_line,
    "/bad-chunked": _bad_chunked,
    "/endless-body": _endless_body,
    "/trickle": _trickle,
    "/hang": _hang,
    "/close-immediately": _close_immediately,
    "/reset": _reset,
}
