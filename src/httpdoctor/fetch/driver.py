"""The loop that drives the sans-IO tracer with real requests."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from httpdoctor.fetch.fetcher import Fetcher, FetchSettings
from httpdoctor.hsts.preload import PreloadList
from httpdoctor.hsts.store import HstsStore
from httpdoctor.trace.model import Chain, Request
from httpdoctor.trace.profiles import ClientProfile
from httpdoctor.trace.tracer import Done, Fetch, Tracer

__all__ = ["TraceResult", "TraceSpec", "run_trace"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TraceSpec:
    """Everything one trace needs, gathered by the CLI (or a test, or a benchmark)."""

    request: Request
    profile: ClientProfile
    settings: FetchSettings
    store: HstsStore = field(default_factory=HstsStore)
    preload: PreloadList | None = None
    fresh_browser: bool = False
    max_redirects: int | None = None
    referrer: str | None = None  # the page the request came from (-e)


@dataclass(frozen=True, slots=True, kw_only=True)
class TraceResult:
    """The chain, and the HSTS state the client ends with (for --hsts-store)."""

    chain: Chain
    store: HstsStore


def run_trace(spec: TraceSpec, *, on_fetch: Callable[[Fetch], None] | None = None) -> TraceResult:
    tracer = Tracer(
        request=spec.request,
        profile=spec.profile,
        now=time.time(),
        store=spec.store,
        preload=spec.preload,
        fresh_browser=spec.fresh_browser,
        max_redirects=spec.max_redirects,
        referrer=spec.referrer,
    )
    with Fetcher(spec.settings, alpn=spec.profile.alpn) as fetcher:
        while not isinstance(action := tracer.next_action(), Done):
            if on_fetch is not None:
                on_fetch(action)
            tracer.receive(fetcher.fetch(action.request))
    return TraceResult(chain=action.chain, store=tracer.store)
