"""Unique loopback addresses for private server instances.

:func:`allocate_address` leases a unique ``127.0.0.N`` (N = 10, 11, ... 254). An address is
skipped when this process already holds it, when another process holds its lock file
(``$TMPDIR/httpdoctor-loopback/127.0.0.N.lock``, ``flock``; so pytest-xdist workers and
parallel sessions never collide) or when one of the wanted ports cannot be bound on it.
Nothing outside 127.0.0.0/8 is ever bound (:func:`check_loopback`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import ipaddress
import os
import socket
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Self

from tests.servers.loopback_errors import NoFreeAddress, ServerError

__all__ = [
    "FIRST_HOST",
    "LAST_HOST",
    "LOCK_DIR",
    "LOOPBACK_NETWORK",
    "AddressLease",
    "allocate_address",
    "check_loopback",
    "held_addresses",
]

LOOPBACK_NETWORK = ipaddress.IPv4Network("127.0.0.0/8")
FIRST_HOST = 10
LAST_HOST = 254
LOCK_DIR = Path(tempfile.gettempdir()) / "httpdoctor-loopback"

_held: set[str] = set()
_held_lock = threading.Lock()


class AddressLease:
    """An address reserved for one server instance until :meth:`release`."""

    def __init__(self, address: str, lock_fd: int) -> None:
        self.address = address
        self._lock_fd: int | None = lock_fd

    def release(self) -> None:
        with _held_lock:
            if self._lock_fd is None:
                return
            os.close(self._lock_fd)  # drops the flock
            self._lock_fd = None
            _held.discard(self.address)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def __repr__(self) -> str:
        state = "held" if self._lock_fd is not None else "released"
        return f"AddressLease({self.address!r}, {state})"


def held_addresses() -> frozenset[str]:
    """Addresses this process currently leases (empty once every server is stopped)."""
    with _held_lock:
        return frozenset(_held)


def allocate_address(ports: Iterable[int] = (80, 443)) -> AddressLease:
    """Lease the first free 127.0.0.N (N >= 10) on which every port in ``ports`` binds."""
    wanted = sorted(set(ports))
    with _held_lock:
        for host in range(FIRST_HOST, LAST_HOST + 1):
            address = f"127.0.0.{host}"
            if address in _held:
                continue
            lock_fd = _try_lock(address)
            if lock_fd is None:
                continue
            if all(_port_bindable(address, port) for port in wanted):
                _held.add(address)
                return AddressLease(address, lock_fd)
            os.close(lock_fd)
    raise NoFreeAddress(
        f"no free address in 127.0.0.{FIRST_HOST}-{LAST_HOST} for ports {wanted} "
        "(is something listening on 0.0.0.0 on one of these ports?)"
    )


def check_loopback(address: str) -> None:
    if ipaddress.IPv4Address(address) not in LOOPBACK_NETWORK:
        raise ServerError(f"refusing to use {address}: not in {LOOPBACK_NETWORK}")


def _try_lock(address: str) -> int | None:
    if not LOCK_DIR.is_dir():
        with contextlib.suppress(FileExistsError):
            LOCK_DIR.mkdir()
            LOCK_DIR.chmod(0o1777)  # shared like /tmp: any user's sessions take part
    path = LOCK_DIR / f"{address}.lock"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except PermissionError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _port_bindable(address: str, port: int) -> bool:
    """Whether nginx/Apache could bind ``address:port`` now (both set SO_REUSEADDR)."""
    check_loopback(address)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EADDRNOTAVAIL):
                return False
            if error.errno == errno.EACCES:
                raise ServerError(
                    f"binding {address}:{port} is not permitted; the real-server tests run "
                    "as root (ports 80/443)"
                ) from error
            raise
    return True
