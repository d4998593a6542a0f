"""post-redirected-as-get: bodies lost to 301/302/303, and redirects that keep them."""

from __future__ import annotations

from tests.diagnose_builders import chain, hop, hsts_hop, subject

FORM = b"name=Ivan&email=ivan%40site.test&message=hello"
BODY_HEADERS = (
    ("Content-Type", "application/x-www-form-urlencoded"),
    ("Content-Length", str(len(FORM))),
)
DROPPED = (
    ("Content-Type", "the method became GET after 301"),
    ("Content-Length", "the method became GET after 301"),
)

POSITIVE = [
    # A contact form still posting to http://: the 301 to https loses it, and GET gets 405.
    subject(
        chain(
            hop(
                "http://site.test/contact",
                301,
                method="POST",
                body=FORM,
                request_headers=BODY_HEADERS,
                location="https://site.test/contact",
            ),
            hop("https://site.test/contact", 405, dropped=DROPPED),
        )
    ),
    # An API without the trailing slash, seen by curl -L -d: a 200 that never saw the JSON.
    subject(
        chain(
            hop(
                "https://api.site.test/items",
                302,
                method="POST",
                body=b'{"name": "x"}',
                location="https://api.site.test/items/",
            ),
            hop("https://api.site.test/items/", 200),
        ),
        curl=chain(
            hop(
                "https://api.site.test/items",
                302,
                method="POST",
                body=b'{"name": "x"}',
                location="https://api.site.test/items/",
            ),
            hop("https://api.site.test/items/", 200),
            profile="curl",
        ),
    ),
    # A PATCH answered 303 by a slash rule before the handler; the GET is refused.
    subject(
        chain(
            hop(
                "https://site.test/profile",
                303,
                method="PATCH",
                body=b"{}",
                location="https://site.test/profile/",
            ),
            hop("https://site.test/profile/", 405),
        )
    ),
]

NEGATIVE = [
    # 307 keeps the method and the body.
    subject(
        chain(
            hop(
                "http://site.test/form",
                307,
                method="POST",
                body=FORM,
                location="https://site.test/form",
            ),
            hop("https://site.test/form", 200, method="POST", body=FORM),
        )
    ),
    # 308 as well.
    subject(
        chain(
            hop(
                "https://site.test/api",
                308,
                method="PUT",
                body=b"{}",
                location="https://site.test/api/",
            ),
            hop("https://site.test/api/", 204, method="PUT", body=b"{}"),
        )
    ),
    # A plain GET redirected: nothing to lose.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 200),
        )
    ),
    # The browser's HSTS 307 keeps the POST.
    subject(
        chain(
            hsts_hop("http://site.test/form", source="site.test", header="max-age=600"),
            hop("https://site.test/form", 200, method="POST", body=FORM),
        )
    ),
    # Python requests after a 301 on PUT: the body goes, the method stays (not a GET).
    subject(
        chain(
            hop(
                "https://site.test/doc",
                301,
                method="PUT",
                body=b"{}",
                location="https://site.test/doc/",
            ),
            hop("https://site.test/doc/", 411, method="PUT"),
            profile="requests",
        )
    ),
    # Post/Redirect/Get: the login form was handled, then a 302 to the dashboard.
    subject(
        chain(
            hop(
                "https://site.test/login",
                302,
                method="POST",
                body=FORM,
                location="https://site.test/dashboard",
            ),
            hop("https://site.test/dashboard", 200),
        )
    ),
    # Post/Redirect/Get back to the same page with a 303.
    subject(
        chain(
            hop(
                "https://site.test/contact",
                303,
                method="POST",
                body=FORM,
                location="https://site.test/contact",
            ),
            hop("https://site.test/contact", 200),
        )
    ),
]
