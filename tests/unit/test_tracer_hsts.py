"""The redirect engine and HSTS, driven by hand-made observations (tests/tracer_web.py):
a returning visitor's probes, the synthetic 307, the preload list, and policies learned
during the trace. Facts: hsts-preload-spec.md §3.1-§3.6.
"""

from __future__ import annotations

import pytest

from httpdoctor.hsts.preload import PreloadList, parse_chromium_json
from httpdoctor.hsts.store import HstsStore
from httpdoctor.trace.model import (
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
from httpdoctor.trace.tracer import Tracer
from tests.tracer_web import (
    NOW,
    STS,
    STS_SUB,
    TLS_BAD,
    TLS_OK,
    header_value,
    kinds_of,
    make_tracer,
    run_tracer,
    sts_response,
    trace_through,
    urls_of,
)

pytestmark = pytest.mark.unit


# -- probes: a returning visitor's history --------------------------------------------


def test_probes_come_first_for_the_host_and_each_parent_up_to_the_registrable_domain() -> None:
    tracer = make_tracer("http://a.b.example.com/page", fresh=False)
    chain, fetches = run_tracer(tracer, {})
    assert [(f.request.url, f.probe) for f in fetches] == [
        ("https://a.b.example.com/", True),
        ("https://b.example.com/", True),
        ("https://example.com/", True),
        ("http://a.b.example.com/page", False),
    ]
    assert [p.host for p in chain.probes] == ["a.b.example.com", "b.example.com", "example.com"]
    assert all(f.request.method == "GET" for f in fetches[:3])


def test_probes_stop_at_the_registrable_domain_under_a_multi_label_suffix() -> None:
    _, fetches = run_tracer(make_tracer("http://info.site.co.uk/", fresh=False), {})
    assert [f.request.url for f in fetches if f.probe] == [
        "https://info.site.co.uk/",
        "https://site.co.uk/",
    ]


def test_probes_send_the_users_user_agent_and_nothing_else() -> None:
    tracer = make_tracer(
        "http://example.com/",
        fresh=False,
        headers=(("User-Agent", "UA/1"), ("Authorization", "Bearer t")),
    )
    _, fetches = run_tracer(tracer, {})
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
    chain, fetches = run_tracer(make_tracer(url, profile, fresh=fresh), {})
    assert not any(f.probe for f in fetches)
    assert chain.probes == ()
    assert urls_of(chain) == [url]


def test_a_probe_learns_sts_over_verified_tls() -> None:
    web = {"https://site.com/": sts_response(STS_SUB)}
    chain = trace_through("http://info.site.com/", web, fresh=False)
    assert [(p.host, p.sts_header, p.learned) for p in chain.probes] == [
        ("info.site.com", None, False),
        ("site.com", STS_SUB, True),
    ]


@pytest.mark.parametrize("tls", [TLS_BAD, None], ids=["certificate-error", "no-tls-info"])
def test_a_probe_without_verified_tls_learns_nothing(tls: TlsInfo | None) -> None:
    # §3.1: the header is ignored after a certificate error.
    web = {"https://site.com/": sts_response(STS_SUB, tls=tls)}
    chain = trace_through("http://info.site.com/", web, fresh=False)
    assert [p.learned for p in chain.probes] == [False, False]
    assert kinds_of(chain) == [HopKind.NETWORK]


def test_a_failed_probe_is_recorded_and_the_trace_goes_on() -> None:
    refused = Observation(error=HopError(kind=ErrorKind.CONNECT, message="refused"), at=NOW)
    chain = trace_through("http://example.com/", {"https://example.com/": refused}, fresh=False)
    assert chain.probes[0].error == refused.error and not chain.probes[0].learned
    assert (chain.outcome, urls_of(chain)) == (Outcome.OK, ["http://example.com/"])


# -- the synthetic HSTS hop -----------------------------------------------------------


def test_a_parents_include_subdomains_makes_a_synthetic_307() -> None:
    web = {"https://site.com/": sts_response(STS_SUB)}
    chain = trace_through("http://info.site.com/x?q=1", web, fresh=False)
    first, second = chain.hops
    assert first.kind is HopKind.HSTS_INTERNAL and first.synthetic
    assert (first.status, first.observation.reason) == (307, "Internal Redirect")
    assert header_value(first.observation.headers, "Location") == "https://info.site.com/x?q=1"
    assert header_value(first.observation.headers, "Non-Authoritative-Reason") == "HSTS"
    assert first.location == "https://info.site.com/x?q=1"
    assert first.hsts_source == HstsSource(
        host="site.com", via="parent-includeSubDomains", header=STS_SUB
    )
    assert (second.kind, second.request.url) == (HopKind.NETWORK, "https://info.site.com/x?q=1")
    assert chain.outcome is Outcome.OK


def test_the_hosts_own_entry_is_a_dynamic_source() -> None:
    store = HstsStore().learn("example.com", STS, NOW - 10)
    chain = trace_through("http://example.com/", {}, store=store)
    assert chain.hops[0].hsts_source == HstsSource(host="example.com", via="dynamic", header=STS)
    assert urls_of(chain) == ["http://example.com/", "https://example.com/"]


def test_a_parent_without_include_subdomains_does_not_upgrade_a_child() -> None:
    store = HstsStore().learn("example.com", STS, NOW - 10)
    chain = trace_through("http://www.example.com/", {}, store=store)
    assert kinds_of(chain) == [HopKind.NETWORK]


def test_an_expired_entry_no_longer_upgrades() -> None:
    store = HstsStore().learn("example.com", "max-age=60", NOW - 61)
    assert kinds_of(trace_through("http://example.com/", {}, store=store)) == [HopKind.NETWORK]


def test_the_upgrade_keeps_a_non_default_port() -> None:
    store = HstsStore().learn("example.com", STS, NOW)
    chain = trace_through("http://example.com:8080/", {}, store=store)
    assert urls_of(chain) == ["http://example.com:8080/", "https://example.com:8080/"]


def test_the_upgrade_keeps_the_method_and_body() -> None:
    store = HstsStore().learn("example.com", STS, NOW)
    tracer = Tracer(
        request=Request(url="http://example.com/f", method="POST", body=b"a=1"),
        profile=profile_named("chrome"),
        now=NOW,
        store=store,
        fresh_browser=True,
    )
    chain, _ = run_tracer(tracer, {})
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
    chain = trace_through("http://www.example.dev/", {}, preload=preload)
    assert chain.hops[0].hsts_source == HstsSource(
        host="dev", via="preload", list_version="test-list-1"
    )
    assert urls_of(chain) == ["http://www.example.dev/", "https://www.example.dev/"]


def test_a_pins_only_entry_is_no_upgrade(preload: PreloadList) -> None:
    assert kinds_of(trace_through("http://pinned.example/", {}, preload=preload)) == [
        HopKind.NETWORK
    ]


def test_a_dynamic_entry_is_named_before_the_preload_list(preload: PreloadList) -> None:
    store = HstsStore().learn("example.dev", STS, NOW)
    chain = trace_through("http://example.dev/", {}, store=store, preload=preload)
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
    chain = trace_through("https://example.dev/", web, preload=preload)
    assert kinds_of(chain) == [HopKind.NETWORK, HopKind.HSTS_INTERNAL, HopKind.NETWORK]


@pytest.mark.parametrize("profile", ["curl", "requests", "httpx", "googlebot"])
def test_only_a_browser_knows_the_preload_list(profile: str, preload: PreloadList) -> None:
    chain = trace_through("http://www.example.dev/", {}, profile, preload=preload)
    assert urls_of(chain) == ["http://www.example.dev/"]


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
    chain = trace_through("https://example.com/", web)
    assert urls_of(chain) == [
        "https://example.com/",
        "http://example.com/next",
        "https://example.com/next",
    ]
    assert kinds_of(chain)[1] is HopKind.HSTS_INTERNAL
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
    chain = trace_through("http://example.com/", web)
    assert kinds_of(chain) == [HopKind.NETWORK, HopKind.NETWORK]
    assert urls_of(chain) == ["http://example.com/", "http://example.com/next"]


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
    chain = trace_through("https://example.com/", web)
    assert kinds_of(chain) == [HopKind.NETWORK, HopKind.NETWORK]


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
    chain = trace_through("https://192.0.2.1/", web)
    assert urls_of(chain) == ["https://192.0.2.1/", "http://192.0.2.1/next"]


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
    assert kinds_of(trace_through("https://example.com/", web)) == [
        HopKind.NETWORK,
        HopKind.NETWORK,
    ]


def test_curl_applies_sts_within_the_run_without_a_hop_of_its_own() -> None:
    web = {
        "https://example.com/": Observation(
            status=302,
            headers=(("Strict-Transport-Security", STS), ("Location", "http://example.com/next")),
            tls=TLS_OK,
            at=NOW,
        )
    }
    chain = trace_through("https://example.com/", web, "curl")
    assert kinds_of(chain) == [HopKind.NETWORK, HopKind.NETWORK]
    assert urls_of(chain) == ["https://example.com/", "https://example.com/next"]


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
    chain = trace_through("https://example.com/", web, "curl")
    assert urls_of(chain) == ["https://example.com/", "https://example.com:80/next"]


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
    assert urls_of(trace_through("https://example.com/", web, profile)) == [
        "https://example.com/",
        "http://example.com/next",
    ]
