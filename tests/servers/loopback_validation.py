"""Validation before start: the server's own syntax check (``nginx -t``, ``apache2 -t``).

:func:`run_syntax_check` runs it; :func:`config_rejected` is the error for a config it
refused, with the check's output, the error log where it adds to that, and the config with
line numbers.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from tests.servers.loopback_errors import ConfigRejected

__all__ = ["config_rejected", "run_syntax_check"]


def run_syntax_check(command: list[str]) -> subprocess.CompletedProcess[bytes]:
    """Run ``command``; exit status 0 means the config is accepted."""
    return subprocess.run(
        command,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )


def config_rejected(
    product: str,
    command: list[str],
    result: subprocess.CompletedProcess[bytes],
    *,
    error_log: str,
    config_path: Path,
    config_text: str,
) -> ConfigRejected:
    """The error for a config that ``command`` (run as ``result``) refused."""
    output = (result.stdout + result.stderr).decode("utf-8", "replace").strip()
    log = error_log.strip()
    if log and log not in output:
        output = f"{output}\n{log}" if output else log
    return ConfigRejected(
        f"{product} rejected the configuration "
        f"({shlex.join(command)}):\n{output}\n"
        f"--- {config_path} ---\n{_numbered(config_text)}",
        output=output,
        config_text=config_text,
    )


def _numbered(text: str) -> str:
    return "\n".join(f"{number:4d}  {line}" for number, line in enumerate(text.splitlines(), 1))
