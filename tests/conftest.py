"""Shared fixtures: the in-process CLI runner and an isolated data cache."""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from httpdoctor.cli.env import Environment
from httpdoctor.cli.main import run

pytest_plugins = ["tests.servers.conftest_fixtures"]

# The data cache must never touch the developer's home, and every test session starts
# cold so that a stale cache cannot hide a broken data file.
_CACHE = tempfile.mkdtemp(prefix="httpdoctor-test-cache-")
os.environ["HTTPDOCTOR_CACHE_DIR"] = _CACHE
# Likewise an installed preload list: tests that need one install it here.
os.environ["HTTPDOCTOR_PRELOAD_LIST"] = os.path.join(_CACHE, "preload.json")


@dataclass(frozen=True, slots=True, kw_only=True)
class CliResult:
    stdout: str
    stderr: str
    exit_code: int

    @property
    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(
    *args: str,
    environ: Mapping[str, str] | None = None,
    tty: bool = False,
    width: int = 100,
) -> CliResult:
    """Run httpdoctor in-process, as httpie's test helper ``http()`` does."""
    out, err = io.StringIO(), io.StringIO()
    env = Environment(
        stdout=out,
        stderr=err,
        environ={"LANG": "C.UTF-8"} if environ is None else dict(environ),
        stdout_isatty=tty,
        width=width,
    )
    code = run(list(args), env)
    return CliResult(stdout=out.getvalue(), stderr=err.getvalue(), exit_code=code)


@pytest.fixture
def cli() -> Iterator[Any]:
    yield run_cli
