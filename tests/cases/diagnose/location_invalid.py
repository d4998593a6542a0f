"""location-invalid: Locations clients cannot follow or read alike, and look-alikes."""

from __future__ import annotations

from dataclasses import replace

from httpdoctor.trace.model import ErrorKind, Hop, HopError
from tests.diagnose_builders import chain, hop, subject


def _refused(url: str, status: int, raw: str, target: str | None) -> Hop:
    """A redirect the client would not follow, as the tracer records it."""
    base = hop(url, status, ("Location", raw))
    error = HopError(
        kind=ErrorKind.INVALID_LOCATION,
        message=f"the Location {raw!r} is not an http(s) URL the client can follow",
    )
    return replace(
        base,
        observation=replace(base.observation, error=error),
        location_raw=raw,
        location=target,
    )


def _followed(url: str, status: int, raw: str, target: str) -> Hop:
    return replace(hop(url, status, ("Location", raw)), location_raw=raw, location=target)


# "/каталог/" in UTF-8, as a header decoded byte by byte (latin-1) arrives.
_RAW_UTF8 = "/каталог/".encode().decode("latin-1")

POSITIVE = [
    # A redirect to an app scheme: browsers refuse.
    subject(
        chain(
            _refused(
                "https://site.test/app", 302, "tg://resolve?domain=site", "tg://resolve?domain=site"
            ),
            outcome="error",
        )
    ),
    # A Location that does not parse (a space in the host name).
    subject(
        chain(_refused("https://site.test/", 301, "https://www.site .test/", None), outcome="error")
    ),
    # Raw UTF-8 bytes in the path: browsers follow, scripts disagree (a warning).
    subject(
        chain(
            _followed(
                "https://site.test/catalog",
                301,
                _RAW_UTF8,
                "https://site.test/%D0%BA%D0%B0%D1%82%D0%B0%D0%BB%D0%BE%D0%B3/",
            ),
            hop("https://site.test/%D0%BA%D0%B0%D1%82%D0%B0%D0%BB%D0%BE%D0%B3/", 200),
        )
    ),
    # A space in the path of the target.
    subject(
        chain(
            _followed(
                "http://site.test/price",
                302,
                "/files/price list.pdf",
                "http://site.test/files/price%20list.pdf",
            ),
            hop("http://site.test/files/price%20list.pdf", 200),
        )
    ),
]

NEGATIVE = [
    # The same target, percent-encoded as it should be.
    subject(
        chain(
            _followed(
                "https://site.test/catalog",
                301,
                "/%D0%BA%D0%B0%D1%82%D0%B0%D0%BB%D0%BE%D0%B3/",
                "https://site.test/%D0%BA%D0%B0%D1%82%D0%B0%D0%BB%D0%BE%D0%B3/",
            ),
            hop("https://site.test/%D0%BA%D0%B0%D1%82%D0%B0%D0%BB%D0%BE%D0%B3/", 200),
        )
    ),
    # A relative Location with a query and a fragment is fine.
    subject(
        chain(
            _followed("https://site.test/a", 302, "../b?x=1#top", "https://site.test/b?x=1#top"),
            hop("https://site.test/b?x=1", 200),
        )
    ),
    # A non-ASCII Location on a response that is not a redirect (201 Created): never followed.
    subject(chain(hop("https://site.test/items", 201, ("Location", _RAW_UTF8)))),
]
