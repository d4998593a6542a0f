"""hsts-upgrade-to-broken-https: the founding case and its look-alikes that are fine."""

from __future__ import annotations

from tests.diagnose_builders import chain, error_hop, hop, hsts_hop, subject, tls_error_hop

PARENT = "max-age=31536000; includeSubDomains"

POSITIVE = [
    # A parent's includeSubDomains, and the panel's default certificate on the subdomain.
    subject(
        chain(
            hsts_hop("http://info.site.test/", source="site.test", header=PARENT),
            tls_error_hop("https://info.site.test/", failure="name-mismatch"),
            outcome="error",
        ),
        curl=chain(hop("http://info.site.test/", 200)),
    ),
    # The host's own policy, and nothing listening on 443 any more.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", header="max-age=600"),
            error_hop("https://site.test/", "connect", "Connection refused"),
            outcome="error",
        )
    ),
    # Preloaded, and https answers 500 where http works.
    subject(
        chain(
            hsts_hop("http://app.site.dev/", source="dev", via="preload"),
            hop("https://app.site.dev/", 500),
        ),
        fresh=chain(hop("http://app.site.dev/", 200)),
    ),
]

NEGATIVE = [
    # The upgrade happens and https works: HSTS doing its job.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", header="max-age=600"),
            hop("https://site.test/", 200),
        )
    ),
    # https is broken, but no HSTS is involved: another rule's business.
    subject(
        chain(tls_error_hop("https://info.site.test/", failure="name-mismatch"), outcome="error")
    ),
]
