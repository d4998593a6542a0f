"""auth-dropped-on-redirect: Authorization lost on a cross-origin redirect, and look-alikes."""

from __future__ import annotations

from tests.diagnose_builders import chain, hop, subject

TOKEN = (("Authorization", "Bearer abc"),)
CROSS = "drops it when the origin changes"


def _reason(old: str, new: str) -> tuple[tuple[str, str], ...]:
    return (("Authorization", f"Chrome {CROSS} ({old} -> {new})"),)


POSITIVE = [
    # The API moved to another host; the token does not follow, the new host says 401.
    subject(
        chain(
            hop(
                "https://api.site.test/v1/me",
                301,
                request_headers=TOKEN,
                location="https://api2.site.test/v1/me",
            ),
            hop(
                "https://api2.site.test/v1/me",
                401,
                dropped=_reason("https://api.site.test:443", "https://api2.site.test:443"),
            ),
        )
    ),
    # An http:// base URL: the token goes out in the clear, then is dropped at https (curl).
    subject(
        chain(hop("https://api.site.test/", 200)),
        curl=chain(
            hop(
                "http://api.site.test/v1/me",
                301,
                request_headers=TOKEN,
                location="https://api.site.test/v1/me",
            ),
            hop(
                "https://api.site.test/v1/me",
                401,
                dropped=(("Authorization", f"curl -L {CROSS}"),),
            ),
            profile="curl",
        ),
    ),
    # Only the port changes.
    subject(
        chain(
            hop(
                "https://site.test/api/",
                302,
                request_headers=TOKEN,
                location="https://site.test:8443/api/",
            ),
            hop(
                "https://site.test:8443/api/",
                403,
                dropped=_reason("https://site.test:443", "https://site.test:8443"),
            ),
        )
    ),
]

NEGATIVE = [
    # Same origin: the token is kept.
    subject(
        chain(
            hop(
                "https://api.site.test/v1/me",
                301,
                request_headers=TOKEN,
                location="https://api.site.test/v1/me/",
            ),
            hop("https://api.site.test/v1/me/", 200, request_headers=TOKEN),
        )
    ),
    # Another host, but no credentials were sent in the first place.
    subject(
        chain(
            hop("https://site.test/", 301, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        )
    ),
    # Only the body headers went, because the POST became a GET.
    subject(
        chain(
            hop(
                "https://site.test/form",
                302,
                method="POST",
                body=b"a=1",
                location="https://site.test/form/",
            ),
            hop(
                "https://site.test/form/",
                200,
                dropped=(("Content-Type", "the method became GET after 302"),),
            ),
        )
    ),
    # Python requests keeps Authorization on http -> https of the same host.
    subject(
        chain(
            hop(
                "http://api.site.test/v1/me",
                301,
                request_headers=TOKEN,
                location="https://api.site.test/v1/me",
            ),
            hop("https://api.site.test/v1/me", 200, request_headers=TOKEN),
            profile="requests",
        )
    ),
]
