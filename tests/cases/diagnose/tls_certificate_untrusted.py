"""tls-certificate-untrusted: self-signed and unknown-issuer certificates, and look-alikes."""

from __future__ import annotations

from dataclasses import replace

from httpdoctor.trace.model import Hop
from tests.diagnose_builders import chain, hop, hsts_hop, subject, tls, tls_error_hop


def _issued_by(failed: Hop, issuer: str) -> Hop:
    info = failed.observation.tls
    names = info.certificate.sans if info is not None and info.certificate is not None else ()
    certificate = tls(verified=False, failure="untrusted", names=names, issuer=issuer)
    return replace(failed, observation=replace(failed.observation, tls=certificate))


POSITIVE = [
    # The panel's self-signed placeholder.
    subject(
        chain(
            tls_error_hop("https://site.test/", failure="self-signed", names=("site.test",)),
            outcome="error",
        )
    ),
    # An issuer the client cannot link to a root (a missing intermediate), after a redirect.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            tls_error_hop("https://site.test/", failure="untrusted", names=("site.test",)),
            outcome="error",
        )
    ),
    # A Cloudflare Origin CA certificate shown to visitors (the record is DNS-only).
    subject(
        chain(hop("http://api.site.test/", 200)),
        https_variant=chain(
            _issued_by(
                tls_error_hop(
                    "https://api.site.test/", failure="untrusted", names=("*.site.test",)
                ),
                "CloudFlare Origin SSL Certificate Authority",
            ),
            outcome="error",
        ),
    ),
]

NEGATIVE = [
    # Self-signed, but reached through the browser's HSTS upgrade: the founding rule's case.
    subject(
        chain(
            hsts_hop("http://info.site.test/", source="site.test", header="max-age=600"),
            tls_error_hop("https://info.site.test/", failure="self-signed"),
            outcome="error",
        )
    ),
    # A handshake failure that is not about trust (protocol versions, ciphers).
    subject(chain(tls_error_hop("https://site.test/", failure="other"), outcome="error")),
    # A trusted certificate for other names.
    subject(chain(tls_error_hop("https://site.test/", failure="name-mismatch"), outcome="error")),
]
