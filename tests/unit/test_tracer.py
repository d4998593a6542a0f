"""The redirect engine driven by hand-made observations (tests/tracer_web.py): limits
and loops, errors and Locations, what crosses a hop, and the engine's own protocol.
Facts: redirect-semantics.md §2; HSTS is in test_tracer_hsts.py.
"""

from __future__ import annotations

import pytest

from httpdoctor.hsts.store import HstsStore
from httpdoctor.trace.model import (
    ErrorKind,
    HopError,
    Observation,
    Outcome,
    Request,
)
from httpdoctor.trace.profiles import profile_named
from httpdoctor.trace.tracer import Done, Fetch, Tracer
from tests.tracer_web import (
    NOW,
    OK,
    STS,
    TLS_OK,
    header_value,
    make_tracer,
    redirect_to,
    run_tracer,
    trace_through,
    urls_of,
)

pytestmark = pytest.mark.unit


# -- limits and loops -----------------------------------------------------------------


def _endless(count: int, prefix: str = "https://example.com/") -> dict[str, Observation]:
    return {f"{prefix}{i}": redirect_to(301, f"/{i + 1}") for i in range(count)}


def test_chrome_follows_19_redirects_and_refuses_the_20th() -> None:
    chain, fetches = run_tracer(make_tracer("https://example.com/0"), _endless(100))
    assert len(fetches) == 20
    assert len(chain.hops) == 20
    assert chain.hops[-1].request.url == "https://example.com/19"
    assert chain.outcome is Outcome.TOO_MANY_REDIRECTS
    assert chain.loop == ()
    assert chain.stop_reason is not None and "19" in chain.stop_reason


@pytest.mark.parametrize(
    ("profile", "limit"), [("curl", 50), ("requests", 30), ("httpx", 20), ("googlebot", 10)]
)
def test_every_client_stops_at_its_own_limit(profile: str, limit: int) -> None:
    chain = trace_through("https://example.com/0", _endless(100), profile)
    assert len(chain.hops) == limit + 1
    assert chain.outcome is Outcome.TOO_MANY_REDIRECTS


def test_a_chain_just_within_the_limit_finishes() -> None:
    chain = trace_through("https://example.com/0", _endless(19))
    assert (len(chain.hops), chain.outcome, chain.final_status) == (20, Outcome.OK, 200)


def test_the_limit_can_be_overridden() -> None:
    chain = trace_through("https://example.com/0", _endless(100), max_redirects=3)
    assert (len(chain.hops), chain.outcome) == (4, Outcome.TOO_MANY_REDIRECTS)


def test_a_synthetic_hsts_hop_counts_toward_the_limit() -> None:
    store = HstsStore().learn("example.com", STS, NOW)
    chain = trace_through("http://example.com/0", _endless(100), store=store)
    assert len(chain.hops) == 20
    assert chain.hops[0].synthetic
    assert chain.hops[-1].request.url == "https://example.com/18"
    assert chain.outcome is Outcome.TOO_MANY_REDIRECTS


def test_a_cycle_is_named_as_a_loop() -> None:
    web = {
        "https://example.com/a": redirect_to(302, "/b"),
        "https://example.com/b": redirect_to(302, "/a"),
    }
    chain = trace_through("https://example.com/a", web)
    assert chain.outcome is Outcome.REDIRECT_LOOP
    assert chain.loop == ("https://example.com/a", "https://example.com/b")
    assert len(chain.hops) == 20  # the count still decides when the client gives up


def test_an_http_https_ping_pong_is_a_loop_through_the_synthetic_hop() -> None:
    web = {"https://example.com/": redirect_to(301, "http://example.com/", tls=TLS_OK)}
    store = HstsStore().learn("example.com", STS, NOW)
    chain = trace_through("https://example.com/", web, store=store)
    assert chain.outcome is Outcome.REDIRECT_LOOP
    assert chain.loop == ("https://example.com/", "http://example.com/")


