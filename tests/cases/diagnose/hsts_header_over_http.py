"""hsts-header-over-http: the header on http:// responses, and look-alikes that are fine."""

from __future__ import annotations

from tests.diagnose_builders import chain, hop, hsts_hop, subject

STS = ("Strict-Transport-Security", "max-age=31536000")

_secure_home = chain(hop("https://site.test/", 200, STS))

POSITIVE = [
    # nginx with add_header in http{}: the http->https 301 carries it too (https has it).
    subject(
        chain(
            hop("http://site.test/", 301, STS, location="https://site.test/"),
            hop("https://site.test/", 200, STS),
        )
    ),
    # Only the http side sends it; the https page has none: the site has no real HSTS.
    subject(
        chain(hop("https://site.test/", 200)),
        http_variant=chain(hop("http://site.test/", 200, STS)),
    ),
    # The returning browser never touches http; curl does and sees the header there.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", header=STS[1]),
            hop("https://site.test/", 200, STS),
        ),
        curl=chain(
            hop("http://site.test/", 301, STS, location="https://site.test/"),
            hop("https://site.test/", 200, STS),
        ),
    ),
]

NEGATIVE = [
    # The textbook setup: a bare 301 on http, the header on https only.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 200, STS),
        ),
        https_variant=_secure_home,
    ),
    # The browser's own 307 is not a server response; the https answer carries the header.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", header=STS[1]),
            hop("https://site.test/", 200, STS),
        )
    ),
    # Plain http with no header at all: nothing wrong with the header (other rules judge http).
    subject(chain(hop("http://site.test/", 200)), https_variant=_secure_home),
]
