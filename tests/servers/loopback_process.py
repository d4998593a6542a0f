"""The process of a loopback server instance and its process group.

The server runs in the foreground in a session of its own (``start_new_session``), so its
PID is also the id of the group that its workers share. The harness watches the leader
without reaping it and signals the group only while the leader is not yet reaped, so the
group id cannot have been reused by an unrelated process. :func:`leftover_processes` finds
whatever outlived an instance anyway.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

__all__ = [
    "STOP_TIMEOUT",
    "has_exited",
    "leftover_processes",
    "signal_group",
    "spawn",
    "terminate_group",
    "wait_exited",
]

STOP_TIMEOUT = 5.0


def spawn(command: list[str], output: Path) -> subprocess.Popen[bytes]:
    """Start ``command`` in a new session, stdin from /dev/null, stdout and stderr to ``output``."""
    with output.open("wb") as sink:
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )


def terminate_group(proc: subprocess.Popen[bytes], grace: float) -> bool:
    """SIGTERM to the group, SIGKILL if the leader is still alive after ``grace`` seconds
    (then True), SIGKILL again for any worker that outlived the leader, and reap it."""
    killed = False
    signal_group(proc, signal.SIGTERM)
    if not wait_exited(proc, grace):
        killed = True
        signal_group(proc, signal.SIGKILL)
        wait_exited(proc, STOP_TIMEOUT)
    # The leader is a zombie now; clear out any worker that outlived it.
    signal_group(proc, signal.SIGKILL)
    proc.wait()
    return killed


def has_exited(proc: subprocess.Popen[bytes] | None) -> bool:
    """Whether the leader has exited, without reaping it (so its PID stays ours)."""
    if proc is None or proc.returncode is not None:
        return True
    try:
        info = os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None


def wait_exited(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Whether the leader exited within ``timeout`` seconds (it is not reaped)."""
    deadline = time.monotonic() + timeout
    while not has_exited(proc):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.0005)
    return True


def signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Send ``sig`` to the group of ``proc``, unless the leader is already reaped."""
    if proc.returncode is not None:
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
