"""HSTS added without ``always``: nginx leaves it off every 4xx and 5xx response.

Evidence: an ``add_header Strict-Transport-Security …`` whose last argument is not
``always``. Without it the header goes only with 200, 201, 204, 206, 301, 302, 303, 304,
307 and 308 [doc ngx_http_headers_module#add_header; nginx-semantics.md §6, ORACLE].
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.model import Severity
from httpdoctor.servers.nginx.lint._scan import hsts_value, is_hsts
from httpdoctor.servers.nginx.lint.model import LintFinding, LintMeta
from httpdoctor.servers.nginx.model import Config

META = LintMeta(id="hsts-without-always", severity=Severity.WARNING)


def check(config: Config) -> Iterator[LintFinding]:
    for directive in config.find("add_header"):
        if is_hsts(directive) and directive.args[-1] != "always":
            yield META.finding(directive, value=hsts_value(directive))
