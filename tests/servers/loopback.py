"""Private server instances on loopback.

Two layers, both shared by :mod:`tests.servers.nginx` and :mod:`tests.servers.apache`:

* :func:`allocate_address` leases a unique ``127.0.0.N`` (N = 10, 11, ... 254). An address is
  skipped when this process already holds it, when another process holds its lock file
  (``$TMPDIR/httpdoctor-loopback/127.0.0.N.lock``, ``flock``; so pytest-xdist workers and
  parallel sessions never collide) or when one of the wanted ports cannot be bound on it.
  Nothing outside 127.0.0.0/8 is ever bound.
* :class:`LoopbackServer` is the lifecycle both servers share: a private prefix directory,
  the ``{{...}}`` placeholder scheme, validation before start, a foreground process in its
  own session, readiness polling and a stop that signals exactly the process group it
  started.

Placeholders (in server/VirtualHost text, extra config text and ``files`` given as ``str``):

=========================  ============================================================
``{{addr}}``               the instance's address, e.g. ``127.0.0.10``
``{{cert:NAME}}``          path of the PEM chain for NAME: ``certs[NAME]`` if the caller
                           passed it, else ``pki.issue(*NAME.split(","))`` — so
                           ``{{cert:site.test,www.site.test}}`` is one cert for both names
``{{key:NAME}}``           the matching private key path (same lookup as ``cert``)
``{{ca}}``                 the session CA's PEM path
``{{root}}``               the document root (``PREFIX/htdocs``; ``files`` are written there)
``{{prefix}}``             the instance's private directory
=========================  ============================================================

Anything else between ``{{`` and ``}}`` raises :class:`PlaceholderError`; nginx and Apache
syntax never contains ``{{``, so no escaping is needed.
"""

from __future__ import annotations

import abc
import contextlib
import errno
import fcntl
import ipaddress
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import ClassVar, Self

from tests.servers.pki import PKI, CertFiles

__all__ = [
    "LOOPBACK_NETWORK",
    "AddressLease",
    "ConfigRejected",
    "LoopbackServer",
    "NoFreeAddress",
    "PlaceholderError",
    "ServerError",
    "ServerStartError",
    "allocate_address",
    "held_addresses",
    "leftover_processes",
    "wait_until_listening",
]

LOOPBACK_NETWORK = ipaddress.IPv4Network("127.0.0.0/8")
FIRST_HOST = 10
LAST_HOST = 254
LOCK_DIR = Path(tempfile.gettempdir()) / "httpdoctor-loopback"

READY_STEP = 0.002
READY_TIMEOUT = 5.0
STOP_TIMEOUT = 5.0


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


# -- addresses --------------------------------------------------------------------------

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


def _check_loopback(address: str) -> None:
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
    _check_loopback(address)
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


