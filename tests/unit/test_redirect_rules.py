"""The next request after a redirect, per client (redirect-semantics.md §2.2 method and body,
§2.3 Authorization and cookies), as profiles.toml and trace/rules.py produce it."""

from __future__ import annotations

import pytest

from httpdoctor.errors import UsageError
from httpdoctor.trace.model import Request
from httpdoctor.trace.profiles import load_profiles, profile_named
from httpdoctor.trace.rules import follow_up

pytestmark = pytest.mark.unit

BODY = b"a=1"
FROM = "https://a.example/form"
TO = "https://a.example/done"

# (client, status, method) -> (next method, body resent) per §2.2's comparison table.
KEPT = "kept"
METHOD_TABLE: list[tuple[str, int, str, str, bool]] = [
    # Fetch & Chromium: 301/302 turn only POST into GET; 303 turns all but GET/HEAD into GET.
    ("chrome", 301, "POST", "GET", False),
    ("chrome", 302, "POST", "GET", False),
    ("chrome", 303, "POST", "GET", False),
    ("chrome", 303, "PUT", "GET", False),
    ("chrome", 303, "DELETE", "GET", False),
    ("chrome", 303, "GET", "GET", False),
    ("chrome", 303, "HEAD", "HEAD", False),
    ("chrome", 301, "PUT", KEPT, True),
    ("chrome", 301, "PATCH", KEPT, True),
    ("chrome", 302, "PUT", KEPT, True),
    ("chrome", 302, "DELETE", KEPT, True),
    ("chrome", 301, "GET", "GET", False),
    ("chrome", 307, "POST", KEPT, True),
    ("chrome", 308, "POST", KEPT, True),
    ("chrome", 307, "PUT", KEPT, True),
    ("chrome", 308, "DELETE", KEPT, True),
    # curl -L: POST becomes GET on 301/302/303; other methods stay, except on 303.
    ("curl", 301, "POST", "GET", False),
    ("curl", 302, "POST", "GET", False),
    ("curl", 303, "POST", "GET", False),
    ("curl", 303, "PUT", "GET", False),
    ("curl", 301, "PUT", KEPT, True),
    ("curl", 302, "PUT", KEPT, True),
    ("curl", 302, "DELETE", KEPT, True),
    ("curl", 307, "POST", KEPT, True),
    ("curl", 308, "PUT", KEPT, True),
    # requests: 302/303 turn everything but HEAD into GET; 301 turns POST into GET and
    # drops the body of every other method (requests#2590).
    ("requests", 301, "POST", "GET", False),
    ("requests", 302, "POST", "GET", False),
    ("requests", 301, "PUT", KEPT, False),
    ("requests", 301, "PATCH", KEPT, False),
    ("requests", 301, "DELETE", KEPT, False),
    ("requests", 302, "PUT", "GET", False),
    ("requests", 302, "DELETE", "GET", False),
    ("requests", 303, "POST", "GET", False),
    ("requests", 303, "PUT", "GET", False),
    ("requests", 303, "HEAD", "HEAD", False),
    ("requests", 307, "POST", KEPT, True),
    ("requests", 308, "PUT", KEPT, True),
    # httpx: as requests for the method, but 301 keeps a non-POST body.
    ("httpx", 301, "POST", "GET", False),
    ("httpx", 302, "POST", "GET", False),
    ("httpx", 301, "PUT", KEPT, True),
    ("httpx", 301, "PATCH", KEPT, True),
    ("httpx", 302, "PUT", "GET", False),
    ("httpx", 303, "POST", "GET", False),
    ("httpx", 303, "DELETE", "GET", False),
    ("httpx", 303, "HEAD", "HEAD", False),
    ("httpx", 307, "POST", KEPT, True),
    ("httpx", 308, "PATCH", KEPT, True),
]


def _request(method: str, *headers: tuple[str, str], url: str = FROM) -> Request:
    body = None if method in ("GET", "HEAD") else BODY
    return Request(url=url, method=method, headers=headers, body=body)


def _names(request: Request) -> list[str]:
    return [name for name, _ in request.headers]


def _case_id(row: tuple[str, int, str, str, bool]) -> str:
    client, status, method, after, body = row
    return f"{client}-{status}-{method}-to-{method if after == KEPT else after}" + (
        "-with-body" if body else "-without-body"
    )