def test_a_self_redirect_that_sets_a_cookie_is_not_a_loop() -> None:
    # reqwest#717: "set a cookie and then redirect back to itself" is legitimate.
    tracer = make_tracer("https://example.com/login")
    first = tracer.next_action()
    assert isinstance(first, Fetch)
    tracer.receive(redirect_to(302, "/login", Set_Cookie="sid=1"))
    second = tracer.next_action()
    assert isinstance(second, Fetch)
    assert header_value(second.request.headers, "Cookie") == "sid=1"
    tracer.receive(OK)
    done = tracer.next_action()
    assert isinstance(done, Done)
    assert (done.chain.outcome, done.chain.loop) == (Outcome.OK, ())


# -- errors and Locations -------------------------------------------------------------


def test_an_error_observation_ends_the_trace_with_outcome_error() -> None:
    failure = HopError(kind=ErrorKind.TLS, message="certificate has expired")
    web = {
        "https://example.com/": redirect_to(301, "https://broken.example.com/"),
        "https://broken.example.com/": Observation(error=failure, at=NOW),
    }
    chain = trace_through("https://example.com/", web)
    assert chain.outcome is Outcome.ERROR
    assert chain.hops[-1].observation.error == failure
    assert chain.stop_reason == "certificate has expired"
    assert len(chain.hops) == 2


@pytest.mark.parametrize(
    "location", ["javascript:alert(1)", "ftp://example.com/file", "data:,hello", "mailto:a@b.c"]
)
def test_a_location_with_a_non_http_scheme_is_an_invalid_location(location: str) -> None:
    chain = trace_through(
        "https://example.com/", {"https://example.com/": redirect_to(302, location)}
    )
    hop = chain.hops[-1]
    assert chain.outcome is Outcome.ERROR
    assert hop.observation.error is not None
    assert hop.observation.error.kind is ErrorKind.INVALID_LOCATION
    assert hop.location_raw == location
    assert len(chain.hops) == 1


def test_an_unparseable_location_is_an_invalid_location() -> None:
    chain = trace_through(
        "https://example.com/", {"https://example.com/": redirect_to(302, "http://")}
    )
    error = chain.hops[-1].observation.error
    assert error is not None and error.kind is ErrorKind.INVALID_LOCATION
    assert chain.hops[-1].location is None


def test_two_different_locations_are_an_error_for_chrome() -> None:
    web = {"https://example.com/": redirect_to(302, "/a", "/b")}
    chain = trace_through("https://example.com/", web)
    error = chain.hops[-1].observation.error
    assert chain.outcome is Outcome.ERROR
    assert error is not None and error.kind is ErrorKind.PROTOCOL
    assert len(chain.hops) == 1


def test_curl_follows_an_exactly_repeated_location() -> None:
    web = {"https://example.com/": redirect_to(302, "/a", "/a")}
    chain = trace_through("https://example.com/", web, "curl")
    assert urls_of(chain) == ["https://example.com/", "https://example.com/a"]


@pytest.mark.parametrize(
    ("observation", "profile"),
    [
        (redirect_to(302, ""), "chrome"),  # an empty Location "doesn't count"
        (redirect_to(302, "   "), "chrome"),
        (Observation(status=302, at=NOW), "chrome"),  # no Location at all
        (redirect_to(300, "/choice"), "chrome"),  # 300 is shown, not followed
        (redirect_to(304, "/cached"), "requests"),
        (redirect_to(200, "/elsewhere"), "curl"),
    ],
)
def test_a_response_that_is_not_followed_ends_the_trace(
    observation: Observation, profile: str
) -> None:
    chain = trace_through("https://example.com/", {"https://example.com/": observation}, profile)
    assert (len(chain.hops), chain.outcome) == (1, Outcome.OK)
    assert chain.final_status == observation.status


def test_curl_follows_a_300_with_a_location() -> None:
    chain = trace_through(
        "https://example.com/", {"https://example.com/": redirect_to(300, "/c")}, "curl"
    )
    assert urls_of(chain) == ["https://example.com/", "https://example.com/c"]


