"""cookie-never-sticks-loop: loops where a cookie is refused, and loops or cookie dances
that only look like it (the cookie comes back, a deletion, a client without cookies)."""

from __future__ import annotations

from dataclasses import replace

from httpdoctor.trace.model import Hop
from tests.diagnose_builders import chain, held_cookie, hop, subject

Headers = tuple[tuple[str, str], ...]


def turns(steps: list[tuple[str, str, str | None]], times: int, *, sent: Headers = ()) -> list[Hop]:
    """``times`` turns of a loop: each step is (URL, Location, Set-Cookie or None)."""
    out = []
    for _ in range(times):
        for url, location, cookie in steps:
            extra = (("Set-Cookie", cookie),) if cookie else ()
            out.append(hop(url, 302, *extra, location=location, request_headers=sent))
    return out


ADMIN = "http://site.test/wp-admin/"
LOGIN = "http://site.test/wp-login.php"
SECURE = "wordpress_sec=admin%7C1700000000; path=/; secure; HttpOnly"
CALLBACK, HOME = "https://app.test/callback", "https://app.test/home"
STRICT = "session=1; Path=/; SameSite=Strict"
HELD = held_cookie("session", "strict", page="https://idp.test/login")

POSITIVE = [
    # WordPress over http with a Secure login cookie: wp-admin -> login -> wp-admin ...
    subject(
        chain(
            *turns([(ADMIN, LOGIN, SECURE), (LOGIN, ADMIN, SECURE)], 5),
            outcome="redirect-loop",
            loop=(ADMIN, LOGIN),
        )
    ),
    # An app behind a proxy sets the session for its internal name; other cookies stick.
    subject(
        chain(
            *turns(
                [
                    (
                        "https://app.site.test/",
                        "https://app.site.test/",
                        "sid=42; Domain=backend.internal; Path=/",
                    )
                ],
                6,
                sent=(("Cookie", "lang=en"),),
            ),
            outcome="redirect-loop",
            loop=("https://app.site.test/",),
        )
    ),
    # A new session id each time (so no repeat was named), for a path the next hop is outside.
    subject(
        chain(
            *[
                hop(
                    url,
                    302,
                    ("Set-Cookie", f"sid={n}; Path=/app; Secure"),
                    location=target,
                )
                for n in range(10)
                for url, target in (
                    ("https://site.test/", "https://site.test/account/"),
                    ("https://site.test/account/", "https://site.test/"),
                )
            ],
            outcome="too-many-redirects",
        )
    ),
]

NEGATIVE = [
    # A login that sets the session Strict on every turn while a page of another site
    # started the navigation: SameSite keeps it off, cookie-held-back-by-samesite's case.
    subject(
        chain(
            *[
                replace(h, dropped_headers=(HELD,)) if h.request.url == HOME else h
                for h in turns([(CALLBACK, HOME, STRICT), (HOME, CALLBACK, None)], 4)
            ],
            outcome="too-many-redirects",
            referrer="https://idp.test/login",
        )
    ),
    # The cookie does come back, yet the app keeps redirecting: not a cookie problem.
    subject(
        chain(
            hop(ADMIN, 302, ("Set-Cookie", "sess=1; Path=/"), location=LOGIN),
            *turns(
                [(LOGIN, ADMIN, "sess=1; Path=/"), (ADMIN, LOGIN, "sess=1; Path=/")],
                4,
                sent=(("Cookie", "sess=1"),),
            ),
            outcome="redirect-loop",
            loop=(LOGIN, ADMIN),
        )
    ),
    # Set a cookie, redirect to myself, and the page loads: how it should work.
    subject(
        chain(
            hop(
                "https://site.test/",
                302,
                ("Set-Cookie", "seen=1; Path=/"),
                location="https://site.test/",
            ),
            hop("https://site.test/", 200, request_headers=(("Cookie", "seen=1"),)),
        )
    ),
    # A loop without any cookie (www ping-pong): another rule's business.
    subject(
        chain(
            *turns(
                [
                    ("http://site.test/", "http://www.site.test/", None),
                    ("http://www.site.test/", "http://site.test/", None),
                ],
                5,
            ),
            outcome="redirect-loop",
            loop=("http://site.test/", "http://www.site.test/"),
        )
    ),
    # A logout loop that only deletes cookies: nothing was meant to stick.
    subject(
        chain(
            *turns(
                [
                    (
                        "https://site.test/logout",
                        "https://site.test/logout",
                        "sid=; Max-Age=0; Path=/",
                    )
                ],
                6,
            ),
            outcome="redirect-loop",
            loop=("https://site.test/logout",),
        )
    ),
    # curl keeps no cookies at all, so nothing ever comes back: not the site's cookie.
    subject(
        chain(
            *turns([(LOGIN, ADMIN, "sess=1; Path=/"), (ADMIN, LOGIN, "sess=1; Path=/")], 5),
            outcome="redirect-loop",
            loop=(LOGIN, ADMIN),
            profile="curl",
        )
    ),
]
