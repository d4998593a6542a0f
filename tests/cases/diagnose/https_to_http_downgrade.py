"""https-to-http-downgrade: Locations that leave https for http, and redirects that do not."""

from __future__ import annotations

from tests.diagnose_builders import chain, hop, hsts_hop, subject

POSITIVE = [
    # nginx behind a TLS-terminating balancer adds the slash with its own scheme, http;
    # the session cookie then goes out in the clear.
    subject(
        chain(
            hop("https://site.test/docs", 301, location="http://site.test/docs/"),
            hop(
                "http://site.test/docs/",
                301,
                location="https://site.test/docs/",
                request_headers=(("Cookie", "sessionid=abc; csrftoken=x"),),
            ),
            hop("https://site.test/docs/", 200),
        )
    ),
    # HSTS switches it back, the server insists: a loop.
    subject(
        chain(
            *[
                hsts_hop("http://site.test/", source="site.test", header="max-age=600"),
                hop("https://site.test/", 301, location="http://site.test/"),
            ]
            * 10,
            outcome="redirect-loop",
            loop=("http://site.test/", "https://site.test/"),
        )
    ),
    # A link-out page on https sends visitors to a partner over http; seen in the https
    # variant of an http:// URL.
    subject(
        chain(
            hop("http://site.test/out", 301, location="https://site.test/out"),
            hop("https://site.test/out", 302, location="http://partner.test/"),
            hop("http://partner.test/", 200),
        ),
        https_variant=chain(
            hop("https://site.test/out", 302, location="http://partner.test/"),
            hop("http://partner.test/", 200),
        ),
    ),
]

NEGATIVE = [
    # The right direction.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 200),
        )
    ),
    # The browser's own upgrade, then https all the way.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", header="max-age=600"),
            hop("https://site.test/", 200),
        )
    ),
    # https to https on another host.
    subject(
        chain(
            hop("https://site.test/", 301, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        )
    ),
    # Plain http throughout: nothing to lose.
    subject(
        chain(
            hop("http://site.test/a", 301, location="http://site.test/b"),
            hop("http://site.test/b", 200),
        )
    ),
]
