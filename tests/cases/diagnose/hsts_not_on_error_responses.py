"""hsts-not-on-error-responses: HSTS on some responses, not on errors or redirects."""

from __future__ import annotations

from httpdoctor.trace.model import Probe
from tests.diagnose_builders import chain, hop, subject, tls

STS = ("Strict-Transport-Security", "max-age=31536000")


def _home_probe(host: str, header: str | None) -> Probe:
    return Probe(
        host=host,
        url=f"https://{host}/",
        status=200,
        sts_header=header,
        learned=header is not None,
        tls=tls(),
    )


POSITIVE = [
    # nginx add_header without always: on the 301, not on the 404 it leads to.
    subject(
        chain(
            hop("https://site.test/old", 301, STS, location="https://site.test/new"),
            hop("https://site.test/new", 404, ("Server", "nginx/1.22.1")),
        )
    ),
    # Apache Header set without always: the 301 lacks it, the 200 has it.
    subject(
        chain(
            hop(
                "https://site.test/docs",
                301,
                ("Server", "Apache/2.4.62 (Debian)"),
                location="https://site.test/docs/",
            ),
            hop("https://site.test/docs/", 200, STS),
        )
    ),
    # The traced URL is a 502; the browser's earlier visit of the home page got the header.
    subject(
        chain(
            hop("https://site.test/api/", 502),
            probes=(_home_probe("site.test", STS[1]),),
        )
    ),
]

NEGATIVE = [
    # add_header ... always: present on the 301 and on the 404.
    subject(
        chain(
            hop("https://site.test/old", 301, STS, location="https://site.test/new"),
            hop("https://site.test/new", 404, STS),
        )
    ),
    # No HSTS anywhere: hsts-missing's business, not this rule's.
    subject(chain(hop("https://site.test/new", 404))),
    # The header on the apex, the 404 on www: different hosts, different configurations.
    subject(
        chain(
            hop("https://site.test/", 301, STS, location="https://www.site.test/gone"),
            hop("https://www.site.test/gone", 404),
        )
    ),
    # The 404 without it is on plain http, where the header does not belong anyway.
    subject(
        chain(
            hop("http://site.test/gone", 404),
        ),
        https_variant=chain(hop("https://site.test/gone", 200, STS)),
    ),
    # Missing on a 200, present on the redirect: not an error-page symptom.
    subject(
        chain(
            hop("https://site.test/a", 302, STS, location="https://site.test/b"),
            hop("https://site.test/b", 200),
        )
    ),
]
