"""The lab's embedded web servers: asyncio and h11, TLS from a throw-away trustme CA.

One event loop in a background thread serves every host of a scenario on its loopback
address, at 80/443 when allowed (root) and at high ports otherwise. Nothing listens
outside 127.0.0.0/8.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import ssl
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import h11

from httpdoctor.lab.model import Reply

__all__ = ["Listener", "ServerGroup"]

_NOT_FOUND = Reply(status=404, headers=(("Content-Type", "text/plain"),), body=b"not found\n")
_LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
_MAX_REQUEST = 64 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class Listener:
    """What one socket serves: hosts by name, over TLS or not."""

    address: str
    port: int
    tls: ssl.SSLContext | None
    hosts: dict[str, tuple[tuple[str, Reply], ...]]


def _pick(routes: tuple[tuple[str, Reply], ...], path: str) -> Reply:
    table = dict(routes)
    return table.get(path.split("?", 1)[0]) or table.get("*") or _NOT_FOUND


async def _serve(
    listener: Listener, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=_MAX_REQUEST)
    try:
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                data = await asyncio.wait_for(reader.read(65536), timeout=10)
                conn.receive_data(data)
                continue
            if isinstance(event, h11.Request):
                host = dict(event.headers).get(b"host", b"").decode("latin-1").split(":")[0]
                routes = listener.hosts.get(host.lower())
                if routes is None:
                    routes = next(iter(listener.hosts.values()))  # the default server
                reply = _pick(routes, event.target.decode("latin-1"))
                # Drain the body before answering, as servers do.
                while True:
                    part = conn.next_event()
                    if isinstance(part, h11.EndOfMessage):
                        break
                    if part is h11.NEED_DATA:
                        data = await asyncio.wait_for(reader.read(65536), timeout=10)
                        conn.receive_data(data)
                    elif not isinstance(part, h11.Data):
                        return
                headers = [*reply.headers, ("Content-Length", str(len(reply.body)))]
                writer.write(
                    conn.send(h11.Response(status_code=reply.status, headers=headers)) or b""
                )
                writer.write(conn.send(h11.Data(data=reply.body)) or b"")
                writer.write(conn.send(h11.EndOfMessage()) or b"")
                await writer.drain()
                if conn.our_state is h11.MUST_CLOSE:
                    return
                conn.start_next_cycle()
                continue
            return  # ConnectionClosed or PAUSED: we are done with this peer
    except (h11.RemoteProtocolError, h11.LocalProtocolError, ConnectionError, TimeoutError):
        return
    except ssl.SSLError:
        return
    finally:
        writer.close()
        # Let the transport finish closing (TLS needs a few loop turns), so that no
        # socket outlives the lab; a peer that is already gone is fine.
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(writer.wait_closed(), timeout=1)


class ServerGroup:
    """Starts every listener in one background event loop; ``stop`` ends them all."""

    def __init__(self, listeners: Iterable[Listener]) -> None:
        self.listeners = tuple(listeners)
        for listener in self.listeners:
            if ipaddress.ip_address(listener.address) not in _LOOPBACK:
                raise ValueError(f"the lab listens on loopback only, not {listener.address}")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="lab")
        self._servers: list[asyncio.Server] = []
        # Open connections (browsers keep them alive), closed on stop so that no socket
        # or task outlives the lab.
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    def start(self) -> None:
        self._thread.start()
        for listener in self.listeners:

            async def handler(
                r: asyncio.StreamReader, w: asyncio.StreamWriter, spec: Listener = listener
            ) -> None:
                await _serve(spec, r, w)

            opened = asyncio.run_coroutine_threadsafe(
                asyncio.start_server(handler, listener.address, listener.port, ssl=listener.tls),
                self._loop,
            )
            self._servers.append(opened.result(timeout=5))

    def stop(self) -> None:
        async def close() -> None:
            for server in self._servers:
                server.close()
            for writer in list(self._writers):
                writer.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            for server in self._servers:
                await server.wait_closed()
            await asyncio.sleep(0.01)  # a last turn for transports closed just now

        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=5)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        self._loop.close()

    def __enter__(self) -> ServerGroup:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
