"""HTTP/2 over one TLS socket, one stream at a time: the h2 library speaks the protocol.

Chrome and curl offer ``h2`` in the TLS hello and most HTTPS servers pick it, so a trace
that means to show what they see must speak it too: the server may answer differently
(a per-protocol virtual host, a 421, an HTTP/2-only header rule) and the hop's version
is part of the evidence. A trace sends its requests one after another, so this is a
single-stream client: no multiplexing, no server push (refused in our settings, as
Chrome does).
"""

from __future__ import annotations

import socket
from collections import deque
from collections.abc import Iterator
from typing import Any

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import h2.settings

from httpdoctor.fetch.connection import MAX_HEAD_BYTES, Broken, Connection, Head, Violation

__all__ = ["Http2Connection"]

_READ_SIZE = 64 * 1024
# RFC 9113 §8.2.2: these mean nothing in HTTP/2 and make a request malformed; Host
# becomes the :authority pseudo-header.
_CONNECTION_SPECIFIC = frozenset(
    {b"connection", b"host", b"keep-alive", b"proxy-connection", b"transfer-encoding", b"upgrade"}
)


class Http2Connection(Connection):
    """HTTP/2: each exchange is a new stream on the same connection until it closes."""

    http_version = b"HTTP/2"

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__(sock, deadline)
        config = h2.config.H2Configuration(client_side=True, header_encoding=None)
        self._h2 = h2.connection.H2Connection(config=config)
        # Chromium's SETTINGS: no push, a header list of up to 256 KiB (the HTTP/1.1 head cap).
        self._h2.local_settings = h2.settings.Settings(
            client=True,
            initial_values={
                h2.settings.SettingCodes.ENABLE_PUSH: 0,
                h2.settings.SettingCodes.MAX_HEADER_LIST_SIZE: MAX_HEAD_BYTES,
            },
        )
        self._h2.decoder.max_header_list_size = MAX_HEAD_BYTES
        self._h2.initiate_connection()
        self._stream: int | None = None
        self._events: deque[Any] = deque()
        self._heard = False  # something of the current stream came back
        self._ended = False  # the current stream's body was read to its end
        self._gone = False  # GOAWAY or EOF: no new streams on this connection
        self._flush()

    @property
    def unanswered(self) -> bool:
        return not self._heard

    def stale(self) -> bool:
        # Readable here is often just a PING or SETTINGS frame, not a close: read it.
        while not self._gone and self._readable():
            try:
                self._pump()
            except (Broken, Violation):
                return True
        return self._gone

    def send(
        self, method: str, target: str, headers: list[tuple[bytes, bytes]], body: bytes | None
    ) -> None:
        authority = next((v for k, v in headers if k.lower() == b"host"), b"")
        fields = [
            (b":method", method.encode("ascii")),
            (b":authority", authority),
            (b":scheme", b"https"),
            (b":path", target.encode("ascii")),
            *((k.lower(), v) for k, v in headers if k.lower() not in _CONNECTION_SPECIFIC),
        ]
        self._heard = self._ended = False
        self._events.clear()
        try:
            self._stream = self._h2.get_next_available_stream_id()
            self._h2.send_headers(self._stream, fields, end_stream=not body)
            self._flush()
            if body:
                self._send_body(self._stream, body)
        except h2.exceptions.ProtocolError as exc:
            raise Violation.worded("unsendable", reason=exc) from exc

    def _send_body(self, stream: int, body: bytes) -> None:
        view = memoryview(body)
        while view:
            room = min(self._h2.local_flow_control_window(stream), self._h2.max_outbound_frame_size)
            if room <= 0:
                self._pump()  # wait for the server's WINDOW_UPDATE
                continue
            chunk, view = view[:room], view[room:]
            self._h2.send_data(stream, bytes(chunk), end_stream=not view)
            self._flush()

    def head(self) -> Head:
        while True:
            event = self._next_event()
            if isinstance(event, h2.events.ResponseReceived):
                break
            if isinstance(event, h2.events.InformationalResponseReceived):
                continue  # 100 and 103 come before the real answer
        status = b""
        fields: list[tuple[bytes, bytes]] = []
        for name, value in event.headers or ():
            if name == b":status":
                status = bytes(value)
            elif not name.startswith(b":"):
                fields.append((bytes(name), bytes(value)))
        if not status.isdigit():
            raise Violation.worded("no-status")
        return Head(int(status), b"", self.http_version, fields)

    def body(self) -> Iterator[bytes]:
        while True:
            event = self._next_event()
            if isinstance(event, h2.events.DataReceived):
                stream = self._stream
                if stream is not None and event.flow_controlled_length:
                    # Handing the window back lets the server send the rest of the body.
                    self._h2.acknowledge_received_data(event.flow_controlled_length, stream)
                    self._flush()
                yield bytes(event.data or b"")
            elif isinstance(event, h2.events.StreamEnded):
                self._ended = True
                return

    def finish(self) -> bool:
        return self._ended and not self._gone

    def _next_event(self) -> Any:
        while not self._events:
            if self._gone:
                raise Broken.worded("closed")
            self._pump()
        event = self._events.popleft()
        if isinstance(event, h2.events.StreamReset):
            raise Broken.worded("reset", code=_error_name(event.error_code))
        return event

    def _pump(self) -> None:
        data = self._recv(_READ_SIZE)
        if not data:
            self._gone = True
            return
        try:
            events = self._h2.receive_data(data)
        except h2.exceptions.DenialOfServiceError as exc:
            too_large = Violation.worded("headers-too-large", reason=exc)
            too_large.too_large = True
            raise too_large from exc
        except h2.exceptions.ProtocolError as exc:
            raise Violation(str(exc) or "the server broke the HTTP/2 protocol") from exc
        for event in events:
            if isinstance(event, h2.events.ConnectionTerminated):
                self._gone = True
                last = event.last_stream_id
                if self._stream is not None and last is not None and last >= self._stream:
                    self._heard = True  # the server took the stream; it will not be resent
            elif self._stream is not None and getattr(event, "stream_id", None) == self._stream:
                self._heard = True
                self._events.append(event)
        self._flush()

    def _flush(self) -> None:
        data = self._h2.data_to_send()
        if data:
            self._sendall(data)


def _error_name(code: Any) -> str:
    return str(getattr(code, "name", code))
