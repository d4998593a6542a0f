"""URLs as browsers parse them: Location resolution (RFC 9110 §10.2.2, Fetch "location URL",
redirect-semantics.md §2.5) and the HSTS scheme upgrade (hsts-preload-spec.md §3.5)."""

from __future__ import annotations

import pytest

from httpdoctor.errors import UsageError
from httpdoctor.trace.urls import Origin, https_upgrade, origin_of, parse_target, resolve_location

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("base", "location", "resolved"),
    [
        # Relative references resolve against the request URL.
        ("http://a.example/x/y", b"z", "http://a.example/x/z"),
        ("http://a.example/x/y", b"../z", "http://a.example/z"),
        ("http://a.example/x/y", b"/z", "http://a.example/z"),
        ("http://a.example/x/y?old", b"?new=1", "http://a.example/x/y?new=1"),
        ("http://a.example/x/", b".", "http://a.example/x/"),
        # Absolute references replace everything.
        ("http://a.example/x", b"https://b.example/p?q", "https://b.example/p?q"),
        ("http://a.example/x", b"HTTPS://B.Example:443/p", "https://b.example/p"),
        # Scheme-relative references keep the current scheme.
        ("https://a.example/x", b"//b.example/p", "https://b.example/p"),
        ("http://a.example/x", b"//b.example/p", "http://b.example/p"),
        ("http://a.example:8080/x", b"//b.example/p", "http://b.example/p"),
        # Surrounding spaces and tabs are not part of the value.
        ("http://a.example/", b"  /z\t", "http://a.example/z"),
        # Browsers percent-encode non-ASCII bytes of the raw header (crbug.com/942073).
        ("http://a.example/", "/café".encode(), "http://a.example/caf%C3%A9"),
        ("http://a.example/", b"/caf\xe9", "http://a.example/caf%E9"),
        ("http://a.example/", "/?q=é".encode(), "http://a.example/?q=%C3%A9"),
    ],
)
def test_location_resolves_against_the_request_url(
    base: str, location: bytes, resolved: str
) -> None:
    assert resolve_location(base, location) == resolved


@pytest.mark.parametrize(
    ("base", "location", "resolved"),
    [
        # No fragment in the Location: the request's fragment carries over (§10.2.2).
        ("http://a.example/x#larry", b"/z", "http://a.example/z#larry"),
        ("http://a.example/x#larry", b"https://b.example/", "https://b.example/#larry"),
        ("http://a.example/x#larry", b"?q=1", "http://a.example/x?q=1#larry"),
        # A fragment in the Location wins.
        ("http://a.example/x#larry", b"/z#moe", "http://a.example/z#moe"),
        # An empty fragment is still a fragment component (Fetch: only a *null* fragment
        # inherits), so nothing carries over.
        ("http://a.example/x#larry", b"/z#", "http://a.example/z#"),
        # Nothing to inherit.
        ("http://a.example/x", b"/z", "http://a.example/z"),
    ],
)
def test_a_location_without_fragment_inherits_the_requests(
    base: str, location: bytes, resolved: str
) -> None:
    assert resolve_location(base, location) == resolved


@pytest.mark.parametrize(
    "location",
    [
        b"http://",
        b"http://[::1",
        b"http://exa mple.com/",
        b"https://a.example:99999/",
        b"http://a%00b.example/",
    ],
)
def test_an_unparseable_location_resolves_to_none(location: bytes) -> None:
    assert resolve_location("http://a.example/", location) is None


@pytest.mark.parametrize(
    ("url", "upgraded"),
    [
        ("http://a.example/", "https://a.example/"),
        # :80 was the default for http and is gone from the canonical URL, so the
        # upgrade lands on https's default 443.
        ("http://a.example:80/x", "https://a.example/x"),
        # Any other explicit port is kept: only the scheme changes.
        ("http://a.example:8080/x?q=1#f", "https://a.example:8080/x?q=1#f"),
        ("http://a.example:8443/", "https://a.example:8443/"),
        # An explicit :443 on http becomes https's default port.
        ("http://a.example:443/", "https://a.example/"),
        # Path, query, fragment and credentials are untouched.
        ("http://u:p@a.example/p/q?x=1#frag", "https://u:p@a.example/p/q?x=1#frag"),
    ],
)
def test_https_upgrade_changes_only_the_scheme(url: str, upgraded: str) -> None:
    assert https_upgrade(url) == upgraded


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://A.Example/x", Origin(scheme="http", host="a.example", port=80)),
        ("https://a.example/x", Origin(scheme="https", host="a.example", port=443)),
        ("http://a.example:8080/", Origin(scheme="http", host="a.example", port=8080)),
        ("https://a.example:443/", Origin(scheme="https", host="a.example", port=443)),
        ("http://[2001:db8::1]:81/", Origin(scheme="http", host="[2001:db8::1]", port=81)),
    ],
)
def test_origin_fills_in_default_ports(url: str, origin: Origin) -> None:
    assert origin_of(url) == origin


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("http://example.com", "http://example.com/"),
        ("  https://Example.COM/a b  ", "https://example.com/a%20b"),
        # A bare host is taken as http://, as curl does.
        ("example.com/path", "http://example.com/path"),
        ("example.com:8080", "http://example.com:8080/"),
    ],
)
def test_a_target_is_normalised(text: str, url: str) -> None:
    assert parse_target(text) == url


@pytest.mark.parametrize("text", ["", "ftp://example.com/", "http://", "/just/a/path"])
def test_a_target_that_is_not_an_http_url_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_target(text)
    assert caught.value.hint
