"""proxy-scheme-loop: https that redirects to itself, http<->https ping-pong, and the loops
that only look like them (other paths, other hosts, http only, a refused cookie)."""

from __future__ import annotations

from httpdoctor.trace.model import Hop
from tests.diagnose_builders import chain, hop, hsts_hop, subject

CF = (("Server", "cloudflare"), ("CF-RAY", "8c0ffee000000000-AMS"))


def repeat(steps: list[tuple[str, int, str]], times: int, *extra: tuple[str, str]) -> list[Hop]:
    """``times`` turns of a loop; each step is (URL, status, Location)."""
    return [
        hop(url, status, *extra, location=location)
        for _ in range(times)
        for url, status, location in steps
    ]


POSITIVE = [
    # Cloudflare Flexible: http upgraded once, then https://site.test/ redirects to itself.
    subject(
        chain(
            hop("http://site.test/", 301, *CF, location="https://site.test/"),
            *repeat([("https://site.test/", 301, "https://site.test/")], 18, *CF),
            outcome="redirect-loop",
            loop=("https://site.test/",),
        )
    ),
    # A load balancer forces https, the origin app sends https back to http (Via present).
    subject(
        chain(
            *repeat(
                [
                    ("http://shop.site.test/cart", 301, "https://shop.site.test/cart"),
                    ("https://shop.site.test/cart", 302, "http://shop.site.test/cart"),
                ],
                10,
                ("Via", "1.1 haproxy"),
            ),
            outcome="redirect-loop",
            loop=("http://shop.site.test/cart", "https://shop.site.test/cart"),
        )
    ),
    # HSTS makes the browser do the http->https step; the origin keeps going to http.
    subject(
        chain(
            *[
                h
                for _ in range(10)
                for h in (
                    hsts_hop("http://site.test/", source="site.test", header="max-age=31536000"),
                    hop("https://site.test/", 301, location="http://site.test/"),
                )
            ],
            outcome="redirect-loop",
            loop=("http://site.test/", "https://site.test/"),
        )
    ),
    # The limit hit first and no cycle was named: found from the repeating tail.
    subject(
        chain(
            *repeat([("https://site.test/a?x=1", 302, "https://site.test/a?x=1")], 20),
            outcome="too-many-redirects",
        )
    ),
]

NEGATIVE = [
    # http only, redirecting to itself: no https in the loop at all.
    subject(
        chain(
            *repeat([("http://site.test/", 301, "http://site.test/")], 20),
            outcome="redirect-loop",
            loop=("http://site.test/",),
        )
    ),
    # A trailing-slash fight over https: two paths, not one address.
    subject(
        chain(
            *repeat(
                [
                    ("https://site.test/docs", 301, "https://site.test/docs/"),
                    ("https://site.test/docs/", 301, "https://site.test/docs"),
                ],
                10,
            ),
            outcome="redirect-loop",
            loop=("https://site.test/docs", "https://site.test/docs/"),
        )
    ),
    # www ping-pong that also switches scheme: a host problem, not a scheme one.
    subject(
        chain(
            *repeat(
                [
                    ("http://site.test/", 301, "https://www.site.test/"),
                    ("https://www.site.test/", 301, "http://site.test/"),
                ],
                10,
            ),
            outcome="redirect-loop",
            loop=("http://site.test/", "https://www.site.test/"),
        )
    ),
    # A plain http -> https upgrade that ends in a page: no loop.
    subject(
        chain(
            hop("http://site.test/", 301, *CF, location="https://site.test/"),
            hop("https://site.test/", 200, *CF),
        )
    ),
    # https to itself, but because the session cookie is refused: cookie-never-sticks-loop.
    subject(
        chain(
            *repeat(
                [("https://app.site.test/", 302, "https://app.site.test/")],
                10,
                ("Set-Cookie", "sid=1; Domain=backend.internal; Path=/"),
            ),
            outcome="redirect-loop",
            loop=("https://app.site.test/",),
        )
    ),
]
