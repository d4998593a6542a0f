"""Start-up time of ``httpdoctor explain 307`` against a bare interpreter, same run.

``explain`` is what people type most, so it must feel instant: the target is at most
4x ``python -c pass`` on the same machine. Runs alternate between the two commands so
that load on the machine hits both alike; medians are compared.

    python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 4.0


def _time(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True
    )
    return time.perf_counter() - started


def _httpdoctor() -> list[str]:
    script = Path(sys.executable).parent / "httpdoctor"
    if script.exists():
        return [str(script)]
    found = shutil.which("httpdoctor")
    if found is None:
        raise SystemExit("httpdoctor is not installed in this environment; run `make bench`")
    return [found]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()

    # Measure what an installed copy does: pip byte-compiles a wheel when it installs it,
    # while an editable checkout under PYTHONDONTWRITEBYTECODE=1 would recompile each run.
    # Byte-compile as pip does at install time; under PYTHONDONTWRITEBYTECODE=1 nothing
    # would be cached and every run would recompile every module it imports.
    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "src"), quiet=1)
    compileall.compile_dir(sysconfig.get_paths()["purelib"], quiet=1)
    cache = tempfile.mkdtemp(prefix="httpdoctor-bench-")
    env = {**os.environ, "HTTPDOCTOR_CACHE_DIR": cache, "LANG": "C.UTF-8"}
    baseline = [sys.executable, "-c", "pass"]
    explain = [*_httpdoctor(), "explain", "307"]
    cold = _time(explain, env)  # fills the parsed-data cache, as any first run does
    for _ in range(3):
        _time(baseline, env)
        _time(explain, env)

    bare: list[float] = []
    ours: list[float] = []
    for _ in range(options.runs):
        bare.append(_time(baseline, env))
        ours.append(_time(explain, env))
    shutil.rmtree(cache, ignore_errors=True)

    bare_ms = statistics.median(bare) * 1000
    ours_ms = statistics.median(ours) * 1000
    ratio = ours_ms / bare_ms
    print(f"runs:                      {options.runs} each, interleaved")
    print(f"python -c pass (baseline): {bare_ms:7.1f} ms median")
    print(f"httpdoctor explain 307:    {ours_ms:7.1f} ms median")
    print(f"  first run, cold cache:   {cold * 1000:7.1f} ms")
    print(f"ratio:                     {ratio:7.2f}x  (target <= {TARGET_RATIO:.0f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
