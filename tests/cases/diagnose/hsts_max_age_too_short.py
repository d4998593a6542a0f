"""hsts-max-age-too-short: valid policies under a year, and look-alikes that are fine."""

from __future__ import annotations

from tests.diagnose_builders import chain, hop, subject, tls


def sts(value: str) -> tuple[str, str]:
    return ("Strict-Transport-Security", value)


POSITIVE = [
    # The 5-minute trial value left in production.
    subject(chain(hop("https://site.test/", 200, sts("max-age=300")))),
    # A day, with preload: hstspreload.org will refuse it.
    subject(
        chain(
            hop("https://site.test/", 200, sts("max-age=86400; includeSubDomains; preload")),
        )
    ),
    # The apex sends a year, www only half a year.
    subject(
        chain(
            hop(
                "https://site.test/",
                301,
                sts("max-age=31536000"),
                location="https://www.site.test/",
            ),
            hop("https://www.site.test/", 200, sts("max-age=15768000")),
        )
    ),
]

NEGATIVE = [
    # A year exactly.
    subject(chain(hop("https://site.test/", 200, sts("max-age=31536000; includeSubDomains")))),
    # max-age=0 is a deliberate removal, not a short policy.
    subject(chain(hop("https://site.test/", 200, sts("max-age=0")))),
    # Two years: Chromium clamps it to a year, which is enough.
    subject(chain(hop("https://site.test/", 200, sts("max-age=63072000")))),
    # A short header, but over http, where it means nothing (hsts-header-over-http's case).
    subject(chain(hop("http://site.test/", 200, sts("max-age=300")))),
    # Short but invalid (max-age twice): Chromium ignores it, hsts-header-invalid reports it.
    subject(chain(hop("https://site.test/", 200, sts("max-age=300; max-age=300")))),
    # Short, but over a certificate browsers reject: no policy is learned at all.
    subject(
        chain(hop("https://site.test/", 200, sts("max-age=300"), tls_info=tls(failure="expired")))
    ),
]
