"""A tiny web of hand-made observations for driving the tracer: no network, no clock.

A test describes the web as ``{url: Observation}`` (anything else answers 200), runs the
tracer against it and reads the chain. Shared by the tracer's unit tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from httpdoctor.hsts.preload import PreloadList
from httpdoctor.hsts.store import HstsStore
from httpdoctor.trace.model import (
    Chain,
    HopKind,
    Observation,
    Request,
    TlsInfo,
)
from httpdoctor.trace.profiles import profile_named
from httpdoctor.trace.tracer import Done, Fetch, Tracer

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


def redirect_to(
    status: int, *locations: str, tls: TlsInfo | None = None, **extra: str
) -> Observation:
    headers = tuple(("Location", loc) for loc in locations)
    headers += tuple((name.replace("_", "-"), value) for name, value in extra.items())
    return Observation(status=status, headers=headers, tls=tls, at=NOW)


def sts_response(value: str, *, tls: TlsInfo | None = TLS_OK, status: int = 200) -> Observation:
    return Observation(
        status=status, headers=(("Strict-Transport-Security", value),), tls=tls, at=NOW
    )


def make_tracer(
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


def run_tracer(tracer: Tracer, web: Web) -> tuple[Chain, list[Fetch]]:
    fetches: list[Fetch] = []
    for _ in range(200):
        action = tracer.next_action()
        if isinstance(action, Done):
            return action.chain, fetches
        fetches.append(action)
        tracer.receive(web.get(action.request.url, OK))
    raise AssertionError("the tracer never finished")


def trace_through(url: str, web: Web, profile: str = "chrome", **options: Any) -> Chain:
    chain, _ = run_tracer(make_tracer(url, profile, **options), web)
    return chain


def urls_of(chain: Chain) -> list[str]:
    return [hop.request.url for hop in chain.hops]


def kinds_of(chain: Chain) -> list[HopKind]:
    return [hop.kind for hop in chain.hops]


def header_value(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name.lower()), None)
