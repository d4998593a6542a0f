"""hsts-header-invalid: headers Chromium ignores, duplicates, and valid look-alikes."""

from __future__ import annotations

from tests.diagnose_builders import chain, hop, subject


def sts(value: str) -> tuple[str, str]:
    return ("Strict-Transport-Security", value)


POSITIVE = [
    # A comma instead of a semicolon: the whole header is ignored.
    subject(chain(hop("https://site.test/", 200, sts("max-age=31536000, includeSubDomains")))),
    # Two different copies (server and application): the first, short one wins.
    subject(
        chain(
            hop(
                "https://site.test/",
                200,
                sts("max-age=300"),
                sts("max-age=31536000; includeSubDomains"),
            )
        )
    ),
    # The same value twice: harmless for browsers, refused by hstspreload.org (a warning).
    subject(
        chain(hop("https://site.test/", 200, sts("max-age=31536000"), sts("max-age=31536000")))
    ),
    # No max-age at all, on the https redirect to www.
    subject(
        chain(
            hop(
                "https://site.test/",
                301,
                sts("includeSubDomains; preload"),
                location="https://www.site.test/",
            ),
            hop("https://www.site.test/", 200, sts("max-age=31536000")),
        )
    ),
    # includeSubDomains=true, seen by curl only.
    subject(
        chain(hop("https://site.test/", 200, sts("max-age=31536000"))),
        curl=chain(hop("https://site.test/", 200, sts("max-age=31536000; includeSubDomains=true"))),
    ),
]

NEGATIVE = [
    # One valid header.
    subject(chain(hop("https://site.test/", 200, sts("max-age=31536000; includeSubDomains")))),
    # preload twice is fine for Chromium (an unknown directive may repeat).
    subject(chain(hop("https://site.test/", 200, sts("max-age=31536000; preload; preload")))),
    # A quoted max-age and spaces around "=": unusual, but Chromium accepts both.
    subject(chain(hop("https://site.test/", 200, sts('max-age = "31536000"')))),
    # An invalid header over plain http: ignored there anyway (hsts-header-over-http).
    subject(chain(hop("http://site.test/", 200, sts("max-age=31536000, includeSubDomains")))),
]
