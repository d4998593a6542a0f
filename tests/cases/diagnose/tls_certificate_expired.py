"""tls-certificate-expired: certificates past their date, and look-alikes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from httpdoctor.trace.model import Hop
from tests.diagnose_builders import chain, hop, hsts_hop, subject, tls_error_hop

# Ten days after the builders' default not_after (2030-01-01).
_CHECKED_AT = datetime(2030, 1, 11, tzinfo=UTC).timestamp()


def _checked_at(failed: Hop, at: float) -> Hop:
    return replace(failed, observation=replace(failed.observation, at=at))


POSITIVE = [
    # https straight away with an expired certificate (no time of check recorded).
    subject(
        chain(
            tls_error_hop("https://site.test/", failure="expired", names=("site.test",)),
            outcome="error",
        )
    ),
    # The server's own redirect to https, and the certificate ran out ten days earlier.
    subject(
        chain(
            hop("http://shop.site.test/", 301, location="https://shop.site.test/"),
            _checked_at(
                tls_error_hop(
                    "https://shop.site.test/", failure="expired", names=("shop.site.test",)
                ),
                _CHECKED_AT,
            ),
            outcome="error",
        )
    ),
    # Only the https variant shows it.
    subject(
        chain(hop("http://site.test/", 200)),
        https_variant=chain(
            tls_error_hop("https://site.test/", failure="expired", names=("site.test",)),
            outcome="error",
        ),
    ),
]

NEGATIVE = [
    # Expired, but reached through the browser's HSTS upgrade: the founding rule's case.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", header="max-age=600"),
            tls_error_hop("https://site.test/", failure="expired", names=("site.test",)),
            outcome="error",
        )
    ),
    # Not valid yet is a different failure (a clock or an early deployment).
    subject(
        chain(
            tls_error_hop("https://site.test/", failure="not-yet-valid", names=("site.test",)),
            outcome="error",
        )
    ),
    # A name mismatch.
    subject(chain(tls_error_hop("https://site.test/", failure="name-mismatch"), outcome="error")),
]
