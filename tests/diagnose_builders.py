"""Terse builders for diagnosis subjects, so rule cases read like the chains they describe.

subject(
    chain(
        hsts_hop("http://info.site.test/", source="site.test", header=PARENT_POLICY),
        tls_error_hop("https://info.site.test/", failure="name-mismatch", names=("other.test",)),
        outcome="error",
    ),
    curl=chain(hop("http://info.site.test/", 200)),
)
"""

from __future__ import annotations

from httpdoctor.diagnose.model import Subject
from httpdoctor.trace.cookies import Cookie, held_back_note
from httpdoctor.trace.model import (
    Certificate,
    Chain,
    DroppedHeader,
    ErrorKind,
    Hop,
    HopError,
    HopKind,
    HstsSource,
    Observation,
    Outcome,
    Probe,
    Request,
    TlsInfo,
)

__all__ = ["chain", "error_hop", "hop", "hsts_hop", "subject", "tls", "tls_error_hop"]

Headers = tuple[tuple[str, str], ...]


def tls(
    *,
    verified: bool = True,
    failure: str | None = None,
    names: tuple[str, ...] = ("site.test",),
    not_after: str = "2030-01-01T00:00:00+00:00",
    issuer: str = "Test CA",
) -> TlsInfo:
    return TlsInfo(
        version="TLSv1.3",
        cipher="TLS_AES_256_GCM_SHA384",
        certificate=Certificate(
            subject=names[0] if names else "",
            sans=names,
            issuer=issuer,
            not_before="2020-01-01T00:00:00+00:00",
            not_after=not_after,
            self_signed=failure == "self-signed",
        ),
        verified=verified and failure is None,
        failure=failure,
        failure_message=failure,
    )


def hop(
    url: str,
    status: int,
    *headers: tuple[str, str],
    method: str = "GET",
    body: bytes | None = None,
    location: str | None = None,
    reason: str = "",
    request_headers: Headers = (),
    page: bytes = b"",
    tls_info: TlsInfo | None = None,
    dropped: tuple[tuple[str, str] | DroppedHeader, ...] = (),
) -> Hop:
    """A network hop; ``location`` adds the Location header and the resolved target."""
    response = list(headers)
    if location is not None and not any(k.lower() == "location" for k, _ in response):
        response.append(("Location", location))
    if tls_info is None and url.startswith("https:"):
        tls_info = tls()
    return Hop(
        index=0,
        kind=HopKind.NETWORK,
        request=Request(url=url, method=method, headers=request_headers, body=body),
        dropped_headers=tuple(
            d if isinstance(d, DroppedHeader) else DroppedHeader(name=d[0], reason=d[1])
            for d in dropped
        ),
        observation=Observation(
            status=status,
            reason=reason,
            http_version="HTTP/1.1",
            headers=tuple(response),
            body_head=page,
            body_bytes=len(page),
            tls=tls_info,
        ),
        location_raw=location,
        location=location,
    )


def held_cookie(name: str, same_site: str, *, page: str, method: str = "GET") -> DroppedHeader:
    """A Cookie SameSite kept off a request, noted exactly as the tracer notes it;
    ``same_site`` as the cookie named it: "strict", "lax", or "" for none."""
    cookie = Cookie(
        name=name, value="v", domain="app.test", host_only=True, path="/", secure=True,
        expires_at=None, same_site=same_site,
    )  # fmt: skip
    return held_back_note(cookie, page, method)


def hsts_hop(url: str, *, source: str, header: str | None = None, via: str | None = None) -> Hop:
    """The browser's synthetic 307 to the https:// form of ``url``."""
    target = "https://" + url.split("://", 1)[1]
    host = url.split("://", 1)[1].split("/", 1)[0]
    how = via or ("dynamic" if source == host else "parent-includeSubDomains")
    return Hop(
        index=0,
        kind=HopKind.HSTS_INTERNAL,
        request=Request(url=url, method="GET"),
        dropped_headers=(),
        observation=Observation(
            status=307,
            reason="Internal Redirect",
            headers=(("Location", target), ("Non-Authoritative-Reason", "HSTS")),
        ),
        location_raw=target,
        location=target,
        hsts_source=HstsSource(host=source, via=how, header=header),
    )


def error_hop(url: str, kind: str, message: str = "failed", *, method: str = "GET") -> Hop:
    return Hop(
        index=0,
        kind=HopKind.NETWORK,
        request=Request(url=url, method=method),
        dropped_headers=(),
        observation=Observation(error=HopError(kind=ErrorKind(kind), message=message)),
    )


def tls_error_hop(url: str, *, failure: str, names: tuple[str, ...] = ("other.test",)) -> Hop:
    base = error_hop(url, "tls", f"{failure}: certificate verify failed")
    info = tls(verified=False, failure=failure, names=names)
    return Hop(
        index=0,
        kind=base.kind,
        request=base.request,
        dropped_headers=(),
        observation=Observation(error=base.observation.error, tls=info),
    )


def chain(
    *hops: Hop,
    outcome: str = "ok",
    loop: tuple[str, ...] = (),
    profile: str = "chrome",
    probes: tuple[Probe, ...] = (),
    referrer: str | None = None,
) -> Chain:
    numbered = tuple(
        Hop(
            index=i,
            kind=h.kind,
            request=h.request,
            dropped_headers=h.dropped_headers,
            observation=h.observation,
            location_raw=h.location_raw,
            location=h.location,
            hsts_source=h.hsts_source,
        )
        for i, h in enumerate(hops)
    )
    first = numbered[0].request if numbered else Request(url="http://site.test/", method="GET")
    return Chain(
        request=first,
        profile=profile,
        hops=numbered,
        probes=probes,
        outcome=Outcome(outcome),
        loop=loop,
        referrer=referrer,
    )


def subject(
    main: Chain,
    *,
    curl: Chain | None = None,
    fresh: Chain | None = None,
    https_variant: Chain | None = None,
    http_variant: Chain | None = None,
) -> Subject:
    return Subject(
        url=main.request.url,
        chain=main,
        curl=curl,
        fresh=fresh,
        https_variant=https_variant,
        http_variant=http_variant,
    )
