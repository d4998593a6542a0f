"""Two servers both claim ``default_server`` for the same address and port.

The default server is a property of the listen socket [doc request_processing]; nginx
refuses a second one ("a duplicate default server for 0.0.0.0:80", checked with
``nginx -t`` 1.22). ``listen 80``, ``listen *:80`` and ``listen 0.0.0.0:80`` are one
socket; ``127.0.0.1:80`` and ``[::]:80`` are others.

Evidence: the second ``listen … default_server`` (in file order) for a socket; the first
is the related location.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.model import Severity
from httpdoctor.servers.nginx.lint._scan import listens, server_blocks
from httpdoctor.servers.nginx.lint.model import LintFinding, LintMeta, where
from httpdoctor.servers.nginx.model import Config, Directive

META = LintMeta(id="duplicate-default-server", severity=Severity.ERROR)


def check(config: Config) -> Iterator[LintFinding]:
    first: dict[str, tuple[Directive, Directive]] = {}
    for server in server_blocks(config):
        for item in listens(server):
            if not item.default or item.directive is None:
                continue
            earlier = first.get(item.socket)
            if earlier is None:
                first[item.socket] = (server, item.directive)
            elif earlier[0] is not server:
                yield META.finding(
                    item.directive,
                    related=(earlier[1].span,),
                    socket=item.socket.replace("*", "0.0.0.0", 1),
                    first=where(config, earlier[1].span),
                )