@pytest.mark.parametrize(
    ("client", "status", "method", "after", "body_resent"),
    METHOD_TABLE,
    ids=[_case_id(row) for row in METHOD_TABLE],
)
def test_method_and_body_after_a_redirect(
    client: str, status: int, method: str, after: str, body_resent: bool
) -> None:
    following, _ = follow_up(profile_named(client), _request(method), status, TO)
    assert following.url == TO
    assert following.method == (method if after == KEPT else after)
    if method not in ("GET", "HEAD"):
        assert following.body == (BODY if body_resent else None)


# -- body headers -------------------------------------------------------------------

CONTENT_HEADERS = (
    ("Content-Type", "application/x-www-form-urlencoded"),
    ("Content-Encoding", "identity"),
    ("Content-Language", "en"),
    ("Content-Location", "/form"),
    ("Content-Length", "3"),
)


def test_chrome_drops_every_request_body_header_when_post_becomes_get() -> None:
    # Fetch step 7: request-body-header names are deleted with the body.
    request = _request("POST", ("Accept", "*/*"), *CONTENT_HEADERS)
    following, dropped = follow_up(profile_named("chrome"), request, 302, TO)
    assert _names(following) == ["Accept"]
    assert [d.name for d in dropped] == [name for name, _ in CONTENT_HEADERS]
    assert all("GET" in d.reason and "302" in d.reason for d in dropped)


def test_httpx_keeps_content_type_when_post_becomes_get() -> None:
    # §2.2: httpx removes only Content-Length and Transfer-Encoding.
    request = _request("POST", ("Content-Type", "text/plain"), ("Content-Length", "3"))
    following, dropped = follow_up(profile_named("httpx"), request, 301, TO)
    assert _names(following) == ["Content-Type"]
    assert [d.name for d in dropped] == ["Content-Length"]


def test_requests_drops_the_body_headers_of_a_put_after_301() -> None:
    request = _request("PUT", ("Content-Type", "text/plain"), ("Content-Length", "3"))
    following, dropped = follow_up(profile_named("requests"), request, 301, TO)
    assert (following.method, following.body, _names(following)) == ("PUT", None, [])
    assert {d.name for d in dropped} == {"Content-Type", "Content-Length"}
    assert all("301" in d.reason for d in dropped)


@pytest.mark.parametrize("client", ["chrome", "curl", "requests", "httpx"])
@pytest.mark.parametrize("status", [307, 308])
def test_307_and_308_keep_every_header_and_the_body(client: str, status: int) -> None:
    request = _request("POST", *CONTENT_HEADERS)
    following, dropped = follow_up(profile_named(client), request, status, TO)
    assert (following.method, following.body, following.headers) == ("POST", BODY, CONTENT_HEADERS)
    assert dropped == ()


# -- Authorization ------------------------------------------------------------------

SAME_PATH = "https://a.example/other"
AUTH_TABLE: list[tuple[str, str, str, bool]] = [
    # Fetch: any origin change drops it, http -> https on the same host included.
    ("chrome", "https://a.example/x", SAME_PATH, True),
    ("chrome", "http://a.example/x", "https://a.example/x", False),
    ("chrome", "https://a.example/x", "https://b.example/x", False),
    ("chrome", "https://a.example/x", "https://a.example:8443/x", False),
    ("chrome", "https://a.example/x", "http://a.example/x", False),
    # curl: credentials go to the initial host only; a host change drops them, and so does a
    # port change (CVE-2022-27774).
    ("curl", "https://a.example/x", SAME_PATH, True),
    ("curl", "https://a.example/x", "https://b.example/x", False),
    ("curl", "https://a.example/x", "https://a.example:8443/x", False),
    # requests: host, scheme or port change drops it, except http:80 -> https:443 on the
    # same host.
    ("requests", "https://a.example/x", SAME_PATH, True),
    ("requests", "http://a.example/x", "https://a.example/x", True),
    ("requests", "http://a.example:80/x", "https://a.example:443/x", True),
    ("requests", "http://a.example/x", "https://b.example/x", False),
    ("requests", "https://a.example/x", "http://a.example/x", False),
    ("requests", "http://a.example/x", "http://a.example:8080/x", False),
    ("requests", "http://a.example:8080/x", "https://a.example:8443/x", False),
    ("requests", "https://a.example/x", "https://b.example/x", False),
    # httpx: same-origin, or same-host http -> https on default ports.
    ("httpx", "https://a.example/x", SAME_PATH, True),
    ("httpx", "http://a.example/x", "https://a.example/x", True),
    ("httpx", "http://a.example/x", "https://a.example:8443/x", False),
    ("httpx", "http://a.example:8080/x", "https://a.example/x", False),
    ("httpx", "https://a.example/x", "http://a.example/x", False),
    ("httpx", "https://a.example/x", "https://b.example/x", False),
]


