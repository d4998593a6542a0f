"""Readiness: when a freshly started server really listens on its loopback address.

:func:`wait_until_listening` polls TCP connects until every port accepts, and with
``owner_pid`` also checks (``/proc``) that the listening sockets belong to that process.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import time
from collections.abc import Callable, Iterable

from tests.servers.loopback_addresses import check_loopback

__all__ = ["READY_STEP", "READY_TIMEOUT", "Exited", "wait_until_listening"]

READY_STEP = 0.002
READY_TIMEOUT = 5.0


def _accepts(address: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((address, port)) == 0


class Exited(Exception):
    """The server process exited while :func:`wait_until_listening` was waiting."""


def wait_until_listening(
    address: str,
    ports: Iterable[int],
    *,
    exited: Callable[[], bool],
    owner_pid: int | None = None,
    timeout: float = READY_TIMEOUT,
    step: float = READY_STEP,
) -> float:
    """Poll TCP connects every ``step`` s until every port accepts; return seconds waited.

    With ``owner_pid``, a port only counts once the listening socket is also one of that
    process's file descriptors (``/proc``), so a stranger listening there is not mistaken
    for our server. Raises :class:`Exited` as soon as ``exited()`` is true and
    :class:`TimeoutError` after ``timeout`` s.
    """
    check_loopback(address)
    started = time.monotonic()
    deadline = started + timeout
    pending = set(ports)
    while True:
        pending = {port for port in pending if not _accepts(address, port)}
        if not pending and (owner_pid is None or _owns_listeners(owner_pid, address, ports)):
            return time.monotonic() - started
        if exited():
            raise Exited
        if time.monotonic() > deadline:
            what = f"ports {sorted(pending)} not listening" if pending else "listeners not its own"
            raise TimeoutError(f"{address}: {what} after {timeout}s")
        time.sleep(step)


def _owns_listeners(pid: int, address: str, ports: Iterable[int]) -> bool:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
        owned = set()
        for fd in fds:
            with contextlib.suppress(FileNotFoundError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    owned.add(target[8:-1])
    except PermissionError:  # no CAP_SYS_PTRACE over a process that changed uid
        return True
    except FileNotFoundError:
        return False
    listeners = _listening_inodes()
    return all(listeners.get((address, port)) in owned for port in ports)


def _listening_inodes() -> dict[tuple[str, int], str]:
    """(address, port) -> socket inode of every IPv4 TCP socket in LISTEN state."""
    result = {}
    with open("/proc/net/tcp", encoding="ascii") as table:
        next(table)
        for row in table:
            fields = row.split()
            if fields[3] != "0A":  # TCP_LISTEN
                continue
            hex_address, hex_port = fields[1].split(":")
            address = socket.inet_ntoa(int(hex_address, 16).to_bytes(4, sys.byteorder))
            result[(address, int(hex_port, 16))] = fields[9]
    return result
