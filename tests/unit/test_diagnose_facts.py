"""Facts the diagnosis rules share, where their wording reaches the user."""

from __future__ import annotations

import pytest

from httpdoctor.diagnose.facts import held_back, reason_of, status_line
from httpdoctor.trace.cookies import Cookie, HeldBack, held_back_note, read_held_back
from httpdoctor.trace.model import Chain, DroppedHeader, Observation, Request
from httpdoctor.trace.profiles import profile_named
from httpdoctor.trace.tracer import Done, Tracer
from tests.diagnose_builders import hop

pytestmark = pytest.mark.unit


def test_a_status_is_quoted_with_the_servers_own_reason_phrase() -> None:
    assert status_line(hop("http://a.test/", 500, reason="Kaputt")) == "500 Kaputt"


def test_without_a_reason_phrase_the_standard_name_stands_in() -> None:
    # HTTP/2 responses carry no reason phrase at all.
    answered = hop("https://a.test/", 503)
    assert reason_of(answered) == "Service Unavailable"
    assert status_line(answered) == "503 Service Unavailable"


def test_an_unassigned_code_without_a_phrase_is_just_the_number() -> None:
    assert status_line(hop("https://a.test/", 591)) == "591"


# -- cookies SameSite held back: the tracer's note, read back -----------------------------

IDP = "https://idp.test/login"


def _callback_chain() -> Chain:
    """A POST callback that sets three cookies and carries the POST on twice (307), the
    second time after the no-SameSite cookie's two minutes have passed."""
    cookies = ("strict=1; SameSite=Strict", "lax=1; SameSite=Lax", "plain=1")
    web = {
        "https://app.test/callback": Observation(
            status=307,
            headers=(("Location", "/a"), *(("Set-Cookie", c) for c in cookies)),
            at=0.0,
        ),
        "https://app.test/a": Observation(status=307, headers=(("Location", "/b"),), at=500.0),
    }
    tracer = Tracer(
        request=Request(url="https://app.test/callback", method="POST", body=b"code=1"),
        profile=profile_named("chrome"),
        now=0.0,
        fresh_browser=True,
        referrer=IDP,
    )
    while not isinstance(action := tracer.next_action(), Done):
        tracer.receive(web.get(action.request.url, Observation(status=200, at=500.0)))
    return action.chain


def test_the_tracers_held_back_cookies_read_back_with_name_samesite_page_and_method() -> None:
    callback, first, second = _callback_chain().hops
    assert held_back(callback) == []
    assert held_back(first) == [
        HeldBack(cookie="strict", same_site="strict", page=IDP, method="POST"),
        HeldBack(cookie="lax", same_site="lax", page=IDP, method="POST"),
    ]  # the young cookie without SameSite still rides on the POST
    assert [(h.cookie, h.same_site) for h in held_back(second)] == [
        ("strict", "strict"),
        ("lax", "lax"),
        ("plain", ""),  # Lax by default, and now older than two minutes
    ]


@pytest.mark.parametrize(
    ("name", "page"),
    [
        ("", IDP),  # a nameless cookie
        ("__Host-sid", "https://idp.test/a?next=x: SameSite=Lax, and y started this GET"),
    ],
)
def test_a_held_back_note_reads_back_whatever_the_name_and_page(name: str, page: str) -> None:
    cookie = Cookie(
        name=name, value="v", domain="app.test", host_only=True, path="/", secure=True,
        expires_at=None, same_site="strict",
    )  # fmt: skip
    assert read_held_back(held_back_note(cookie, page, "PATCH")) == HeldBack(
        cookie=name, same_site="strict", page=page, method="PATCH"
    )


def test_other_dropped_headers_are_no_held_back_cookies() -> None:
    dropped = (
        ("Cookie", "Chrome rebuilds Cookie from its cookie jar on every redirect"),
        ("Referer", "the referrer policy no-referrer sends none from https://a.test/ to this URL"),
        ("Authorization", "Chrome drops it when the origin changes"),
    )
    assert held_back(hop("https://app.test/", 200, dropped=dropped)) == []
    # Only the tracer's note counts, not a reason that merely reads like one.
    look_alike = "session: SameSite=None, and https://a.test/ started this GET"
    assert read_held_back(DroppedHeader(name="Cookie", reason=look_alike)) is None