@pytest.mark.parametrize(
    ("client", "start", "target", "kept"),
    AUTH_TABLE,
    ids=[
        f"{c}-{s}-to-{t}-{'kept' if k else 'dropped'}".replace("https://", "s:").replace(
            "http://", "h:"
        )
        for c, s, t, k in AUTH_TABLE
    ],
)
def test_authorization_across_a_redirect(client: str, start: str, target: str, kept: bool) -> None:
    request = _request("GET", ("Authorization", "Bearer t"), ("Accept", "*/*"), url=start)
    following, dropped = follow_up(profile_named(client), request, 302, target)
    if kept:
        assert _names(following) == ["Authorization", "Accept"]
        assert dropped == ()
    else:
        assert _names(following) == ["Accept"]
        assert [d.name for d in dropped] == ["Authorization"]
        assert dropped[0].reason.strip()


def test_the_authorization_reason_names_both_origins() -> None:
    request = _request("GET", ("authorization", "Basic x"), url="http://a.example/")
    _, dropped = follow_up(profile_named("chrome"), request, 301, "https://a.example/")
    assert [d.name for d in dropped] == ["authorization"]
    assert "http://a.example:80" in dropped[0].reason
    assert "https://a.example:443" in dropped[0].reason


def test_curl_drops_a_cookie_header_given_with_h_when_the_host_changes() -> None:
    # §2.3: "This covers Authorization: and a Cookie: set with -H."
    request = _request("GET", ("Cookie", "sid=1"), ("X-Custom", "y"))
    following, dropped = follow_up(profile_named("curl"), request, 302, "https://b.example/")
    assert _names(following) == ["X-Custom"]
    assert [d.name for d in dropped] == ["Cookie"]


def test_curl_keeps_a_cookie_header_on_the_same_host() -> None:
    request = _request("GET", ("Cookie", "sid=1"))
    following, dropped = follow_up(profile_named("curl"), request, 302, TO)
    assert (_names(following), dropped) == (["Cookie"], ())


@pytest.mark.parametrize("client", ["requests", "httpx"])
@pytest.mark.parametrize("target", [TO, "https://b.example/"])
def test_requests_and_httpx_never_resend_the_callers_cookie_header(
    client: str, target: str
) -> None:
    # §2.3: both drop the outgoing Cookie header and rebuild it from the jar on each hop.
    request = _request("GET", ("Cookie", "sid=1"), ("Accept", "*/*"))
    following, dropped = follow_up(profile_named(client), request, 302, target)
    assert _names(following) == ["Accept"]
    assert [d.name for d in dropped] == ["Cookie"]
    assert dropped[0].reason.strip()


@pytest.mark.parametrize("client", ["chrome", "curl", "requests", "httpx"])
def test_other_headers_cross_origins_untouched(client: str) -> None:
    request = _request("GET", ("X-Trace", "1"), ("Accept-Language", "ru"))
    following, dropped = follow_up(profile_named(client), request, 301, "http://b.example/")
    assert following.headers == (("X-Trace", "1"), ("Accept-Language", "ru"))
    assert dropped == ()


# -- the profiles themselves ----------------------------------------------------------


@pytest.mark.parametrize(
    ("client", "limit"),
    [
        # chrome: kMaxRedirects is 20, but a navigation is refused at its 20th redirect
        # response, so 19 are followed (comment in data/profiles.toml).
        ("chrome", 19),
        ("curl", 50),
        ("requests", 30),
        ("httpx", 20),
        ("googlebot", 10),
    ],
)
def test_each_profile_has_its_clients_redirect_limit(client: str, limit: int) -> None:
    assert profile_named(client).max_redirects == limit


@pytest.mark.parametrize(
    ("client", "status", "followed"),
    [
        ("chrome", 301, True),
        ("chrome", 308, True),
        ("chrome", 300, False),
        ("chrome", 304, False),
        ("chrome", 305, False),
        ("curl", 300, True),
        ("curl", 304, True),
        ("curl", 399, True),
        ("curl", 200, False),
        ("requests", 300, False),
        ("httpx", 306, False),
    ],
)
def test_which_statuses_a_client_follows(client: str, status: int, followed: bool) -> None:
    assert profile_named(client).follows_status(status) is followed


def test_profile_names_are_case_and_space_insensitive() -> None:
    assert profile_named("  Chrome ").id == "chrome"


def test_an_unknown_profile_is_a_usage_error_listing_the_known_ones() -> None:
    with pytest.raises(UsageError) as caught:
        profile_named("netscape")
    assert caught.value.hint is not None
    assert all(name in caught.value.hint for name in load_profiles())
