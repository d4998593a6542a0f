"""http-not-redirected-to-https: http serves pages although https works; look-alikes."""

from __future__ import annotations

from tests.diagnose_builders import chain, error_hop, hop, hsts_hop, subject, tls_error_hop

STS = ("Strict-Transport-Security", "max-age=31536000")

_https_ok = chain(hop("https://site.test/", 200))


_plain = chain(hop("http://site.test/", 200))
_upgraded = chain(
    hsts_hop("http://site.test/", source="site.test", header=STS[1]),
    hop("https://site.test/", 200, STS),
)
_to_www = chain(
    hop("http://site.test/", 301, location="http://www.site.test/"),
    hop("http://www.site.test/", 200),
)

POSITIVE = [
    # Both schemes serve the page; nothing sends http visitors to https.
    subject(_plain, http_variant=_plain, https_variant=_https_ok),
    # The https URL was asked for; its http twin still serves the page.
    subject(_https_ok, https_variant=_https_ok, http_variant=chain(hop("http://site.test/", 200))),
    # A returning browser is upgraded by HSTS; a fresh one shows the server's real answer.
    subject(
        _upgraded,
        http_variant=_upgraded,
        fresh=chain(hop("http://site.test/", 200)),
        https_variant=_https_ok,
    ),
    # http redirects, but only to www over http again.
    subject(
        _to_www,
        http_variant=_to_www,
        https_variant=chain(
            hop("https://site.test/", 301, location="https://www.site.test/"),
            hop("https://www.site.test/", 200),
        ),
    ),
]

NEGATIVE = [
    # The right thing: 301 to https.
    subject(
        chain(
            hop("http://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 200),
        ),
        https_variant=_https_ok,
    ),
    # http works, but https has a certificate for other names: redirecting would break it.
    subject(
        _plain,
        http_variant=_plain,
        https_variant=chain(
            tls_error_hop("https://site.test/", failure="name-mismatch"), outcome="error"
        ),
    ),
    # Nothing listens on 443.
    subject(
        _plain,
        http_variant=_plain,
        https_variant=chain(error_hop("https://site.test/", "connect", "Connection refused")),
    ),
    # http ends in a 404, not a page served over http.
    subject(
        chain(hop("http://site.test/x", 404)), https_variant=chain(hop("https://site.test/x", 200))
    ),
    # A meta refresh to https: a weak redirect, but a redirect (other rules judge it).
    subject(
        chain(
            hop(
                "http://site.test/",
                200,
                page=b'<meta http-equiv="refresh" content="0; url=https://site.test/">',
            )
        ),
        https_variant=_https_ok,
    ),
    # Only the HSTS-upgraded trace exists: the server's http answer is unknown.
    subject(_upgraded, http_variant=_upgraded, https_variant=_https_ok),
    # https loops on itself: nothing to redirect to yet.
    subject(
        _plain,
        http_variant=_plain,
        https_variant=chain(
            hop("https://site.test/", 301, location="https://site.test/"),
            hop("https://site.test/", 301, location="https://site.test/"),
            outcome="redirect-loop",
            loop=("https://site.test/",),
        ),
    ),
    # https sends visitors back to http: an http->https redirect would loop.
    subject(
        _plain,
        http_variant=_plain,
        https_variant=chain(
            hop("https://site.test/", 301, location="http://site.test/"),
            hop("http://site.test/", 200),
        ),
    ),
]
