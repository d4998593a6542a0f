"""Private server instances on loopback: the lifecycle that nginx and Apache share.

:class:`LoopbackServer` is the base of :mod:`tests.servers.nginx` and
:mod:`tests.servers.apache`: a private prefix directory, the ``{{...}}`` placeholder scheme
(:mod:`tests.servers.loopback_placeholders`), validation before start
(:mod:`tests.servers.loopback_validation`), a foreground process
in its own session (:mod:`tests.servers.loopback_process`), readiness polling
(:mod:`tests.servers.loopback_readiness`) and a stop that signals exactly the process group
it started. Each instance leases its own ``127.0.0.N`` first
(:mod:`tests.servers.loopback_addresses`).

The public names of those modules and of :mod:`tests.servers.loopback_errors` are
re-exported here.
"""

from __future__ import annotations

import abc
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import ClassVar, Self

from tests.servers.loopback_addresses import FIRST_HOST as FIRST_HOST
from tests.servers.loopback_addresses import LAST_HOST as LAST_HOST
from tests.servers.loopback_addresses import LOCK_DIR as LOCK_DIR
from tests.servers.loopback_addresses import (
    LOOPBACK_NETWORK,
    AddressLease,
    allocate_address,
    held_addresses,
)
from tests.servers.loopback_errors import (
    ConfigRejected,
    NoFreeAddress,
    PlaceholderError,
    ServerError,
    ServerStartError,
)
from tests.servers.loopback_placeholders import PLACEHOLDER_HELP as PLACEHOLDER_HELP
from tests.servers.loopback_placeholders import expand_placeholders, ports_in
from tests.servers.loopback_process import (
    STOP_TIMEOUT,
    has_exited,
    leftover_processes,
    spawn,
    terminate_group,
)
from tests.servers.loopback_readiness import (
    READY_STEP,
    READY_TIMEOUT,
    Exited,
    wait_until_listening,
)
from tests.servers.loopback_validation import config_rejected, run_syntax_check
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
        return (
            self._proc is not None and self._proc.returncode is None and not has_exited(self._proc)
        )

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
        return expand_placeholders(text, simple=self._simple_value, cert_files=self._cert_files)

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
            if terminate_group(proc, self.stop_grace):
                self.killed = True
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
        result = run_syntax_check(self._test_command())
        self.timings["validate"] = time.monotonic() - begun
        if result.returncode != 0:
            raise config_rejected(
                self.product,
                self._test_command(),
                result,
                error_log=self.error_log_text(),
                config_path=self.config_path,
                config_text=self.config_text,
            )

    def _spawn(self) -> None:
        self._proc = proc = spawn(self._run_command(), self.stderr_path)
        begun = time.monotonic()
        try:
            wait_until_listening(
                self.address,
                self.ports,
                exited=lambda: has_exited(proc),
                owner_pid=proc.pid,
                timeout=self._ready_timeout,
            )
        except (Exited, TimeoutError) as failure:
            exited = isinstance(failure, Exited)
            self.stop()
            log = "\n".join(
                text for text in (self.stderr_text().strip(), self.error_log_text().strip()) if text
            )
            code = proc.returncode
            what = f"exited with status {code}" if exited else f"did not listen ({failure})"
            raise ServerStartError(
                f"{self.product} on {self.address} {what}; logs:\n{log or '(empty)'}",
                returncode=code,
                error_log=log,
            ) from None
        self.timings["ready"] = time.monotonic() - begun


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