def _accepts(address: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((address, port)) == 0


class _Exited(Exception):
    pass


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
    for our server. Raises :class:`_Exited` as soon as ``exited()`` is true and
    :class:`TimeoutError` after ``timeout`` s.
    """
    _check_loopback(address)
    started = time.monotonic()
    deadline = started + timeout
    pending = set(ports)
    while True:
        pending = {port for port in pending if not _accepts(address, port)}
        if not pending and (owner_pid is None or _owns_listeners(owner_pid, address, ports)):
            return time.monotonic() - started
        if exited():
            raise _Exited
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


# -- placeholders -----------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{\{([^{}]*)\}\}")
_SIMPLE_PLACEHOLDERS = ("addr", "ca", "root", "prefix")
_PORTS_IN_TEXT = re.compile(r"\{\{\s*addr\s*\}\}:(\d+)")

PLACEHOLDER_HELP = (
    "known placeholders: {{addr}}, {{cert:NAME}}, {{key:NAME}} (NAME a key of certs= or "
    "comma-separated host names issued from the session CA), {{ca}}, {{root}}, {{prefix}}"
)


def ports_in(texts: Iterable[str]) -> tuple[int, ...]:
    """Ports written as ``{{addr}}:PORT`` anywhere in ``texts``, sorted."""
    found = {int(match) for text in texts for match in _PORTS_IN_TEXT.findall(text)}
    return tuple(sorted(found))


# -- the shared lifecycle ---------------------------------------------------------------

FileContent = str | bytes


class LoopbackServer(abc.ABC):
    """A real server on its own loopback address; subclasses supply config and commands.

    Use as a context manager (``with NginxServer(...) as server:``) or call
    :meth:`start` / :meth:`stop`. A failed :meth:`start` stops whatever it started before
    raising. Without ``workdir`` the instance makes (and on ``__exit__`` removes) its own
    temporary directory; with ``workdir`` the prefix is created inside it and kept.
    """

    product: ClassVar[str]
    stop_grace: float = STOP_TIMEOUT
    """Seconds between SIGTERM and SIGKILL in :meth:`stop`."""

    def __init__(
        self,
        blocks: str | Sequence[str],
        *,
        pki: PKI | None = None,
        certs: Mapping[str, CertFiles] | None = None,
        files: Mapping[str, FileContent] | None = None,
        ports: Sequence[int] | None = None,
        workdir: Path | None = None,
        ready_timeout: float = READY_TIMEOUT,
    ) -> None:
        self.blocks: tuple[str, ...] = (blocks,) if isinstance(blocks, str) else tuple(blocks)
        self.pki = pki
        self.certs: dict[str, CertFiles] = dict(certs or {})
        self.files: dict[str, FileContent] = dict(files or {})
        self._ports = tuple(ports) if ports is not None else None
        self._workdir = workdir
        self._ready_timeout = ready_timeout
        self._lease: AddressLease | None = None
        self._prefix: Path | None = None
        self._owns_prefix = False
        self._proc: subprocess.Popen[bytes] | None = None
        self.config_text = ""
        self.killed = False
        """Whether :meth:`stop` had to escalate to SIGKILL."""
        self.timings: dict[str, float] = {}
        """Seconds: ``validate`` (syntax check), ``ready`` (spawn to all ports accepting),
        ``start`` (whole :meth:`start`), ``stop`` (signal to reaped)."""

    # -- public surface -----------------------------------------------------------------

    @property
    def address(self) -> str:
        if self._lease is None:
            raise ServerError(f"{self.product} server not started")
        return self._lease.address

    @property
    def prefix(self) -> Path:
        if self._prefix is None:
            raise ServerError(f"{self.product} server not started")
        return self._prefix

    @property
    def made_prefix(self) -> Path | None:
        """The prefix once :meth:`start` created it (also after a failed start), else None."""
        return self._prefix

    @property
    def root(self) -> Path:
        """The document root: ``files`` live here; ``{{root}}`` expands to it."""
        return self.prefix / "htdocs"

    @property
    def ports(self) -> tuple[int, ...]:
        """The ports polled for readiness (explicit ``ports=`` or ``{{addr}}:PORT`` uses)."""
        if self._ports is not None:
            return self._ports
        return ports_in((*self.blocks, *self._extra_texts())) or (80,)

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.returncode is None and not self._exited()

    @property
    def error_log_path(self) -> Path:
        return self.prefix / "logs" / "error.log"

    @property
    def access_log_path(self) -> Path:
        return self.prefix / "logs" / "access.log"

    @property
    def stderr_path(self) -> Path:
        return self.prefix / "logs" / "stderr.log"

    def error_log_text(self) -> str:
        return _read(self.error_log_path)

    def access_log_text(self) -> str:
        return _read(self.access_log_path)

    def stderr_text(self) -> str:
        return _read(self.stderr_path)

    def wait_for_access_log(self, text: str, timeout: float = 2.0) -> str:
        """The access log once it contains ``text``.

        Both servers write the access-log line only after the response has gone out, so
        a client that has just read its response must not expect the line yet.
        """
        deadline = time.monotonic() + timeout
        while True:
            log = self.access_log_text()
            if text in log:
                return log
            if time.monotonic() > deadline:
                raise ServerError(
                    f"{text!r} not in {self.access_log_path} after {timeout}s:\n{log}"
                )
            time.sleep(READY_STEP)

    def expand(self, text: str) -> str:
        """Fill the ``{{...}}`` placeholders of ``text`` for this (started) instance."""

        def replace(match: re.Match[str]) -> str:
            body = match.group(1).strip()
            name, colon, argument = body.partition(":")
            name, argument = name.strip(), argument.strip()
            if not colon and name in _SIMPLE_PLACEHOLDERS:
                return self._simple_value(name)
            if colon and name in ("cert", "key") and argument:
                cert = self._cert_files(argument)
                return str(cert.cert_path if name == "cert" else cert.key_path)
            raise PlaceholderError(f"unknown placeholder {match.group(0)!r}; {PLACEHOLDER_HELP}")

        expanded = _PLACEHOLDER.sub(replace, text)
        if "{{" in expanded:
            at = expanded.index("{{")
            raise PlaceholderError(
                f"malformed placeholder near {expanded[at : at + 40]!r}; {PLACEHOLDER_HELP}"
            )
        return expanded

    def start(self) -> Self:
        if self._lease is not None:
            raise ServerError(f"{self.product} server already started at {self.address}")
        begun = time.monotonic()
        self._lease = allocate_address(self.ports)
        try:
            self._make_prefix()
            self._write_files()
            self.config_text = self._render()
            self._check_config(self.config_text)
            self.config_path.parent.mkdir(parents=True, exist_ok=True)
            self.config_path.write_text(self.config_text, encoding="utf-8")
            self._validate()
            self._spawn()
            self.timings["start"] = time.monotonic() - begun
        except BaseException:
            self.stop()
            self.remove_files()  # only a prefix of our own; the error carries the logs
            raise
        return self

    def stop(self) -> None:
        """Stop the process this instance started and free the address: SIGTERM, then
        SIGKILL if it is still alive after :attr:`stop_grace` seconds (:attr:`killed`).

        Idempotent. Signals go to the process group created by ``start_new_session``;
        they are only sent while the leader is not yet reaped, so its PID (= the group
        id) cannot have been reused by an unrelated process.
        """
        proc = self._proc
        if proc is not None and proc.returncode is None:
            begun = time.monotonic()
            self._signal_group(signal.SIGTERM)
            if not self._wait_exited(self.stop_grace):
                self.killed = True
                self._signal_group(signal.SIGKILL)
                self._wait_exited(STOP_TIMEOUT)
            # The leader is a zombie now; clear out any worker that outlived it.
            self._signal_group(signal.SIGKILL)
            proc.wait()
            self.timings["stop"] = time.monotonic() - begun
        if self._lease is not None:
            self._lease.release()

    def remove_files(self) -> None:
        """Delete the prefix if this instance created its own temporary directory."""
        if self._owns_prefix and self._prefix is not None:
            shutil.rmtree(self._prefix, ignore_errors=True)
            self._owns_prefix = False

    def __enter__(self) -> Self:
        if self._lease is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
        self.remove_files()

    def __repr__(self) -> str:
        where = self._lease.address if self._lease is not None else "not started"
        return f"{type(self).__name__}({where}, pid={self.pid})"

    # -- subclass hooks -----------------------------------------------------------------

    @property
    @abc.abstractmethod
    def config_path(self) -> Path:
        """Where the rendered main config file goes."""

    @abc.abstractmethod
    def _render(self) -> str:
        """The whole main config file (placeholders already expanded)."""

    @abc.abstractmethod
    def _test_command(self) -> list[str]:
        """The syntax check; exit status 0 means accepted."""

    @abc.abstractmethod
    def _run_command(self) -> list[str]:
        """The foreground server command."""

    def _extra_texts(self) -> tuple[str, ...]:
        """Caller-supplied config text besides ``blocks`` (scanned for ports)."""
        return ()

    @abc.abstractmethod
    def _check_config(self, config_text: str) -> None:
        """Refuse configs that could bind outside the instance address."""

    @abc.abstractmethod
    def _prepare_prefix(self, prefix: Path) -> None:
        """Create product-specific directories in a fresh prefix."""

    # -- internals ----------------------------------------------------------------------

    def _simple_value(self, name: str) -> str:
        if name == "addr":
            return self.address
        if name == "prefix":
            return str(self.prefix)
        if name == "root":
            return str(self.root)
        if self.pki is None:
            raise PlaceholderError("{{ca}} needs pki= (the session PKI)")
        return str(self.pki.ca_pem_path)

    def _cert_files(self, reference: str) -> CertFiles:
        if reference in self.certs:
            return self.certs[reference]
        if self.pki is None:
            raise PlaceholderError(
                f"no certificate {reference!r}: pass certs={{{reference!r}: ...}} or pki="
            )
        cert = self.pki.issue(*reference.split(","))
        self.certs[reference] = cert
        return cert

    def _make_prefix(self) -> None:
        base = self._workdir
        if base is not None:
            base.mkdir(parents=True, exist_ok=True)
        prefix = Path(tempfile.mkdtemp(prefix=f"{self.product}-{self.address}-", dir=base))
        self._owns_prefix = base is None
        # Apache's children run as www-data: the prefix must be traversable.
        prefix.chmod(0o755)
        self._prefix = prefix
        for sub in ("conf", "logs", "htdocs"):
            (prefix / sub).mkdir()
        self._prepare_prefix(prefix)

    def _write_files(self) -> None:
        for relative, content in self.files.items():
            path = PurePosixPath(relative)
            if path.is_absolute() or ".." in path.parts or not path.parts:
                raise ServerError(f"files= keys are paths inside the document root: {relative!r}")
            target = self.root.joinpath(*path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(self.expand(content), encoding="utf-8")

    def _validate(self) -> None:
        begun = time.monotonic()
        result = subprocess.run(
            self._test_command(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
            check=False,
        )
        self.timings["validate"] = time.monotonic() - begun
        if result.returncode != 0:
            output = (result.stdout + result.stderr).decode("utf-8", "replace").strip()
            log = self.error_log_text().strip()
            if log and log not in output:
                output = f"{output}\n{log}" if output else log
            raise ConfigRejected(
                f"{self.product} rejected the configuration "
                f"({shlex.join(self._test_command())}):\n{output}\n"
                f"--- {self.config_path} ---\n{_numbered(self.config_text)}",
                output=output,
                config_text=self.config_text,
            )

    def _spawn(self) -> None:
        with self.stderr_path.open("wb") as sink:
            self._proc = subprocess.Popen(
                self._run_command(),
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                close_fds=True,
            )
        begun = time.monotonic()
        try:
            wait_until_listening(
                self.address,
                self.ports,
                exited=self._exited,
                owner_pid=self._proc.pid,
                timeout=self._ready_timeout,
            )
        except (_Exited, TimeoutError) as failure:
            exited = isinstance(failure, _Exited)
            self.stop()
            log = "\n".join(
                text for text in (self.stderr_text().strip(), self.error_log_text().strip()) if text
            )
            code = self._proc.returncode
            what = f"exited with status {code}" if exited else f"did not listen ({failure})"
            raise ServerStartError(
                f"{self.product} on {self.address} {what}; logs:\n{log or '(empty)'}",
                returncode=code,
                error_log=log,
            ) from None
        self.timings["ready"] = time.monotonic() - begun

    def _exited(self) -> bool:
        """Whether the leader has exited, without reaping it (so its PID stays ours)."""
        proc = self._proc
        if proc is None or proc.returncode is not None:
            return True
        try:
            info = os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return True
        return info is not None

    def _wait_exited(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self._exited():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.0005)
        return True

    def _signal_group(self, sig: signal.Signals) -> None:
        proc = self._proc
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)


def leftover_processes(directory: Path) -> list[str]:
    """``pid: cmdline`` of every live process whose command line mentions ``directory``."""
    marker = os.fsencode(str(directory))
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if marker in cmdline and state != "Z":
            command = cmdline.replace(b"\0", b" ").decode(errors="replace")
            found.append(f"{entry.name}: {command}")
    return found


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def _numbered(text: str) -> str:
    return "\n".join(f"{number:4d}  {line}" for number, line in enumerate(text.splitlines(), 1))
