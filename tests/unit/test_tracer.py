"""The redirect engine driven by hand-made observations: no network, no clock.

A test describes a tiny web as ``{url: Observation}`` (anything else answers 200), runs the
tracer against it and reads the chain. Facts: hsts-preload-spec.md §3.1-§3.6 and
redirect-semantics.md §2.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from httpdoctor.hsts.preload import PreloadList, parse_chromium_json
from httpdoctor.hsts.store import HstsStore
from httpdoctor.trace.model import (
    Chain,
    ErrorKind,
    HopError,
    HopKind,
    HstsSource,
    Observation,
    Outcome,
    Request,
    TlsInfo,
)
from httpdoctor.trace.profiles import profile_named
from httpdoctor.trace.tracer import Done, Fetch, Tracer

pytestmark = pytest.mark.unit

NOW = 1_000_000.0
TLS_OK = TlsInfo(
    version="TLSv1.3", cipher="TLS_AES_128_GCM_SHA256", certificate=None, verified=True
)
TLS_BAD = TlsInfo(
    version="TLSv1.3",
    cipher="TLS_AES_128_GCM_SHA256",
    certificate=None,
    verified=False,
    failure="self-signed",
)
STS = "max-age=31536000"
STS_SUB = "max-age=31536000; includeSubDomains"
OK = Observation(status=200, reason="OK", at=NOW)
OK_TLS = Observation(status=200, reason="OK", tls=TLS_OK, at=NOW)

Web = Mapping[str, Observation]


def _redirect(
    status: int, *locations: str, tls: TlsInfo | None = None, **extra: str
) -> Observation:
    headers = tuple(("Location", loc) for loc in locations)
    headers += tuple((name.replace("_", "-"), value) for name, value in extra.items())
    return Observation(status=status, headers=headers, tls=tls, at=NOW)


def _sts(value: str, *, tls: TlsInfo | None = TLS_OK, status: int = 200) -> Observation:
    return Observation(
        status=status, headers=(("Strict-Transport-Security", value),), tls=tls, at=NOW
    )


def _tracer(
    url: str,
    profile: str = "chrome",
    *,
    method: str = "GET",
    headers: tuple[tuple[str, str], ...] = (),
    fresh: bool = True,
    store: HstsStore | None = None,
    preload: PreloadList | None = None,
    max_redirects: int | None = None,
) -> Tracer:
    return Tracer(
        request=Request(url=url, method=method, headers=headers),
        profile=profile_named(profile),
        now=NOW,
        store=store,
        preload=preload,
        fresh_browser=fresh,
        max_redirects=max_redirects,
    )


def _run(tracer: Tracer, web: Web) -> tuple[Chain, list[Fetch]]:
    fetches: list[Fetch] = []
    for _ in range(200):
        action = tracer.next_action()
        if isinstance(action, Done):
            return action.chain, fetches
        fetches.append(action)
        tracer.receive(web.get(action.request.url, OK))
    raise AssertionError("the tracer never finished")


def _trace(url: str, web: Web, profile: str = "chrome", **options: Any) -> Chain:
    chain, _ = _run(_tracer(url, profile, **options), web)
    return chain


def _urls(chain: Chain) -> list[str]:
    return [hop.request.url for hop in chain.hops]


def _kinds(chain: Chain) -> list[HopKind]:
    return [hop.kind for hop in chain.hops]


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name.lower()), None)


# -- probes: a returning visitor's history --------------------------------------------


def test_probes_come_first_for_the_host_and_each_parent_up_to_the_registrable_domain() -> None:
    tracer = _tracer("http://a.b.example.com/page", fresh=False)
    chain, fetches = _run(tracer, {})
    assert [(f.request.url, f.probe) for f in fetches] == [
        ("https://a.b.example.com/", True),
        ("https://b.example.com/", True),
        ("https://example.com/", True),
        ("http://a.b.example.com/page", False),
    ]
    assert [p.host for p in chain.probes] == ["a.b.example.com", "b.example.com", "example.com"]
    assert all(f.request.method == "GET" for f in fetches[:3])


def test_probes_stop_at_the_registrable_domain_under_a_multi_label_suffix() -> None:
    _, fetches = _run(_tracer("http://info.site.co.uk/", fresh=False), {})
    assert [f.request.url for f in fetches if f.probe] == [
        "https://info.site.co.uk/",
        "https://site.co.uk/",
    ]


def test_probes_send_the_users_user_agent_and_nothing_else() -> None:
    tracer = _tracer(
        "http://example.com/",
        fresh=False,
        headers=(("User-Agent", "UA/1"), ("Authorization", "Bearer t")),
    )
    _, fetches = _run(tracer, {})
    assert fetches[0].probe and fetches[0].request.headers == (("User-Agent", "UA/1"),)


@pytest.mark.parametrize(
    ("url", "profile", "fresh"),
    [
        ("http://a.example.com/", "chrome", True),  # a browser that never visited
        ("http://192.0.2.1/", "chrome", False),  # Chromium ignores HSTS for IP hosts
        ("http://[2001:db8::1]/", "chrome", False),
        ("http://a.example.com/", "curl", False),  # only a browser has history
        ("http://a.example.com/", "requests", False),
        ("http://a.example.com/", "httpx", False),
    ],
)
def test_no_probes_without_a_browsers_history(url: str, profile: str, fresh: bool) -> None:
    chain, fetches = _run(_tracer(url, profile, fresh=fresh), {})
    assert not any(f.probe for f in fetches)
    assert chain.probes == ()
    assert _urls(chain) == [url]


def test_a_probe_learns_sts_over_verified_tls() -> None:
    web = {"https://site.com/": _sts(STS_SUB)}
    chain = _trace("http://info.site.com/", web, fresh=False)
    assert [(p.host, p.sts_header, p.learned) for p in chain.probes] == [
        ("info.site.com", None, False),
        ("site.com", STS_SUB, True),
    ]


@pytest.mark.parametrize("tls", [TLS_BAD, None], ids=["certificate-error", "no-tls-info"])
def test_a_probe_without_verified_tls_learns_nothing(tls: TlsInfo | None) -> None:
    # §3.1: the header is ignored after a certificate error.
    web = {"https://site.com/": _sts(STS_SUB, tls=tls)}
    chain = _trace("http://info.site.com/", web, fresh=False)
    assert [p.learned for p in chain.probes] == [False, False]
    assert _kinds(chain) == [HopKind.NETWORK]


def test_a_failed_probe_is_recorded_and_the_trace_goes_on() -> None:
    refused = Observation(error=HopError(kind=ErrorKind.CONNECT, message="refused"), at=NOW)
    chain = _trace("http://example.com/", {"https://example.com/": refused}, fresh=False)
    assert chain.probes[0].error == refused.error and not chain.probes[0].learned
    assert (chain.outcome, _urls(chain)) == (Outcome.OK, ["http://example.com/"])


# -- the synthetic HSTS hop -----------------------------------------------------------


def test_a_parents_include_subdomains_makes_a_synthetic_307() -> None:
    web = {"https://site.com/": _sts(STS_SUB)}
    chain = _trace("http://info.site.com/x?q=1", web, fresh=False)
    first, second = chain.hops
    assert first.kind is HopKind.HSTS_INTERNAL and first.synthetic
    assert (first.status, first.observation.reason) == (307, "Internal Redirect")
    assert _header(first.observation.headers, "Location") == "https://info.site.com/x?q=1"
    assert _header(first.observation.headers, "Non-Authoritative-Reason") == "HSTS"
    assert first.location == "https://info.site.com/x?q=1"
    assert first.hsts_source == HstsSource(
        host="site.com", via="parent-includeSubDomains", header=STS_SUB
    )
    assert (second.kind, second.request.url) == (HopKind.NETWORK, "https://info.site.com/x?q=1")
    assert chain.outcome is Outcome.OK


def test_the_hosts_own_entry_is_a_dynamic_source() -> None:
    store = HstsStore().learn("example.com", STS, NOW - 10)
    chain = _trace("http://example.com/", {}, store=store)
    assert chain.hops[0].hsts_source == HstsSource(host="example.com", via="dynamic", header=STS)
    assert _urls(chain) == ["http://example.com/", "https://example.com/"]


def test_a_parent_without_include_subdomains_does_not_upgrade_a_child() -> None:
    store = HstsStore().learn("example.com", STS, NOW - 10)
    chain = _trace("http://www.example.com/", {}, store=store)
    assert _kinds(chain) == [HopKind.NETWORK]


def test_an_expired_entry_no_longer_upgrades() -> None:
    store = HstsStore().learn("example.com", "max-age=60", NOW - 61)
    assert _kinds(_trace("http://example.com/", {}, store=store)) == [HopKind.NETWORK]


def test_the_upgrade_keeps_a_non_default_port() -> None:
    store = HstsStore().learn("example.com", STS, NOW)
    chain = _trace("http://example.com:8080/", {}, store=store)
    assert _urls(chain) == ["http://example.com:8080/", "https://example.com:8080/"]


def test_the_upgrade_keeps_the_method_and_body() -> None:
    store = HstsStore().learn("example.com", STS, NOW)
    tracer = Tracer(
        request=Request(url="http://example.com/f", method="POST", body=b"a=1"),
        profile=profile_named("chrome"),
        now=NOW,
        store=store,
        fresh_browser=True,
    )
    chain, _ = _run(tracer, {})
    assert [(h.request.method, h.request.body) for h in chain.hops] == [
        ("POST", b"a=1"),
        ("POST", b"a=1"),
    ]


PRELOAD_JSON = """
// a two-entry list in Chromium's format
{
  "entries": [
    // the whole TLD
    { "name": "dev", "policy": "public-suffix", "mode": "force-https", "include_subdomains": true },
    { "name": "pinned.example", "pins": "test" }
  ]
}
"""


@pytest.fixture(scope="module")
def preload() -> PreloadList:
    return parse_chromium_json(PRELOAD_JSON, version="test-list-1")


def test_a_preloaded_host_is_upgraded_on_the_very_first_visit(preload: PreloadList) -> None:
    chain = _trace("http://www.example.dev/", {}, preload=preload)
    assert chain.hops[0].hsts_source == HstsSource(
        host="dev", via="preload", list_version="test-list-1"
    )
    assert _urls(chain) == ["http://www.example.dev/", "https://www.example.dev/"]


def test_a_pins_only_entry_is_no_upgrade(preload: PreloadList) -> None:
    assert _kinds(_trace("http://pinned.example/", {}, preload=preload)) == [HopKind.NETWORK]


def test_a_dynamic_entry_is_named_before_the_preload_list(preload: PreloadList) -> None:
    store = HstsStore().learn("example.dev", STS, NOW)
    chain = _trace("http://example.dev/", {}, store=store, preload=preload)
    source = chain.hops[0].hsts_source
    assert source is not None and source.via == "dynamic"


def test_max_age_zero_cannot_switch_off_a_preloaded_host(preload: PreloadList) -> None:
    # §3.4: "A header can never switch off a preloaded host."
    web = {
        "https://example.dev/": Observation(
            status=302,
            headers=(
                ("Location", "http://example.dev/next"),
                ("Strict-Transport-Security", "max-age=0"),
            ),
            tls=TLS_OK,
            at=NOW,
        )
    }
    chain = _trace("https://example.dev/", web, preload=preload)
    assert _kinds(chain) == [HopKind.NETWORK, HopKind.HSTS_INTERNAL, HopKind.NETWORK]


@pytest.mark.parametrize("profile", ["curl", "requests", "httpx", "googlebot"])
def test_only_a_browser_knows_the_preload_list(profile: str, preload: PreloadList) -> None:
    chain = _trace("http://www.example.dev/", {}, profile, preload=preload)
    assert _urls(chain) == ["http://www.example.dev/"]


# -- learning STS during the trace -----------------------------------------------------


def test_sts_over_verified_https_upgrades_a_later_http_hop() -> None:
    web = {
        "https://example.com/": Observation(
            status=302,
            headers=(("Strict-Transport-Security", STS), ("Location", "http://example.com/next")),
            tls=TLS_OK,
            at=NOW,
        )
    }
    chain = _trace("https://example.com/", web)
    assert _urls(chain) == [
        "https://example.com/",
        "http://example.com/next",
        "https://example.com/next",
    ]
    assert _kinds(chain)[1] is HopKind.HSTS_INTERNAL
    assert chain.hops[1].hsts_source == HstsSource(host="example.com", via="dynamic", header=STS)


def test_sts_over_plain_http_is_ignored() -> None:
    # RFC 6797 §8.1; hsts-preload-spec.md §3.1.
    web = {
        "http://example.com/": Observation(
            status=302,
            headers=(("Strict-Transport-Security", STS), ("Location", "/next")),
            at=NOW,
        )
    }
    chain = _trace("http://example.com/", web)
    assert _kinds(chain) == [HopKind.NETWORK, HopKind.NETWORK]
    assert _urls(chain) == ["http://example.com/", "http://example.com/next"]


@pytest.mark.parametrize("tls", [TLS_BAD, None], ids=["certificate-error", "no-tls-info"])
def test_sts_over_https_without_verified_tls_is_ignored(tls: TlsInfo | None) -> None:
    web = {
        "https://example.com/": Observation(
            status=302,
            headers=(("Strict-Transport-Security", STS), ("Location", "http://example.com/next")),
            tls=tls,
            at=NOW,
        )
    }
    chain = _trace("https://example.com/", web)
    assert _kinds(chain) == [HopKind.NETWORK, HopKind.NETWORK]


def test_sts_from_an_ip_address_host_is_ignored() -> None:
    # §3.1: HostIsIPAddress() -> the header is not processed.
    web = {
        "https://192.0.2.1/": Observation(
            status=302,
            headers=(("Strict-Transport-Security", STS), ("Location", "http://192.0.2.1/next")),
            tls=TLS_OK,
            at=NOW,
        )
    }
    chain = _trace("https://192.0.2.1/", web)
    assert _urls(chain) == ["https://192.0.2.1/", "http://192.0.2.1/next"]


def test_only_the_first_sts_field_counts() -> None:
    # §3.1: Chromium processes only the first Strict-Transport-Security field.
    web = {
        "https://example.com/": Observation(
            status=302,
            headers=(
                ("Strict-Transport-Security", "max-age=1; max-age=2"),
                ("Strict-Transport-Security", STS),
                ("Location", "http://example.com/next"),
            ),
            tls=TLS_OK,
            at=NOW,
        )
    }
    assert _kinds(_trace("https://example.com/", web)) == [HopKind.NETWORK, HopKind.NETWORK]


def test_curl_applies_sts_within_the_run_without_a_hop_of_its_own() -> None:
    web = {
        "https://example.com/": Observation(
            status=302,
            headers=(("Strict-Transport-Security", STS), ("Location", "http://example.com/next")),
            tls=TLS_OK,
            at=NOW,
        )
    }
    chain = _trace("https://example.com/", web, "curl")
    assert _kinds(chain) == [HopKind.NETWORK, HopKind.NETWORK]
    assert _urls(chain) == ["https://example.com/", "https://example.com/next"]


def test_curl_keeps_an_explicit_port_80_when_it_upgrades() -> None:
    # redirect-semantics.md §2.6, measured on curl 7.88.1: "it keeps an explicit :80 when
    # it upgrades".
    web = {
        "https://example.com/": Observation(
            status=302,
            headers=(
                ("Strict-Transport-Security", STS),
                ("Location", "http://example.com:80/next"),
            ),
            tls=TLS_OK,
            at=NOW,
        )
    }
    chain = _trace("https://example.com/", web, "curl")
    assert _urls(chain) == ["https://example.com/", "https://example.com:80/next"]


@pytest.mark.parametrize("profile", ["requests", "httpx"])
def test_clients_without_hsts_never_upgrade(profile: str) -> None:
    web = {
        "https://example.com/": Observation(
            status=302,
            headers=(("Strict-Transport-Security", STS), ("Location", "http://example.com/next")),
            tls=TLS_OK,
            at=NOW,
        )
    }
    assert _urls(_trace("https://example.com/", web, profile)) == [
        "https://example.com/",
        "http://example.com/next",
    ]


# -- limits and loops -----------------------------------------------------------------


def _endless(count: int, prefix: str = "https://example.com/") -> dict[str, Observation]:
    return {f"{prefix}{i}": _redirect(301, f"/{i + 1}") for i in range(count)}


def test_chrome_follows_19_redirects_and_refuses_the_20th() -> None:
    chain, fetches = _run(_tracer("https://example.com/0"), _endless(100))
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
    chain = _trace("https://example.com/0", _endless(100), profile)
    assert len(chain.hops) == limit + 1
    assert chain.outcome is Outcome.TOO_MANY_REDIRECTS


def test_a_chain_just_within_the_limit_finishes() -> None:
    chain = _trace("https://example.com/0", _endless(19))
    assert (len(chain.hops), chain.outcome, chain.final_status) == (20, Outcome.OK, 200)


def test_the_limit_can_be_overridden() -> None:
    chain = _trace("https://example.com/0", _endless(100), max_redirects=3)
    assert (len(chain.hops), chain.outcome) == (4, Outcome.TOO_MANY_REDIRECTS)


def test_a_synthetic_hsts_hop_counts_toward_the_limit() -> None:
    store = HstsStore().learn("example.com", STS, NOW)
    chain = _trace("http://example.com/0", _endless(100), store=store)
    assert len(chain.hops) == 20
    assert chain.hops[0].synthetic
    assert chain.hops[-1].request.url == "https://example.com/18"
    assert chain.outcome is Outcome.TOO_MANY_REDIRECTS


def test_a_cycle_is_named_as_a_loop() -> None:
    web = {
        "https://example.com/a": _redirect(302, "/b"),
        "https://example.com/b": _redirect(302, "/a"),
    }
    chain = _trace("https://example.com/a", web)
    assert chain.outcome is Outcome.REDIRECT_LOOP
    assert chain.loop == ("https://example.com/a", "https://example.com/b")
    assert len(chain.hops) == 20  # the count still decides when the client gives up


def test_an_http_https_ping_pong_is_a_loop_through_the_synthetic_hop() -> None:
    web = {"https://example.com/": _redirect(301, "http://example.com/", tls=TLS_OK)}
    store = HstsStore().learn("example.com", STS, NOW)
    chain = _trace("https://example.com/", web, store=store)
    assert chain.outcome is Outcome.REDIRECT_LOOP
    assert chain.loop == ("https://example.com/", "http://example.com/")


def test_a_self_redirect_that_sets_a_cookie_is_not_a_loop() -> None:
    # reqwest#717: "set a cookie and then redirect back to itself" is legitimate.
    tracer = _tracer("https://example.com/login")
    first = tracer.next_action()
    assert isinstance(first, Fetch)
    tracer.receive(_redirect(302, "/login", Set_Cookie="sid=1"))
    second = tracer.next_action()
    assert isinstance(second, Fetch)
    assert _header(second.request.headers, "Cookie") == "sid=1"
    tracer.receive(OK)
    done = tracer.next_action()
    assert isinstance(done, Done)
    assert (done.chain.outcome, done.chain.loop) == (Outcome.OK, ())


# -- errors and Locations -------------------------------------------------------------


def test_an_error_observation_ends_the_trace_with_outcome_error() -> None:
    failure = HopError(kind=ErrorKind.TLS, message="certificate has expired")
    web = {
        "https://example.com/": _redirect(301, "https://broken.example.com/"),
        "https://broken.example.com/": Observation(error=failure, at=NOW),
    }
    chain = _trace("https://example.com/", web)
    assert chain.outcome is Outcome.ERROR
    assert chain.hops[-1].observation.error == failure
    assert chain.stop_reason == "certificate has expired"
    assert len(chain.hops) == 2


@pytest.mark.parametrize(
    "location", ["javascript:alert(1)", "ftp://example.com/file", "data:,hello", "mailto:a@b.c"]
)
def test_a_location_with_a_non_http_scheme_is_an_invalid_location(location: str) -> None:
    chain = _trace("https://example.com/", {"https://example.com/": _redirect(302, location)})
    hop = chain.hops[-1]
    assert chain.outcome is Outcome.ERROR
    assert hop.observation.error is not None
    assert hop.observation.error.kind is ErrorKind.INVALID_LOCATION
    assert hop.location_raw == location
    assert len(chain.hops) == 1


def test_an_unparseable_location_is_an_invalid_location() -> None:
    chain = _trace("https://example.com/", {"https://example.com/": _redirect(302, "http://")})
    error = chain.hops[-1].observation.error
    assert error is not None and error.kind is ErrorKind.INVALID_LOCATION
    assert chain.hops[-1].location is None


def test_two_different_locations_are_an_error_for_chrome() -> None:
    web = {"https://example.com/": _redirect(302, "/a", "/b")}
    chain = _trace("https://example.com/", web)
    error = chain.hops[-1].observation.error
    assert chain.outcome is Outcome.ERROR
    assert error is not None and error.kind is ErrorKind.PROTOCOL
    assert len(chain.hops) == 1


def test_curl_follows_an_exactly_repeated_location() -> None:
    web = {"https://example.com/": _redirect(302, "/a", "/a")}
    chain = _trace("https://example.com/", web, "curl")
    assert _urls(chain) == ["https://example.com/", "https://example.com/a"]


@pytest.mark.parametrize(
    ("observation", "profile"),
    [
        (_redirect(302, ""), "chrome"),  # an empty Location "doesn't count"
        (_redirect(302, "   "), "chrome"),
        (Observation(status=302, at=NOW), "chrome"),  # no Location at all
        (_redirect(300, "/choice"), "chrome"),  # 300 is shown, not followed
        (_redirect(304, "/cached"), "requests"),
        (_redirect(200, "/elsewhere"), "curl"),
    ],
)
def test_a_response_that_is_not_followed_ends_the_trace(
    observation: Observation, profile: str
) -> None:
    chain = _trace("https://example.com/", {"https://example.com/": observation}, profile)
    assert (len(chain.hops), chain.outcome) == (1, Outcome.OK)
    assert chain.final_status == observation.status


def test_curl_follows_a_300_with_a_location() -> None:
    chain = _trace("https://example.com/", {"https://example.com/": _redirect(300, "/c")}, "curl")
    assert _urls(chain) == ["https://example.com/", "https://example.com/c"]


def test_the_location_is_recorded_raw_and_resolved() -> None:
    web = {"https://example.com/a/b#top": _redirect(301, "../c")}
    chain = _trace("https://example.com/a/b#top", web)
    assert (chain.hops[0].location_raw, chain.hops[0].location) == (
        "../c",
        "https://example.com/c#top",
    )


# -- what crosses a hop ---------------------------------------------------------------


def test_cookies_set_on_a_302_are_sent_on_the_next_hop() -> None:
    web = {"https://example.com/login": _redirect(302, "/home", Set_Cookie="sid=abc; Path=/")}
    chain = _trace("https://example.com/login", web)
    assert _header(chain.hops[0].request.headers, "Cookie") is None
    assert _header(chain.hops[1].request.headers, "Cookie") == "sid=abc"


def test_a_secure_cookie_is_not_sent_over_http() -> None:
    web = {"https://example.com/": _redirect(302, "http://example.com/", Set_Cookie="s=1; Secure")}
    chain = _trace("https://example.com/", web)
    assert _header(chain.hops[1].request.headers, "Cookie") is None


def test_a_client_without_a_jar_sends_no_cookies() -> None:
    web = {"https://example.com/login": _redirect(302, "/home", Set_Cookie="sid=abc")}
    chain = _trace("https://example.com/login", web, "curl")
    assert _header(chain.hops[1].request.headers, "Cookie") is None


def test_post_after_302_becomes_get_and_the_hop_records_what_was_dropped() -> None:
    web = {"https://example.com/form": _redirect(302, "/done")}
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
    chain, _ = _run(tracer, web)
    second = chain.hops[1]
    assert (second.request.method, second.request.body, second.request.headers) == ("GET", None, ())
    assert [d.name for d in second.dropped_headers] == ["Content-Type"]
    assert chain.hops[0].dropped_headers == ()


def test_authorization_does_not_come_back_after_leaving_the_origin() -> None:
    # Fetch (whatwg/fetch#944): A1 -> B -> A2, and A2 does not see Authorization.
    web = {
        "https://a.example/1": _redirect(302, "https://b.example/"),
        "https://b.example/": _redirect(302, "https://a.example/2"),
    }
    chain = _trace("https://a.example/1", web, headers=(("Authorization", "Bearer t"),))
    sent = [_header(h.request.headers, "Authorization") for h in chain.hops]
    assert sent == ["Bearer t", None, None]
    assert [d.name for d in chain.hops[1].dropped_headers] == ["Authorization"]


# -- the protocol of the engine itself --------------------------------------------------


def test_asking_twice_without_an_answer_is_a_programming_error() -> None:
    tracer = _tracer("https://example.com/")
    tracer.next_action()
    with pytest.raises(RuntimeError):
        tracer.next_action()


def test_an_answer_without_a_question_is_a_programming_error() -> None:
    with pytest.raises(RuntimeError):
        _tracer("https://example.com/").receive(OK)


def test_a_finished_trace_keeps_answering_done() -> None:
    tracer = _tracer("https://example.com/")
    _run(tracer, {})
    assert isinstance(tracer.next_action(), Done)
    assert isinstance(tracer.next_action(), Done)


def test_the_chain_keeps_the_original_request_and_profile() -> None:
    chain = _trace("https://example.com/", {}, "httpx")
    assert (chain.request.url, chain.profile, chain.outcome) == (
        "https://example.com/",
        "httpx",
        Outcome.OK,
    )
