"""One nginx for request-header differentials: it logs chosen headers of every request it
receives, so Chromium's run and httpdoctor's can be compared as the server saw them.

The site serves the same routes on :80 and on :443 (HTTP/2, one certificate for every
host), writes ``METHOD URL|header|header…`` lines to its own log, and hands back the
rows a case produced (then empties the log for the next case).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from tests.browsers.chromium import ChromiumRecorder
from tests.conftest import run_cli
from tests.servers.nginx import NginxServer
from tests.servers.pki import PKI

__all__ = ["LoggedSite", "claimed", "logged_site"]

_LOG = "headers.log"
_WAIT = 3.0  # seconds for nginx to write the lines of a finished chain


class LoggedSite:
    """A running nginx whose log says what each request carried; see the module doc."""

    def __init__(self, server: NginxServer, pki: PKI, hosts: Sequence[str], fields: int) -> None:
        self.server = server
        self.pki = pki
        self.hosts = tuple(hosts)
        self._fields = fields

    def seen(self, count: int) -> list[tuple[str, ...]]:
        """The rows logged since the last call, once ``count`` are there (or after a
        moment: fewer rows are a finding too). Empties the log for the next case."""
        log = self.server.prefix / "logs" / _LOG
        deadline = time.monotonic() + _WAIT
        while True:
            lines = log.read_text().splitlines() if log.exists() else []
            if len(lines) >= count or time.monotonic() > deadline:
                log.write_text("")  # nginx appends, so the next case starts empty
                return [tuple(line.split("|"))[: self._fields + 1] for line in lines]
            time.sleep(0.05)

    def trace(self, url: str, *extra: str) -> list[dict[str, Any]]:
        """httpdoctor's hops for ``url``, every host resolved to this nginx."""
        result = run_cli(
            "trace", url, "--json", "--fresh-browser", "--cacert", str(self.pki.ca_pem_path),
            *(f"--resolve={host}:*:{self.server.address}" for host in self.hosts), *extra,
        )  # fmt: skip
        assert result.stderr == "", result.stderr
        hops: list[dict[str, Any]] = result.json["hops"]
        return hops

    @contextmanager
    def browser(self) -> Iterator[ChromiumRecorder]:
        hosts = dict.fromkeys(self.hosts, self.server.address)
        with ChromiumRecorder(hosts=hosts, ca_pem=self.pki.ca_pem_path) as recorder:
            yield recorder


def claimed(hops: list[dict[str, Any]], *names: str) -> list[tuple[str, ...]]:
    """What httpdoctor's JSON says each hop sent, in the log's shape ("-": not sent)."""

    def value(hop: dict[str, Any], name: str) -> str:
        return next((v for k, v in hop["request_headers"] if k.lower() == name), "-")

    return [(f"{h['method']} {h['url']}", *(value(h, n) for n in names)) for h in hops]


@contextmanager
def logged_site(
    pki: PKI, hosts: Sequence[str], routes: str, variables: Sequence[str]
) -> Iterator[LoggedSite]:
    """Start the site: ``routes`` go into both server blocks, ``variables`` (nginx's,
    e.g. ``$http_cookie``) are logged after the method and URL."""
    logged = "|".join(variables)
    log_format = f"log_format headers '$request_method $scheme://$host$request_uri|{logged}';"
    names, cert = " ".join(hosts), ",".join(hosts)
    body = f"access_log {{{{prefix}}}}/logs/{_LOG} headers;\n{routes}"
    config = f"""
server {{
    listen {{{{addr}}}}:80;
    server_name {names};
    {body}
}}
server {{
    listen {{{{addr}}}}:443 ssl http2;
    server_name {names};
    ssl_certificate {{{{cert:{cert}}}}};
    ssl_certificate_key {{{{key:{cert}}}}};
    {body}
}}
"""
    with NginxServer(config, pki=pki, http_extra=log_format) as server:
        yield LoggedSite(server, pki, hosts, len(variables))
