"""error-at-end-of-chain: redirects that land on an error page, and look-alikes."""

from __future__ import annotations

from tests.cases.diagnose import cookie_held_back_by_samesite, origin_null_after_redirect
from tests.diagnose_builders import chain, error_hop, hop, hsts_hop, subject

POSITIVE = [
    # A site move that carried old paths over to a structure without them.
    subject(
        chain(
            hop("https://old.test/catalog/item-1", 301, location="https://new.test/catalog/item-1"),
            hop("https://new.test/catalog/item-1", 404, reason="Not Found"),
        ),
        curl=chain(
            hop("https://old.test/catalog/item-1", 301, location="https://new.test/catalog/item-1"),
            hop("https://new.test/catalog/item-1", 404),
        ),
    ),
    # Two redirects, then a failing backend.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 302, location="https://site.test/ru/"),
            hop("https://site.test/ru/", 503, reason="Service Unavailable"),
        )
    ),
    # The browser's upgrade first, then the server's own redirect to a missing page;
    # curl (no HSTS) reaches a working page.
    subject(
        chain(
            hsts_hop("http://site.test/blog", source="site.test", header="max-age=600"),
            hop("https://site.test/blog", 301, location="https://site.test/blog/"),
            hop("https://site.test/blog/", 404),
        ),
        curl=chain(hop("http://site.test/blog", 200)),
    ),
    # A form posted to an old address: the 301 turns POST into GET, which the target refuses.
    subject(
        chain(
            hop("http://site.test/contact", 301, method="POST", location="/contact/"),
            hop("http://site.test/contact/", 405, reason="Method Not Allowed"),
        )
    ),
]

NEGATIVE = [
    # A form refused because a redirect made its Origin null: origin-null-after-redirect.
    origin_null_after_redirect.POSITIVE[0],
    # An API's 401 to a request SameSite kept the session off: cookie-held-back-by-samesite.
    cookie_held_back_by_samesite.POSITIVE[3],
    # A plain 404 without any redirect is not a redirect problem.
    subject(chain(hop("https://site.test/missing", 404))),
    # Redirects that end well.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 200),
        )
    ),
    # The browser's upgrade straight into a 500: the founding rule's case.
    subject(
        chain(
            hsts_hop("http://app.site.test/", source="site.test", header="max-age=600"),
            hop("https://app.site.test/", 500),
        )
    ),
    # The redirect target does not answer at all: no status to speak of.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            error_hop("https://site.test/", "connect", "Connection refused"),
            outcome="error",
        )
    ),
]
