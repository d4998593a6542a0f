"""Trust a test CA in Chromium: an NSS database in the recorder's temporary ``$HOME``.

Chromium on Linux reads its trust store from ``$HOME/.pki/nssdb``; the database is made
with ``certutil`` from Debian's ``libnss3-tools``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.browsers.chromium_errors import RecorderError

__all__ = ["trust_ca"]


def trust_ca(ca_pem: Path, nssdb: Path) -> None:
    """Create the NSS database ``nssdb`` and add ``ca_pem`` to it as a trusted TLS CA."""
    certutil = shutil.which("certutil")
    if certutil is None:
        raise RecorderError("certutil is missing: apt-get install -y libnss3-tools")
    for command in (
        [certutil, "-N", "-d", f"sql:{nssdb}", "--empty-password"],
        [
            certutil,
            "-A",
            "-d",
            f"sql:{nssdb}",
            "-n",
            "httpdoctor CA",
            "-t",
            "C,,",
            "-i",
            str(ca_pem),
        ],
    ):
        subprocess.run(command, check=True, capture_output=True, timeout=30)
