"""vendor-status: codes that mean something specific for their sender, and look-alikes."""

from __future__ import annotations

from tests.diagnose_builders import chain, hop, subject

POSITIVE = [
    # Cloudflare could not make sense of the origin's answer.
    subject(
        chain(hop("https://site.test/", 520, ("Server", "cloudflare"), ("CF-RAY", "8a1b-AMS")))
    ),
    # nginx logged that the client went away (seen through a proxy in front of it).
    subject(chain(hop("https://api.site.test/report", 499, ("Server", "nginx/1.24.0")))),
    # After a redirect, Cloudflare recognised by its CF-RAY header alone.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 522, ("CF-RAY", "8a1b-FRA")),
        )
    ),
]

NEGATIVE = [
    # 520 without any sign of who sent it: no guessing.
    subject(chain(hop("https://site.test/", 520))),
    # nginx sending a standard 404.
    subject(chain(hop("https://site.test/missing", 404, ("Server", "nginx")))),
    # Cloudflare passing on a standard 503.
    subject(
        chain(hop("https://site.test/", 503, ("Server", "cloudflare"), ("CF-RAY", "8a1b-AMS")))
    ),
    # A 520 from a server that is not Cloudflare: Cloudflare's meaning does not apply.
    subject(chain(hop("https://site.test/", 520, ("Server", "nginx")))),
]
