"""temporary-redirect-for-permanent-move: 302/307 for moves that are permanent by nature,
and temporary redirects that really are temporary."""

from __future__ import annotations

from tests.diagnose_builders import chain, hop, hsts_hop, subject

POSITIVE = [
    # [R] without a code in .htaccess: http -> https as a 302.
    subject(
        chain(
            hop("http://site.test/page", 302, location="https://site.test/page"),
            hop("https://site.test/page", 200),
        )
    ),
    # The returning browser shows only the www 307; a first-time one also shows the http 302.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", header="max-age=600"),
            hop("https://site.test/", 307, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        ),
        fresh=chain(
            hop("http://site.test/", 302, location="https://site.test/"),
            hop("https://site.test/", 307, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        ),
    ),
    # A trailing slash and a letter case, both by 302.
    subject(
        chain(
            hop("https://site.test/Docs", 302, location="https://site.test/docs"),
            hop("https://site.test/docs", 302, location="https://site.test/docs/"),
            hop("https://site.test/docs/", 200),
        )
    ),
]

NEGATIVE = [
    # All permanent already.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 308, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        )
    ),
    # A login redirect: temporary by nature.
    subject(
        chain(
            hop("https://site.test/account", 302, location="https://site.test/login?next=/account"),
            hop("https://site.test/login?next=/account", 200),
        )
    ),
    # A language choice and a maintenance page: temporary, and more than a normalisation.
    subject(
        chain(
            hop("http://site.test/", 302, location="https://site.test/maintenance.html"),
            hop("https://site.test/maintenance.html", 302, location="https://site.test/en/"),
            hop("https://site.test/en/", 200),
        )
    ),
    # The browser's own HSTS 307 is not a server's choice.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", header="max-age=600"),
            hop("https://site.test/", 200),
        )
    ),
    # A 302 to another site's host, not the www twin.
    subject(
        chain(
            hop("https://site.test/file", 302, location="https://cdn.site.test/file"),
            hop("https://cdn.site.test/file", 200),
        )
    ),
]