def test_the_location_is_recorded_raw_and_resolved() -> None:
    web = {"https://example.com/a/b#top": redirect_to(301, "../c")}
    chain = trace_through("https://example.com/a/b#top", web)
    assert (chain.hops[0].location_raw, chain.hops[0].location) == (
        "../c",
        "https://example.com/c#top",
    )


# -- what crosses a hop ---------------------------------------------------------------


def test_cookies_set_on_a_302_are_sent_on_the_next_hop() -> None:
    web = {"https://example.com/login": redirect_to(302, "/home", Set_Cookie="sid=abc; Path=/")}
    chain = trace_through("https://example.com/login", web)
    assert header_value(chain.hops[0].request.headers, "Cookie") is None
    assert header_value(chain.hops[1].request.headers, "Cookie") == "sid=abc"


def test_a_secure_cookie_is_not_sent_over_http() -> None:
    web = {
        "https://example.com/": redirect_to(302, "http://example.com/", Set_Cookie="s=1; Secure")
    }
    chain = trace_through("https://example.com/", web)
    assert header_value(chain.hops[1].request.headers, "Cookie") is None


def test_a_client_without_a_jar_sends_no_cookies() -> None:
    web = {"https://example.com/login": redirect_to(302, "/home", Set_Cookie="sid=abc")}
    chain = trace_through("https://example.com/login", web, "curl")
    assert header_value(chain.hops[1].request.headers, "Cookie") is None


def test_post_after_302_becomes_get_and_the_hop_records_what_was_dropped() -> None:
    web = {"https://example.com/form": redirect_to(302, "/done")}
    tracer = Tracer(
        request=Request(
            url="https://example.com/form",
            method="POST",
            headers=(("Content-Type", "text/plain"),),
            body=b"x",
        ),
        profile=profile_named("chrome"),
        now=NOW,
        fresh_browser=True,
    )
    chain, _ = run_tracer(tracer, web)
    second = chain.hops[1]
    assert (second.request.method, second.request.body, second.request.headers) == ("GET", None, ())
    assert [d.name for d in second.dropped_headers] == ["Content-Type"]
    assert chain.hops[0].dropped_headers == ()


def test_authorization_does_not_come_back_after_leaving_the_origin() -> None:
    # Fetch (whatwg/fetch#944): A1 -> B -> A2, and A2 does not see Authorization.
    web = {
        "https://a.example/1": redirect_to(302, "https://b.example/"),
        "https://b.example/": redirect_to(302, "https://a.example/2"),
    }
    chain = trace_through("https://a.example/1", web, headers=(("Authorization", "Bearer t"),))
    sent = [header_value(h.request.headers, "Authorization") for h in chain.hops]
    assert sent == ["Bearer t", None, None]
    assert [d.name for d in chain.hops[1].dropped_headers] == ["Authorization"]


# -- the protocol of the engine itself --------------------------------------------------


def test_asking_twice_without_an_answer_is_a_programming_error() -> None:
    tracer = make_tracer("https://example.com/")
    tracer.next_action()
    with pytest.raises(RuntimeError):
        tracer.next_action()


def test_an_answer_without_a_question_is_a_programming_error() -> None:
    with pytest.raises(RuntimeError):
        make_tracer("https://example.com/").receive(OK)


def test_a_finished_trace_keeps_answering_done() -> None:
    tracer = make_tracer("https://example.com/")
    run_tracer(tracer, {})
    assert isinstance(tracer.next_action(), Done)
    assert isinstance(tracer.next_action(), Done)


def test_the_chain_keeps_the_original_request_and_profile() -> None:
    chain = trace_through("https://example.com/", {}, "httpx")
    assert (chain.request.url, chain.profile, chain.outcome) == (
        "https://example.com/",
        "httpx",
        Outcome.OK,
    )
