"""https-unreachable: nothing answers over https, and look-alikes."""

from __future__ import annotations

from tests.diagnose_builders import chain, error_hop, hop, hsts_hop, subject, tls_error_hop

POSITIVE = [
    # https asked directly, nothing listens on 443; http works.
    subject(
        chain(error_hop("https://site.test/", "connect", "Connection refused"), outcome="error"),
        http_variant=chain(hop("http://site.test/", 200)),
    ),
    # The server redirects to https, and port 443 is filtered.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            error_hop("https://site.test/", "timeout", "timed out after 10 s"),
            outcome="error",
        )
    ),
    # http works without a redirect; the https variant goes to a www name with no DNS.
    subject(
        chain(hop("http://site.test/", 200)),
        https_variant=chain(
            hop("https://site.test/", 301, location="https://www.site.test/"),
            error_hop("https://www.site.test/", "dns", "Name or service not known"),
            outcome="error",
        ),
    ),
]

NEGATIVE = [
    # Unreachable right after the browser's HSTS upgrade: the founding rule's case.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", header="max-age=600"),
            error_hop("https://site.test/", "connect", "Connection refused"),
            outcome="error",
        ),
        https_variant=chain(
            error_hop("https://site.test/", "connect", "Connection refused"), outcome="error"
        ),
    ),
    # Plain http is down; https was never involved.
    subject(
        chain(error_hop("http://site.test/", "connect", "Connection refused"), outcome="error")
    ),
    # https answers but the certificate is refused: the TLS rules' business.
    subject(chain(tls_error_hop("https://site.test/", failure="expired"), outcome="error")),
    # https works.
    subject(
        chain(hop("https://site.test/", 200)), http_variant=chain(hop("http://site.test/", 200))
    ),
]
