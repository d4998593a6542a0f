"""redirect-without-location: 3xx responses that name no target, and look-alikes."""

from __future__ import annotations

from tests.diagnose_builders import chain, hop, hsts_hop, subject

POSITIVE = [
    # PHP set the status and forgot the header: the visitor sees the stub page.
    subject(
        chain(
            hop(
                "https://site.test/old",
                301,
                ("Content-Type", "text/html"),
                reason="Moved Permanently",
                page=b"<html><body>Moved</body></html>",
            )
        )
    ),
    # An empty Location (a variable that turned out blank), after a working redirect.
    subject(
        chain(
            hop("http://site.test/go", 301, location="https://site.test/go"),
            hop("https://site.test/go", 302, ("Location", "  "), ("Refresh", "0; url=/home")),
        )
    ),
    # After the browser's own HSTS upgrade, the server's 301 names no target.
    subject(
        chain(
            hsts_hop("http://site.test/old", source="site.test", header="max-age=600"),
            hop("https://site.test/old", 301),
        )
    ),
    # Only the other scheme of the address is broken.
    subject(
        chain(hop("https://site.test/", 200)),
        http_variant=chain(hop("http://site.test/", 308)),
    ),
]

NEGATIVE = [
    # A proper redirect.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 200),
        )
    ),
    # 300 Multiple Choices and 304 Not Modified need no Location.
    subject(chain(hop("https://site.test/choose", 300))),
    subject(chain(hop("https://site.test/cached", 304))),
    # The browser's own 307 (it always names the target), then a page.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", header="max-age=600"),
            hop("https://site.test/", 200),
        )
    ),
]
