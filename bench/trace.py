"""Wall time of ``httpdoctor trace`` on a 3-hop loopback chain against ``curl -sSL``.

Both run as fresh processes against the same local server in the same run, alternating,
so machine load hits both alike; medians are compared. The target in the trace issue is
at most 1.5x curl, process start included. A bare ``python -c pass`` runs alongside: it
is the floor any command written in Python starts from, so its own ratio to curl shows
how much of the target is left for the trace itself.

    python bench/trace.py [--runs N]
"""

from __future__ import annotations

import argparse
import compileall
import http.server
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from pathlib import Path

TARGET_RATIO = 1.5


class _Chain(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a production server would
    disable_nagle_algorithm = True  # small writes would otherwise wait on delayed ACKs

    def do_GET(self) -> None:
        step = self.path.strip("/")
        if step in ("1", "2"):
            self.send_response(302)
            self.send_header("Location", f"/{int(step) + 1}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"done\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _time(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    # Byte-compile as pip does at install time; under PYTHONDONTWRITEBYTECODE=1 nothing
    # would be cached and every run would recompile every module it imports.
    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "src"), quiet=1)
    compileall.compile_dir(sysconfig.get_paths()["purelib"], quiet=1)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Chain)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/1"
    env = {**os.environ, "HTTPDOCTOR_CACHE_DIR": tempfile.mkdtemp(), "LANG": "C.UTF-8"}
    script = str(Path(sys.executable).parent / "httpdoctor")
    ours = [script, "trace", url, "--as", "curl", "--json"]
    curl = ["curl", "-sSL", "-o", "/dev/null", url]
    chrome = [script, "trace", url, "--json"]
    bare = [sys.executable, "-c", "pass"]
    for _ in range(3):
        _time(ours, env)
        _time(curl, env)

    times: dict[str, list[float]] = {"curl": [], "ours": [], "chrome": [], "bare": []}
    for _ in range(options.runs):
        times["curl"].append(_time(curl, env))
        times["ours"].append(_time(ours, env))
        times["chrome"].append(_time(chrome, env))
        times["bare"].append(_time(bare, env))
    server.shutdown()

    medians = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print(f"runs:                                 {options.runs} each, interleaved")
    print(f"curl -sSL (baseline):                 {medians['curl']:7.1f} ms median")
    print(f"httpdoctor trace --as curl:           {medians['ours']:7.1f} ms median")
    print(f"httpdoctor trace (chrome, 3 hops):    {medians['chrome']:7.1f} ms median")
    print(f"python -c pass (interpreter floor):   {medians['bare']:7.1f} ms median")
    ratio = medians["ours"] / medians["curl"]
    print(f"ratio (--as curl / curl):             {ratio:7.2f}x  (target <= {TARGET_RATIO}x)")
    floor = medians["bare"] / medians["curl"]
    print(f"floor (python -c pass / curl):        {floor:7.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
