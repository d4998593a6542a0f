"""Referer and Origin per hop, as W3C Referrer Policy §8 and Fetch define them, and as the
tracer applies them for a browser (other clients send a given Referer unchanged).

Chromium's real behaviour is checked by tests/browsers/test_referrer_vs_chromium.py.
"""

from __future__ import annotations

import pytest

from httpdoctor.hsts.store import HstsStore
from httpdoctor.trace.model import Chain, Observation, Request
from httpdoctor.trace.profiles import profile_named
from httpdoctor.trace.referrer import origin_header, parse_policy, referer_header
from httpdoctor.trace.tracer import Done, Tracer

pytestmark = pytest.mark.unit

PAGE = "https://shop.test/cart?step=2#pay"


@pytest.mark.parametrize(
    ("policy", "target", "expected"),
    [
        # same origin: the full URL (no fragment) under every policy that sends one
        (
            "strict-origin-when-cross-origin",
            "https://shop.test/pay",
            "https://shop.test/cart?step=2",
        ),
        ("origin-when-cross-origin", "https://shop.test/pay", "https://shop.test/cart?step=2"),
        ("same-origin", "https://shop.test/pay", "https://shop.test/cart?step=2"),
        ("no-referrer-when-downgrade", "https://shop.test/pay", "https://shop.test/cart?step=2"),
        ("unsafe-url", "https://shop.test/pay", "https://shop.test/cart?step=2"),
        ("origin", "https://shop.test/pay", "https://shop.test/"),
        ("strict-origin", "https://shop.test/pay", "https://shop.test/"),
        ("no-referrer", "https://shop.test/pay", None),
        # cross origin, still https: the origin, or nothing for same-origin
        ("strict-origin-when-cross-origin", "https://pay.test/", "https://shop.test/"),
        ("origin-when-cross-origin", "https://pay.test/", "https://shop.test/"),
        ("same-origin", "https://pay.test/", None),
        ("no-referrer-when-downgrade", "https://pay.test/", "https://shop.test/cart?step=2"),
        ("unsafe-url", "https://pay.test/", "https://shop.test/cart?step=2"),
        # https -> http, a downgrade: the strict policies send nothing
        ("strict-origin-when-cross-origin", "http://pay.test/", None),
        ("strict-origin", "http://pay.test/", None),
        ("no-referrer-when-downgrade", "http://pay.test/", None),
        ("origin-when-cross-origin", "http://pay.test/", "https://shop.test/"),
        ("unsafe-url", "http://pay.test/", "https://shop.test/cart?step=2"),
        # loopback counts as trustworthy, so it is no downgrade
        ("strict-origin-when-cross-origin", "http://127.0.0.1:8080/", "https://shop.test/"),
        ("strict-origin-when-cross-origin", "http://localhost/", "https://shop.test/"),
    ],
)
def test_the_referer_follows_the_policy(policy: str, target: str, expected: str | None) -> None:
    assert referer_header(PAGE, target, policy) == expected


def test_credentials_and_fragment_never_leave_in_a_referer() -> None:
    page = "https://user:secret@shop.test/a#b"
    assert referer_header(page, "https://shop.test/x", "unsafe-url") == "https://shop.test/a"


def test_a_very_long_page_url_is_cut_to_its_origin() -> None:
    page = "https://shop.test/" + "a" * 5000
    assert referer_header(page, "https://shop.test/x", "unsafe-url") == "https://shop.test/"


def test_the_referrer_policy_header_takes_its_last_known_token() -> None:
    assert parse_policy(["no-referrer, unsafe-url"]) == "unsafe-url"
    assert parse_policy(["unsafe-url, made-up"]) == "unsafe-url"
    assert parse_policy(["origin", "Same-Origin"]) == "same-origin"
    assert parse_policy(["made-up"]) is None and parse_policy([]) is None


@pytest.mark.parametrize(
    ("method", "target", "policy", "tainted", "expected"),
    [
        ("GET", "https://pay.test/", "strict-origin-when-cross-origin", False, None),
        ("HEAD", "https://pay.test/", "strict-origin-when-cross-origin", False, None),
        (
            "POST",
            "https://shop.test/pay",
            "strict-origin-when-cross-origin",
            False,
            "https://shop.test",
        ),
        (
            "POST",
            "https://pay.test/",
            "strict-origin-when-cross-origin",
            False,
            "https://shop.test",
        ),
        ("POST", "http://pay.test/", "strict-origin-when-cross-origin", False, "null"),
        ("POST", "http://pay.test/", "origin-when-cross-origin", False, "https://shop.test"),
        ("POST", "https://pay.test/", "same-origin", False, "null"),
        ("PUT", "https://shop.test/pay", "no-referrer", False, "null"),
        ("POST", "https://shop.test/pay", "strict-origin-when-cross-origin", True, "null"),
    ],
)
def test_origin_is_sent_on_unsafe_methods_and_is_null_when_withheld_or_tainted(
    method: str, target: str, policy: str, tainted: bool, expected: str | None
) -> None:
    assert origin_header(PAGE, target, method, policy, tainted) == expected


