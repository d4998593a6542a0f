"""pytest fixtures for real nginx/Apache instances; meant to be imported by tests/conftest.py.

* ``pki`` (session): the :class:`~tests.servers.pki.PKI` with the session CA.
* ``server_workdir`` (session): a 0755 directory under ``$TMPDIR`` holding every instance's
  prefix; removed at the end of the session unless ``HTTPDOCTOR_KEEP_SERVER_FILES=1``.
* ``nginx_server`` / ``apache_server`` (function): factories. Call them with the same
  arguments as :class:`NginxServer` / :class:`ApacheServer` (minus ``pki`` and
  ``workdir``, which they fill in); each call returns a *started* server. At teardown every
  server the factory made is stopped (also after a failed assertion) and the test fails if
  any process of those instances is still alive.

Tests needing these skip (with the reason) when the server binary is not installed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import pytest

from tests.servers.apache import APACHE_BINARY, ApacheServer
from tests.servers.loopback import FileContent, LoopbackServer, leftover_processes
from tests.servers.nginx import NGINX_BINARY, NginxServer
from tests.servers.pki import PKI, CertFiles

__all__ = [
    "ApacheFactory",
    "NginxFactory",
    "apache_server",
    "nginx_server",
    "pki",
    "server_workdir",
]

KEEP_FILES_VARIABLE = "HTTPDOCTOR_KEEP_SERVER_FILES"

_S = TypeVar("_S", bound=LoopbackServer)


class _Factory:
    def __init__(self, pki: PKI, workdir: Path) -> None:
        self.pki = pki
        self.workdir = workdir
        self.servers: list[LoopbackServer] = []

    def _launch(self, server: _S) -> _S:
        self.servers.append(server)
        return server.start()

    def stop_all(self) -> None:
        """Stop every server (newest first); then fail if any of their processes lives."""
        errors: list[BaseException] = []
        for server in reversed(self.servers):
            try:
                server.stop()
            except BaseException as error:  # keep stopping the others
                errors.append(error)
        alive = [
            line
            for server in self.servers
            if server.made_prefix is not None
            for line in leftover_processes(server.made_prefix)
        ]
        if errors:
            raise errors[0]
        if alive:
            pytest.fail("server processes survived teardown:\n" + "\n".join(alive))


class NginxFactory(_Factory):
    def __call__(
        self,
        servers: str | Sequence[str],
        *,
        http_extra: str = "",
        main_extra: str = "",
        log_level: str = "notice",
        certs: Mapping[str, CertFiles] | None = None,
        files: Mapping[str, FileContent] | None = None,
        ports: Sequence[int] | None = None,
        ready_timeout: float = 5.0,
    ) -> NginxServer:
        return self._launch(
            NginxServer(
                servers,
                http_extra=http_extra,
                main_extra=main_extra,
                log_level=log_level,
                pki=self.pki,
                certs=certs,
                files=files,
                ports=ports,
                workdir=self.workdir,
                ready_timeout=ready_timeout,
            )
        )


class ApacheFactory(_Factory):
    def __call__(
        self,
        vhosts: str | Sequence[str],
        *,
        global_extra: str = "",
        extra_modules: Sequence[str] = (),
        log_level: str = "warn rewrite:trace3",
        single_process: bool = True,
        certs: Mapping[str, CertFiles] | None = None,
        files: Mapping[str, FileContent] | None = None,
        ports: Sequence[int] | None = None,
        ready_timeout: float = 5.0,
    ) -> ApacheServer:
        return self._launch(
            ApacheServer(
                vhosts,
                global_extra=global_extra,
                extra_modules=extra_modules,
                log_level=log_level,
                single_process=single_process,
                pki=self.pki,
                certs=certs,
                files=files,
                ports=ports,
                workdir=self.workdir,
                ready_timeout=ready_timeout,
            )
        )


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> PKI:
    return PKI(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def server_workdir() -> Iterator[Path]:
    # Not under pytest's tmp_path: its parents are 0700, and Apache's www-data children
    # must traverse the path to the document root.
    workdir = Path(tempfile.mkdtemp(prefix="httpdoctor-servers-"))
    workdir.chmod(0o755)
    yield workdir
    if os.environ.get(KEEP_FILES_VARIABLE, "") in ("", "0"):
        shutil.rmtree(workdir, ignore_errors=True)


def _require(binary: str) -> None:
    if not Path(binary).is_file():
        # A missing server is a broken test machine, not a reason to pass quietly.
        pytest.fail(f"{binary} is not installed: run `make test` (it installs nginx and apache2)")


@pytest.fixture
def nginx_server(pki: PKI, server_workdir: Path) -> Iterator[NginxFactory]:
    _require(NGINX_BINARY)
    factory = NginxFactory(pki, server_workdir)
    try:
        yield factory
    finally:
        factory.stop_all()


@pytest.fixture
def apache_server(pki: PKI, server_workdir: Path) -> Iterator[ApacheFactory]:
    _require(APACHE_BINARY)
    factory = ApacheFactory(pki, server_workdir)
    try:
        yield factory
    finally:
        factory.stop_all()
