"""first-redirect-changes-host: http://host leaving the host on its first redirect."""

from __future__ import annotations

from httpdoctor.trace.model import Probe
from tests.diagnose_builders import chain, hop, hsts_hop, subject, tls_error_hop

STS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")

POSITIVE = [
    # The classic: http://apex -> https://www, while https://apex has a policy nobody gets.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://www.site.test/"),
            hop("https://www.site.test/", 200, STS),
        ),
        https_variant=chain(hop("https://site.test/", 301, STS, location="https://www.site.test/")),
    ),
    # Sibling hosts, 302; the returning browser's probe shows https://shop sends no policy.
    subject(
        chain(
            hop("http://shop.site.test/", 302, location="https://store.site.test/"),
            hop("https://store.site.test/", 200),
            probes=(
                Probe(
                    host="shop.site.test",
                    url="https://shop.site.test/",
                    status=301,
                    sts_header=None,
                    learned=False,
                ),
            ),
        )
    ),
    # The parent's includeSubDomains upgrades returning browsers; a first-time one shows
    # the server's answer.
    subject(
        chain(
            hsts_hop("http://shop.site.test/", source="site.test", header=STS[1]),
            hop("https://shop.site.test/", 301, location="https://store.site.test/"),
            hop("https://store.site.test/", 200),
        ),
        fresh=chain(
            hop("http://shop.site.test/", 301, location="https://store.site.test/"),
            hop("https://store.site.test/", 200),
        ),
    ),
    # Over to http://www first, and https on the apex is broken anyway.
    subject(
        chain(
            hop("http://site.test/", 301, location="http://www.site.test/"),
            hop("http://www.site.test/", 301, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        ),
        https_variant=chain(
            tls_error_hop("https://site.test/", failure="name-mismatch"), outcome="error"
        ),
    ),
]

NEGATIVE = [
    # The right order: https on the same host first, then www.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 301, STS, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        )
    ),
    # www -> apex: the apex's includeSubDomains covers www.
    subject(
        chain(
            hop("http://www.site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 200, STS),
        )
    ),
    # A move to another site altogether.
    subject(
        chain(
            hop("http://old.test/", 301, location="https://new.example/"),
            hop("https://new.example/", 200),
        )
    ),
    # An https start: nothing to learn over http.
    subject(
        chain(
            hop("https://site.test/", 301, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        )
    ),
    # Preloaded: no browser sends http://site.test/ at all, whatever the server answers.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", via="preload"),
            hop("https://site.test/", 301, STS, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        ),
        fresh=chain(
            hop("http://site.test/", 301, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        ),
    ),
    # Only the browser's own upgrade is known; the server's http answer was never seen.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", header="max-age=600"),
            hop("https://site.test/", 200),
        )
    ),
]
