"""Parse and evaluate a generated 5,000-line nginx config against ``nginx -t`` on it.

Both read the same files in the same run; medians of repeated runs are compared. The
target in the `why` issue is at most 2x ``nginx -t``.

    python bench/nginx_why.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from httpdoctor.servers.common.loader import load_nginx
from httpdoctor.servers.nginx.evaluate import evaluate
from httpdoctor.servers.nginx.evaluation import NginxRequest

TARGET_RATIO = 2.0
SERVERS = 200


def _config(prefix: Path) -> Path:
    blocks = []
    for n in range(SERVERS):
        locations = "\n".join(
            f"        location /section{k}/ {{ rewrite ^/section{k}/(.*)$ /s{k}/$1 permanent; }}"
            for k in range(11)
        )
        blocks.append(
            f"""    server {{
        listen 127.0.0.1:{8000 + n % 50};
        server_name site{n}.test www.site{n}.test *.site{n}.test;
        if ($host = www.site{n}.test) {{
            return 301 http://site{n}.test$request_uri;
        }}
        location = /health {{ return 200 "ok"; }}
        location ^~ /static/ {{ return 404; }}
{locations}
        location ~* \\.(png|jpg)$ {{ return 403; }}
        location / {{
            add_header X-Site site{n} always;
            return 302 /section1/;
        }}
    }}"""
        )
    text = (
        f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    client_body_temp_path {prefix}/body;\n"
        + "\n".join(blocks)
        + "\n}\n"
    )
    path = prefix / "nginx.conf"
    path.write_text(text)
    return path


def _median(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    prefix = Path(tempfile.mkdtemp(prefix="httpdoctor-bench-nginx-"))
    path = _config(prefix)
    lines = len(path.read_text().splitlines())
    request = NginxRequest(
        host="www.site150.test",
        path_and_query="/section3/a",
        local_address="127.0.0.1",
        local_port=8000,
    )

    def ours() -> None:
        config = load_nginx(str(path))
        evaluate(config, request)

    def nginx_t() -> None:
        subprocess.run(
            ["/usr/sbin/nginx", "-t", "-q", "-p", str(prefix), "-c", str(path)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ},
        )

    script = str(Path(sys.executable).parent / "httpdoctor")
    command = [script, "why", "--nginx", str(path), "http://www.site150.test/section3/a"]
    command += ["--addr", "127.0.0.1:8000", "--json"]

    def cli() -> None:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    ours()
    nginx_t()
    mine, theirs = _median(ours, options.runs), _median(nginx_t, options.runs)
    whole = _median(cli, options.runs)
    print(f"config:                         {lines} lines, {SERVERS} servers")
    print(f"nginx -t (baseline):            {theirs:7.1f} ms median")
    print(f"httpdoctor load + evaluate:     {mine:7.1f} ms median (in-process)")
    print(f"httpdoctor why (whole command): {whole:7.1f} ms median (process start included)")
    print(f"ratio, in-process:              {mine / theirs:7.2f}x  (target <= {TARGET_RATIO:.0f}x)")
    print(f"ratio, whole command:           {whole / theirs:7.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
