"""canonical-host-ping-pong: www <-> bare domain and sibling-name loops, and the loops and
chains that only look like them (other sites, one host, a single canonical redirect)."""

from __future__ import annotations

from httpdoctor.trace.model import Hop
from tests.diagnose_builders import chain, hop, subject


def repeat(steps: list[tuple[str, str, tuple[tuple[str, str], ...]]], times: int) -> list[Hop]:
    """``times`` turns of a loop; each step is (URL, Location, extra response headers)."""
    return [
        hop(url, 301, *extra, location=location)
        for _ in range(times)
        for url, location, extra in steps
    ]


POSITIVE = [
    # The panel forces www (nginx), WordPress forces the bare domain.
    subject(
        chain(
            *repeat(
                [
                    ("http://site.test/", "http://www.site.test/", (("Server", "nginx"),)),
                    (
                        "http://www.site.test/",
                        "http://site.test/",
                        (("Server", "nginx"), ("X-Redirect-By", "WordPress")),
                    ),
                ],
                10,
            ),
            outcome="redirect-loop",
            loop=("http://site.test/", "http://www.site.test/"),
        )
    ),
    # Over https, behind Cloudflare, with a first hop before the loop; the limit hit first.
    subject(
        chain(
            hop("http://www.site.test/blog/", 301, location="https://www.site.test/blog/"),
            *repeat(
                [
                    (
                        "https://www.site.test/blog/",
                        "https://site.test/blog/",
                        (("Server", "cloudflare"), ("CF-RAY", "8c0ffee-AMS")),
                    ),
                    ("https://site.test/blog/", "https://www.site.test/blog/", ()),
                ],
                9,
            ),
            outcome="too-many-redirects",
        )
    ),
    # A mobile subdomain and the main site send visitors to each other.
    subject(
        chain(
            *repeat(
                [
                    ("https://m.site.test/", "https://site.test/", (("X-Powered-By", "PHP/8.2"),)),
                    ("https://site.test/", "https://m.site.test/", ()),
                ],
                10,
            ),
            outcome="redirect-loop",
            loop=("https://m.site.test/", "https://site.test/"),
        )
    ),
]

NEGATIVE = [
    # The ordinary canonical redirect: www to the bare domain, once, and a page.
    subject(
        chain(
            hop("https://www.site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 200),
        )
    ),
    # Two different sites bouncing visitors: not two names of one site.
    subject(
        chain(
            *repeat(
                [
                    ("https://site.test/", "https://other.example/", ()),
                    ("https://other.example/", "https://site.test/", ()),
                ],
                10,
            ),
            outcome="redirect-loop",
            loop=("https://site.test/", "https://other.example/"),
        )
    ),
    # A www redirect first, then the bare domain loops on itself (a scheme problem).
    subject(
        chain(
            hop("https://www.site.test/", 301, location="https://site.test/"),
            *repeat([("https://site.test/", "https://site.test/", ())], 18),
            outcome="redirect-loop",
            loop=("https://site.test/",),
        )
    ),
    # Three hosts of one domain passing visitors round: no ping-pong of two names.
    subject(
        chain(
            *repeat(
                [
                    ("https://a.site.test/", "https://b.site.test/", ()),
                    ("https://b.site.test/", "https://c.site.test/", ()),
                    ("https://c.site.test/", "https://a.site.test/", ()),
                ],
                6,
            ),
            outcome="redirect-loop",
            loop=("https://a.site.test/", "https://b.site.test/", "https://c.site.test/"),
        )
    ),
]
