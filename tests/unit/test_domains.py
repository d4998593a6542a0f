"""Registrable domains and the parents a returning browser may have learned HSTS from.

Offline: the Public Suffix List snapshot bundled with tldextract. A public suffix itself
(``co.uk``) has no registrable domain, as for the preload checker's eTLD+1
(hsts-preload-spec.md §1.6).
"""

from __future__ import annotations

import pytest

from httpdoctor.hsts.domains import parents_up_to_registrable, registrable_domain

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("host", "registrable"),
    [
        ("example.com", "example.com"),
        ("www.example.com", "example.com"),
        ("a.b.c.example.com", "example.com"),
        # Multi-label public suffixes.
        ("site.co.uk", "site.co.uk"),
        ("info.site.co.uk", "site.co.uk"),
        ("deep.info.site.co.uk", "site.co.uk"),
        # Names under no listed suffix (RFC 6761 .test, ICANN's .internal): the last two labels.
        ("example.test", "example.test"),
        ("a.b.example.test", "example.test"),
        ("app.corp.internal", "corp.internal"),
        # Case and a trailing dot do not matter.
        ("WWW.Example.COM.", "example.com"),
        ("Info.Site.CO.UK", "site.co.uk"),
        # Internationalised names come back in their ASCII (IDNA) form.
        ("www.münchen.de", "xn--mnchen-3ya.de"),
    ],
)
def test_registrable_domain_of_a_name(host: str, registrable: str) -> None:
    assert registrable_domain(host) == registrable


@pytest.mark.parametrize(
    "host",
    [
        # IP addresses have no registrable domain.
        "127.0.0.1",
        "192.0.2.10",
        "::1",
        "[2001:db8::1]",
        # Single labels.
        "localhost",
        "test",
        "com",
        # A public suffix is not a registrable domain.
        "uk",
        "co.uk",
    ],
)
def test_hosts_without_a_registrable_domain(host: str) -> None:
    assert registrable_domain(host) is None


@pytest.mark.parametrize(
    ("host", "parents"),
    [
        ("example.com", ()),
        ("www.example.com", ("example.com",)),
        ("a.b.c.example.com", ("b.c.example.com", "c.example.com", "example.com")),
        # Never above the registrable domain: co.uk and uk are not asked about.
        ("info.site.co.uk", ("site.co.uk",)),
        ("site.co.uk", ()),
        ("a.b.example.test", ("b.example.test", "example.test")),
        ("WWW.Example.COM.", ("example.com",)),
        ("127.0.0.1", ()),
        ("[2001:db8::1]", ()),
        ("localhost", ()),
    ],
)
def test_parents_stop_at_the_registrable_domain(host: str, parents: tuple[str, ...]) -> None:
    assert parents_up_to_registrable(host) == parents
