"""httpcore's network layer with three additions a tracer needs.

* ``--resolve``: the host name is mapped to an address here, so SNI, certificate checks
  and the Host header still use the name, as with curl.
* DNS timing: we resolve ourselves, so the lookup can be timed.
* An overall deadline: every read and write gets at most the time left, so a server that
  trickles one byte a second cannot stretch a trace past ``--timeout``.
"""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpcore

from httpdoctor.fetch.resolve import ResolveRule, match_rule

__all__ = ["DnsFailure", "PhaseClock", "TracingBackend"]


class DnsFailure(OSError):
    """The name did not resolve; raised inside httpcore, recognised by the fetcher."""


class PhaseClock:
    """Per-request timing and peer facts, filled in by the backend and trace events."""

    def __init__(self) -> None:
        self.dns_ms: float | None = None
        self.peer: str | None = None


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def _left(self, timeout: float | None, kind: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise kind("the overall --timeout ran out")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = self._left(timeout, httpcore.ConnectTimeout)
        inner = self._inner.start_tls(ssl_context, server_hostname, left)
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class TracingBackend(httpcore.NetworkBackend):
    def __init__(self, rules: Iterable[ResolveRule], deadline: float) -> None:
        self._rules = tuple(rules)
        self._deadline = deadline
        self._inner = httpcore.SyncBackend()
        self.clock = PhaseClock()

    def _address(self, host: str, port: int) -> tuple[str, int]:
        rule = match_rule(self._rules, host, port)
        if rule is not None:
            self.clock.dns_ms = None
            return rule.address, rule.target_port or port
        started = time.monotonic()
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise DnsFailure(f"cannot resolve {host}: {exc.strerror}") from exc
        except UnicodeError as exc:  # the IDNA codec refuses the name
            raise DnsFailure(f"cannot resolve {host}: not a valid host name") from exc
        finally:
            self.clock.dns_ms = (time.monotonic() - started) * 1000
        return str(infos[0][4][0]), port

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ConnectTimeout("the overall --timeout ran out")
        address, port = self._address(host, port)
        self.clock.peer = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        stream = self._inner.connect_tcp(
            address,
            port,
            timeout=left if timeout is None else min(timeout, left),
            local_address=local_address,
            socket_options=socket_options,
        )
        return _DeadlineStream(stream, self._deadline)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)
