"""hsts-missing: valid https without any Strict-Transport-Security, and look-alikes."""

from __future__ import annotations

from httpdoctor.trace.model import Probe
from tests.diagnose_builders import chain, hop, hsts_hop, subject, tls

STS = ("Strict-Transport-Security", "max-age=31536000")


def _home_probe(host: str, header: str | None) -> Probe:
    """The returning browser's visit of https://host/ before the trace."""
    return Probe(
        host=host,
        url=f"https://{host}/",
        status=200,
        sts_header=header,
        learned=header is not None,
        tls=tls(),
    )


POSITIVE = [
    # The usual redirect to https, and no header on the https page.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 200),
        )
    ),
    # https apex -> https www, neither sends it (curl agrees).
    subject(
        chain(
            hop("https://site.test/", 301, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        ),
        curl=chain(
            hop("https://site.test/", 301, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        ),
    ),
    # Preloaded, so browsers upgrade anyway; the host itself still sends nothing.
    subject(
        chain(
            hsts_hop("http://app.site.dev/", source="dev", via="preload"),
            hop("https://app.site.dev/", 200),
        )
    ),
    # This browser learned a policy earlier, but the site no longer sends the header.
    subject(
        chain(
            hsts_hop("http://site.test/", source="site.test", header="max-age=600"),
            hop("https://site.test/", 200),
        )
    ),
    # Covered only by the parent's includeSubDomains, for visitors who went there.
    subject(
        chain(
            hsts_hop(
                "http://info.site.test/",
                source="site.test",
                header="max-age=31536000; includeSubDomains",
            ),
            hop("https://info.site.test/", 200),
        )
    ),
]

NEGATIVE = [
    # The header is there.
    subject(chain(hop("https://site.test/", 200, STS))),
    # A certificate browsers reject: HSTS could not be learned anyway (another rule's case).
    subject(chain(hop("https://site.test/", 200, tls_info=tls(failure="self-signed")))),
    # An IP address: browsers keep no HSTS for it.
    subject(chain(hop("https://192.0.2.10/", 200, tls_info=tls(names=("192.0.2.10",))))),
    # https only redirects to itself (a CDN in Flexible mode): a loop, not a working site.
    subject(
        chain(
            hop("https://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 301, location="https://site.test/"),
            outcome="redirect-loop",
            loop=("https://site.test/",),
        )
    ),
    # https only fails (500): not "answers over valid https".
    subject(chain(hop("https://site.test/", 500))),
    # The home page sends it (the returning browser's probe); only this path lacks it.
    subject(
        chain(
            hop("https://site.test/page", 200),
            probes=(_home_probe("site.test", STS[1]),),
        )
    ),
    # The main trace stays on http; the https variant does send the header.
    subject(
        chain(hop("http://site.test/", 200)),
        https_variant=chain(hop("https://site.test/", 200, STS)),
    ),
]
