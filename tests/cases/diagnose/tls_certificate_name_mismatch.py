"""tls-certificate-name-mismatch: certificates for other names, and look-alikes."""

from __future__ import annotations

from tests.diagnose_builders import chain, hop, hsts_hop, subject, tls_error_hop

POSITIVE = [
    # https straight away, and the panel's default certificate answers.
    subject(
        chain(
            tls_error_hop(
                "https://info.site.test/", failure="name-mismatch", names=("panel.host.test",)
            ),
            outcome="error",
        )
    ),
    # The server itself redirects to https, where only the bare name is certified.
    subject(
        chain(
            hop("http://www.site.test/", 301, location="https://www.site.test/"),
            tls_error_hop("https://www.site.test/", failure="name-mismatch", names=("site.test",)),
            outcome="error",
        )
    ),
    # http works; the https variant shows a wildcard one level too shallow.
    subject(
        chain(hop("http://a.b.site.test/", 200)),
        https_variant=chain(
            tls_error_hop(
                "https://a.b.site.test/",
                failure="name-mismatch",
                names=("*.site.test", "site.test"),
            ),
            outcome="error",
        ),
    ),
    # A wildcard without the bare domain.
    subject(
        chain(
            tls_error_hop("https://site.test/", failure="name-mismatch", names=("*.site.test",)),
            outcome="error",
        )
    ),
]

NEGATIVE = [
    # The same certificate problem right after the browser's HSTS upgrade: the founding rule's.
    subject(
        chain(
            hsts_hop("http://info.site.test/", source="site.test", header="max-age=600"),
            tls_error_hop("https://info.site.test/", failure="name-mismatch"),
            outcome="error",
        ),
        https_variant=chain(
            tls_error_hop("https://info.site.test/", failure="name-mismatch"), outcome="error"
        ),
    ),
    # A certificate problem of another kind.
    subject(
        chain(
            tls_error_hop("https://site.test/", failure="expired", names=("site.test",)),
            outcome="error",
        )
    ),
    # https works.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 200),
        )
    ),
]
