"""The traces a diagnosis needs besides the main one, gathered into a ``Subject``."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass, replace

from httpdoctor.diagnose.model import Subject
from httpdoctor.fetch.driver import TraceResult, TraceSpec, run_trace
from httpdoctor.fetch.resolve import match_rule
from httpdoctor.hsts.store import HstsStore
from httpdoctor.trace.model import Chain, Request
from httpdoctor.trace.profiles import profile_named
from httpdoctor.trace.tracer import Fetch
from httpdoctor.trace.urls import origin_of

__all__ = ["Investigation", "investigate"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Investigation:
    """The subject for the rules, and the main trace's result (for --hsts-store)."""

    subject: Subject
    main: TraceResult
    extra: tuple[tuple[str, Chain], ...]


def _other_scheme(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return ("http://" if scheme == "https" else "https://") + rest


def _addresses(spec: TraceSpec) -> tuple[str, ...]:
    origin = origin_of(spec.request.url)
    rule = match_rule(spec.settings.resolve, origin.host, origin.port)
    if rule is not None:
        return (rule.address,)
    try:
        infos = socket.getaddrinfo(origin.host, origin.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return ()
    return tuple(dict.fromkeys(str(info[4][0]) for info in infos))


def investigate(
    spec: TraceSpec, *, on_fetch: Callable[[Fetch], None] | None = None
) -> Investigation:
    main = run_trace(spec, on_fetch=on_fetch)
    chain = main.chain
    fresh_spec = replace(spec, fresh_browser=True, store=HstsStore())
    curl = run_trace(
        replace(fresh_spec, profile=profile_named("curl"), preload=None), on_fetch=on_fetch
    ).chain
    fresh = None
    if any(h.synthetic for h in chain.hops):
        fresh = run_trace(replace(fresh_spec, preload=None), on_fetch=on_fetch).chain
    other = Request(
        url=_other_scheme(spec.request.url),
        method="GET",
        headers=tuple((k, v) for k, v in spec.request.headers if k.lower() == "user-agent"),
    )
    variant = run_trace(replace(fresh_spec, request=other, preload=None), on_fetch=on_fetch).chain
    is_https = spec.request.url.startswith("https:")
    extra = [("curl", curl), ("other-scheme", variant)]
    if fresh is not None:
        extra.append(("fresh-browser", fresh))
    subject = Subject(
        url=spec.request.url,
        chain=chain,
        curl=curl,
        fresh=fresh,
        https_variant=chain if is_https else variant,
        http_variant=variant if is_https else chain,
        addresses=_addresses(spec),
    )
    return Investigation(subject=subject, main=main, extra=tuple(extra))
