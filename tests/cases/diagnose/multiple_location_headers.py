"""multiple-location-headers: several Location fields in one response, and look-alikes."""

from __future__ import annotations

from dataclasses import replace

from httpdoctor.trace.model import ErrorKind, HopError
from tests.diagnose_builders import chain, hop, subject

_REFUSED = HopError(kind=ErrorKind.PROTOCOL, message="several different Location headers")
_TWO = hop(
    "http://site.test/",
    301,
    ("Location", "https://site.test/"),
    ("Location", "https://www.site.test/"),
)

POSITIVE = [
    # nginx's return plus the application's own redirect: Chrome refuses (error).
    subject(
        chain(
            replace(
                _TWO,
                observation=replace(_TWO.observation, error=_REFUSED),
                location_raw="https://site.test/",
            ),
            outcome="error",
        )
    ),
    # The same value twice: tolerated by browsers (warning).
    subject(
        chain(
            hop(
                "http://site.test/",
                302,
                ("Location", "https://site.test/"),
                ("Location", "https://site.test/"),
                location="https://site.test/",
            ),
            hop("https://site.test/", 200),
        )
    ),
    # Only on the other scheme of the address.
    subject(
        chain(hop("https://site.test/", 200)),
        http_variant=chain(replace(_TWO, observation=replace(_TWO.observation, error=_REFUSED))),
    ),
]

NEGATIVE = [
    # One Location, next to a Content-Location: different headers.
    subject(
        chain(
            hop(
                "http://site.test/",
                301,
                ("Content-Location", "/index.html"),
                location="https://site.test/",
            ),
            hop("https://site.test/", 200),
        )
    ),
    # A real Location and an empty one: clients ignore the empty field.
    subject(
        chain(
            hop("http://site.test/", 301, ("Location", ""), ("Location", "https://site.test/")),
            hop("https://site.test/", 200),
        )
    ),
    # No Location at all.
    subject(chain(hop("https://site.test/", 200))),
]
