"""The recorder's private directory, and why nothing the recorder starts outlives it.

The browser runs with ``HOME``, the XDG directories and ``TMPDIR`` inside that directory,
and the driver with ``TMPDIR`` there too, so the browser profile and everything else they
write go when it is deleted. When the recorder closes, whatever still runs with its
private ``HOME`` (the browser and its helpers) is found by that ``HOME`` and killed.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = ["browser_environment", "driver_tmpdir", "home_processes", "reap"]


def browser_environment(home: Path, tmpdir: Path) -> dict[str, str | float | bool]:
    """This process's environment without ``CHROMIUM_FLAGS``, with ``HOME`` and the XDG
    directories in ``home`` and ``TMPDIR`` set to ``tmpdir``."""
    env: dict[str, str | float | bool] = {
        k: v for k, v in os.environ.items() if k != "CHROMIUM_FLAGS"
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        TMPDIR=str(tmpdir),
    )
    return env


@contextmanager
def driver_tmpdir(path: Path) -> Iterator[None]:
    """Start Playwright's driver with TMPDIR inside the recorder's directory, so that the
    browser profile it creates (``--user-data-dir``) is deleted with that directory."""
    old = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(path)
    try:
        yield
    finally:
        if old is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = old


def home_processes(home: Path) -> list[int]:
    """PIDs of processes whose environment has this HOME: the browser and its children."""
    marker = b"HOME=" + os.fsencode(home)
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def reap(home: Path) -> list[int]:
    """Kill (by PID) whatever this recorder's browser left behind; return the PIDs."""
    deadline = time.monotonic() + 5
    pids = home_processes(home)
    while pids and time.monotonic() < deadline:
        time.sleep(0.1)  # Chromium's helpers exit on their own shortly after close
        pids = home_processes(home)
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return pids
