"""redirect-chain-too-long: chains that end after 2+ server redirects, and the near misses."""

from __future__ import annotations

from tests.cases.diagnose import cookie_held_back_by_samesite
from tests.diagnose_builders import chain, hop, hsts_hop, subject, tls_error_hop

STS = ("Strict-Transport-Security", "max-age=31536000")

POSITIVE = [
    # https, then www, then a trailing slash: three rules, one part each.
    subject(
        chain(
            hop("https://site.test/about", 301, location="https://www.site.test/about"),
            hop("https://www.site.test/about", 301, location="https://www.site.test/about/"),
            hop("https://www.site.test/about/", 200),
        )
    ),
    # The returning browser skips the http hop; a first-time visitor goes through four.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", header=STS[1]),
            hop("https://site.test/", 301, STS, location="https://www.site.test/"),
            hop("https://www.site.test/", 302, location="https://www.site.test/en/"),
            hop("https://www.site.test/en/", 200),
        ),
        fresh=chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 301, STS, location="https://www.site.test/"),
            hop("https://www.site.test/", 302, location="https://www.site.test/en/"),
            hop("https://www.site.test/en/", 200),
        ),
    ),
    # http -> https on the apex -> www: the order HSTS wants (an info, not a warning).
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 301, STS, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        )
    ),
    # Twelve old URLs in a row after a few migrations: Googlebot stops before the end.
    subject(
        chain(
            *(
                hop(
                    f"https://site.test/v{i}/page", 301, location=f"https://site.test/v{i + 1}/page"
                )
                for i in range(12)
            ),
            hop("https://site.test/v12/page", 200),
        )
    ),
]

NEGATIVE = [
    # A sign-in flow bouncing to the login page because SameSite held the session back:
    # its redirects are the flow, and cookie-held-back-by-samesite names the cause.
    *cookie_held_back_by_samesite.POSITIVE,
    # One redirect straight to the final URL.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        )
    ),
    # The browser's own HSTS 307 plus one server redirect: only one counts.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", header=STS[1]),
            hop("https://site.test/", 301, STS, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        )
    ),
    # Two redirects, but the chain ends in a TLS error: another rule's business.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 301, location="https://www.site.test/"),
            tls_error_hop("https://www.site.test/", failure="name-mismatch"),
            outcome="error",
        )
    ),
    # A loop never ends: the redirect-loop rule's case.
    subject(
        chain(
            hop("https://site.test/", 301, location="https://www.site.test/"),
            hop("https://www.site.test/", 301, location="https://site.test/"),
            outcome="redirect-loop",
            loop=("https://site.test/", "https://www.site.test/"),
        )
    ),
]