# -- the tracer --------------------------------------------------------------------------


def _chain(
    url: str,
    web: dict[str, Observation],
    profile: str,
    *,
    page: str = "https://shop.test/cart",
    store: HstsStore | None = None,
    **request: object,
) -> Chain:
    tracer = Tracer(
        request=Request(url=url, **request),  # type: ignore[arg-type]
        profile=profile_named(profile),
        now=0.0,
        store=store,
        fresh_browser=True,
        referrer=page,
    )
    while not isinstance(action := tracer.next_action(), Done):
        tracer.receive(web.get(action.request.url, Observation(status=200, at=0.0)))
    return action.chain


def _sent(chain: Chain, name: str) -> list[str | None]:
    return [
        next((v for k, v in hop.request.headers if k.lower() == name), None) for hop in chain.hops
    ]


def _redirect(status: int, location: str, *extra: tuple[str, str]) -> Observation:
    return Observation(status=status, headers=(("Location", location), *extra), at=0.0)


def test_a_browser_recomputes_referer_from_the_page_on_every_hop() -> None:
    web = {
        "https://shop.test/go": _redirect(302, "https://pay.test/start"),
        "https://pay.test/start": _redirect(302, "http://pay.test/plain"),
    }
    chain = _chain("https://shop.test/go", web, "chrome", method="GET")
    assert _sent(chain, "referer") == ["https://shop.test/cart", "https://shop.test/", None]
    assert _sent(chain, "origin") == [None, None, None]  # GET navigations send no Origin
    last = chain.hops[-1].dropped_headers
    assert [d.name for d in last] == ["Referer"] and "strict-origin" in last[0].reason
    assert chain.referrer == "https://shop.test/cart"


def test_a_redirects_referrer_policy_header_governs_the_next_hop() -> None:
    web = {
        "https://shop.test/go": _redirect(
            302, "https://pay.test/start", ("Referrer-Policy", "no-referrer")
        ),
    }
    chain = _chain("https://shop.test/go", web, "chrome", method="GET")
    assert _sent(chain, "referer") == ["https://shop.test/cart", None]


def test_a_post_redirected_to_another_origin_carries_origin_null_from_then_on() -> None:
    # Chromium's rule (measured): any cross-origin redirect, even back to the page's own
    # origin, makes Origin null; Fetch would keep the page's origin on the first hop out.
    web = {
        "https://shop.test/form": _redirect(307, "https://pay.test/a"),
        "https://pay.test/a": _redirect(307, "https://shop.test/done"),
    }
    chain = _chain("https://shop.test/form", web, "chrome", method="POST", body=b"x=1")
    assert _sent(chain, "origin") == ["https://shop.test", "null", "null"]


def test_an_hsts_upgrade_taints_origin_like_any_cross_origin_redirect() -> None:
    store = HstsStore().learn("shop.test", "max-age=600", 0.0)
    chain = _chain(
        "http://shop.test/form", {}, "chrome", page="http://blog.test/post", store=store,
        method="POST", body=b"x=1",
    )  # fmt: skip
    assert [hop.synthetic for hop in chain.hops] == [True, False]
    assert _sent(chain, "origin") == ["http://blog.test", "null"]


def test_a_referer_cut_to_the_origin_never_grows_back() -> None:
    web = {
        "https://shop.test/go": _redirect(302, "https://pay.test/a"),
        "https://pay.test/a": _redirect(302, "https://shop.test/back"),
    }
    chain = _chain("https://shop.test/go", web, "chrome", method="GET")
    assert _sent(chain, "referer") == [
        "https://shop.test/cart",
        "https://shop.test/",
        "https://shop.test/",  # same origin as the page again, yet still only the origin
    ]


def test_other_clients_send_the_given_referer_as_it_is() -> None:
    web = {"https://shop.test/go": _redirect(302, "http://pay.test/plain")}
    for client in ("curl", "requests", "httpx", "googlebot"):
        chain = _chain("https://shop.test/go", web, client, method="GET")
        assert _sent(chain, "referer") == ["https://shop.test/cart"] * 2, client
        assert _sent(chain, "origin") == [None, None], client


def test_a_cookie_samesite_keeps_off_is_listed_with_its_reason() -> None:
    web = {
        "https://app.test/callback": Observation(
            status=302,
            headers=(("Location", "/home"), ("Set-Cookie", "session=1; SameSite=Strict")),
            at=0.0,
        ),
    }
    chain = _chain(
        "https://app.test/callback", web, "chrome", page="https://idp.test/login",
        method="POST", body=b"code=1",
    )  # fmt: skip
    home = chain.hops[-1]
    assert _sent(chain, "cookie") == [None, None]
    [note] = [d for d in home.dropped_headers if d.name == "Cookie"]
    assert note.reason.startswith("session: SameSite=Strict")
    assert "https://idp.test/login" in note.reason
