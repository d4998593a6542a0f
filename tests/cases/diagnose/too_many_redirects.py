"""too-many-redirects: chains that outrun the limit without a cycle, and their look-alikes."""

from __future__ import annotations

from httpdoctor.trace.model import Hop
from tests.diagnose_builders import chain, error_hop, hop, subject


def _steps(count: int, *, last: int | None = None) -> list[Hop]:
    """/p/0 -> /p/1 -> ... : ``count`` redirects, then ``last`` (a status) if given."""
    hops = [
        hop(f"https://site.test/p/{i}", 302, location=f"https://site.test/p/{i + 1}")
        for i in range(count)
    ]
    if last is not None:
        hops.append(hop(f"https://site.test/p/{count}", last))
    return hops


def _growing(count: int) -> list[Hop]:
    urls = ["https://site.test/" + "en/" * (i + 1) for i in range(count + 1)]
    return [hop(urls[i], 302, location=urls[i + 1]) for i in range(count)]


def _counter(count: int) -> list[Hop]:
    """The same URL again and again, each time with a new value of a cookie."""
    url = "https://site.test/"
    return [
        hop(
            url,
            302,
            ("Set-Cookie", f"n={i + 1}"),
            location=url,
            request_headers=(("Cookie", f"n={i}"),) if i else (),
        )
        for i in range(count)
    ]


POSITIVE = [
    # 20 different URLs; curl, allowed 50, finds the end at 25.
    subject(
        chain(*_steps(20), outcome="too-many-redirects"),
        curl=chain(*_steps(25, last=200), profile="curl"),
    ),
    # The path grows: /en/ -> /en/en/ -> ... and nothing else is known.
    subject(chain(*_growing(20), outcome="too-many-redirects")),
    # A counter cookie makes every repeat a new request; curl (no cookies) gives up too.
    subject(
        chain(*_counter(20), outcome="too-many-redirects"),
        curl=chain(*_steps(51), outcome="too-many-redirects", profile="curl"),
    ),
]

NEGATIVE = [
    # A cycle: the redirect-loop rule's case.
    subject(
        chain(
            *[
                hop("https://site.test/", 301, location="https://www.site.test/"),
                hop("https://www.site.test/", 301, location="https://site.test/"),
            ]
            * 10,
            outcome="redirect-loop",
            loop=("https://site.test/", "https://www.site.test/"),
        )
    ),
    # 19 redirects, the most Chrome follows, and then a page: long, but it ends.
    subject(chain(*_steps(19, last=200))),
    # A long chain that ends in an error instead (a Location that cannot be followed).
    subject(
        chain(
            *_steps(5),
            error_hop("https://site.test/p/5", "invalid_location", "bad Location"),
            outcome="error",
        )
    ),
]
