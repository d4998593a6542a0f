"""Why a header was not sent, or why a hop failed, in both languages: the report's words
for each kind say in English exactly what the JSON says, and the Russian is there too.

Every kind of dropped header is produced by the real tracer on a tiny web, so a new kind
without words, or words that drift from the reason, fail here.
"""

from __future__ import annotations

import pytest

from httpdoctor.i18n import Lang
from httpdoctor.report.messages import message
from httpdoctor.trace.model import Chain, DroppedHeader, Observation, Request
from httpdoctor.trace.profiles import profile_named
from httpdoctor.trace.tracer import Done, Tracer

pytestmark = pytest.mark.unit


def _chain(profile: str, request: Request, web: dict[str, Observation], page: str) -> Chain:
    tracer = Tracer(
        request=request, profile=profile_named(profile), now=0.0, fresh_browser=True,
        referrer=page,
    )  # fmt: skip
    while not isinstance(action := tracer.next_action(), Done):
        tracer.receive(web.get(action.request.url, Observation(status=200, at=0.0)))
    return action.chain


def _redirect(status: int, location: str, *extra: tuple[str, str]) -> Observation:
    return Observation(status=status, headers=(("Location", location), *extra), at=0.0)


def _every_kind() -> list[DroppedHeader]:
    form = (("Content-Type", "application/x-www-form-urlencoded"),)
    post = Request(url="https://a.test/form", method="POST", headers=form, body=b"x=1")
    auth = Request(
        url="https://a.test/api",
        method="GET",
        headers=(("Authorization", "Bearer t"), ("Cookie", "c=1")),
    )
    chains = [
        # 302 turns the POST into a GET (method), a 301 after a PUT in requests drops the body
        _chain("chrome", post, {post.url: _redirect(302, "/next")}, "https://a.test/cart"),
        _chain(
            "requests",
            Request(url="https://a.test/up", method="PUT", headers=form, body=b"x"),
            {"https://a.test/up": _redirect(301, "/elsewhere")},
            "https://a.test/",
        ),
        # requests rebuilds Cookie from its jar; Authorization goes on an origin change
        _chain(
            "requests", auth, {auth.url: _redirect(302, "https://b.test/api")}, "https://a.test/"
        ),
        # an https page's Referer is withheld on the way to http; a Strict cookie held back
        _chain(
            "chrome",
            Request(url="https://a.test/go", method="GET"),
            {
                "https://a.test/go": _redirect(
                    302, "http://a.test/plain", ("Set-Cookie", "s=1; SameSite=Strict")
                ),
                "http://a.test/plain": _redirect(302, "https://a.test/back"),
            },
            "https://elsewhere.test/page",
        ),
    ]
    return [d for chain in chains for hop in chain.hops for d in hop.dropped_headers]


def test_every_kind_of_dropped_header_is_produced_here() -> None:
    kinds = {d.why for d in _every_kind()}
    assert kinds == {"method", "body", "jar", "origin", "policy", "samesite"}


@pytest.mark.parametrize("dropped", _every_kind(), ids=lambda d: f"{d.why}-{d.name}")
def test_the_reports_english_is_the_jsons_reason_and_russian_exists(
    dropped: DroppedHeader,
) -> None:
    fields = dict(dropped.details)
    english = message(f"trace.dropped-{dropped.why}", Lang.EN, **fields)
    russian = message(f"trace.dropped-{dropped.why}", Lang.RU, **fields)
    assert english == dropped.reason
    assert russian != english


def test_every_failure_in_our_own_words_has_both_languages_and_the_same_english() -> None:
    from httpdoctor.report.messages import catalogue
    from httpdoctor.trace.failures import FAILURES

    words = catalogue()
    for why, english in FAILURES.items():
        text = words[f"trace.failure-{why}"]
        assert text.en == english, why
        assert text.ru != text.en, why


def test_a_worded_failure_reaches_the_hop_with_its_key() -> None:
    from httpdoctor.fetch.connection import Timeout
    from httpdoctor.fetch.fetcher import _error
    from httpdoctor.trace.model import ErrorKind

    error = _error(ErrorKind.TIMEOUT, Timeout.worded("deadline"), "timed out")
    assert (error.message, error.why) == ("the overall --timeout ran out", "deadline")
    foreign = _error(ErrorKind.PROTOCOL, Timeout("[Errno 104] Connection reset"), "broke")
    assert (foreign.message, foreign.why) == ("[Errno 104] Connection reset", "")
