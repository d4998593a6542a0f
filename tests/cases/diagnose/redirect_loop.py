"""redirect-loop: cycles the tracer named, and chains that repeat a URL but do end."""

from __future__ import annotations

from httpdoctor.trace.model import Hop
from tests.diagnose_builders import chain, hop, hsts_hop, subject

APEX, WWW = "https://site.test/", "https://www.site.test/"


def _round(steps: list[Hop], total: int) -> list[Hop]:
    """``steps`` repeated until ``total`` hops, as a client that only counts would go."""
    return [steps[i % len(steps)] for i in range(total)]


PING_PONG = _round(
    [hop(APEX, 301, location=WWW), hop(WWW, 301, location=APEX)],
    20,
)

POSITIVE = [
    # www ping-pong between the panel and the CMS; curl loops too.
    subject(
        chain(*PING_PONG, outcome="redirect-loop", loop=(APEX, WWW)),
        curl=chain(
            *_round([hop(APEX, 301, location=WWW), hop(WWW, 301, location=APEX)], 51),
            outcome="redirect-loop",
            loop=(APEX, WWW),
            profile="curl",
        ),
    ),
    # A URL that redirects to itself for the browser only; curl gets the page.
    subject(
        chain(
            *_round(
                [hop("https://site.test/account", 302, location="https://site.test/account")], 20
            ),
            outcome="redirect-loop",
            loop=("https://site.test/account",),
        ),
        curl=chain(hop("https://site.test/account", 200), profile="curl"),
    ),
    # HSTS upgrades http to https, and the server sends https back to http.
    subject(
        chain(
            *_round(
                [
                    hsts_hop("http://site.test/", source="site.test", header="max-age=600"),
                    hop(APEX, 301, location="http://site.test/"),
                ],
                20,
            ),
            outcome="redirect-loop",
            loop=("http://site.test/", APEX),
        )
    ),
]

NEGATIVE = [
    # Too many redirects, but every URL is new: the other rule's case.
    subject(
        chain(
            *(
                hop(f"https://site.test/p/{i}", 302, location=f"https://site.test/p/{i + 1}")
                for i in range(20)
            ),
            outcome="too-many-redirects",
        )
    ),
    # Set a cookie and redirect to itself: the second request carries the cookie, so it ends.
    subject(
        chain(
            hop(APEX, 302, ("Set-Cookie", "sid=1; Path=/"), location=APEX),
            hop(APEX, 200, request_headers=(("Cookie", "sid=1"),)),
        )
    ),
    # A URL came round again, but the second time the server answered 200.
    subject(
        chain(
            hop(APEX, 302, location=WWW),
            hop(WWW, 302, location=APEX),
            hop(APEX, 200),
            loop=(APEX, WWW),
        )
    ),
]
