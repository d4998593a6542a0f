"""The redirect engine, shaped like h11's Connection: ask what to do, report what happened.

    tracer = Tracer(...)
    while not isinstance(action := tracer.next_action(), Done):
        tracer.receive(driver.fetch(action.request))

No sockets, no clock: the driver performs each ``Fetch`` and passes back an
``Observation`` stamped with its time. The same engine serves the CLI, the tests and the
benchmarks. HSTS upgrades happen here, before the driver ever sees an http:// URL.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from httpdoctor.hsts.domains import parents_up_to_registrable
from httpdoctor.hsts.hosts import is_ip_address
from httpdoctor.hsts.preload import PreloadList
from httpdoctor.hsts.store import HstsStore
from httpdoctor.trace.cookies import Cookie, CookieJar, cookie_header, held_back_note, same_site
from httpdoctor.trace.failures import worded
from httpdoctor.trace.model import (
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
)
from httpdoctor.trace.profiles import ClientProfile
from httpdoctor.trace.referrer import PageReferrer
from httpdoctor.trace.rules import follow_up
from httpdoctor.trace.urls import (
    https_upgrade,
    names_port_80,
    origin_of,
    path_of,
    resolve_location,
)

__all__ = ["Done", "Fetch", "Tracer"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Fetch:
    """Send this request, follow no redirect, and report what came back."""

    request: Request
    probe: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Done:
    """The trace is finished."""

    chain: Chain


def _header_values(headers: tuple[tuple[str, str], ...], name: str) -> list[str]:
    wanted = name.lower()
    return [v for k, v in headers if k.lower() == wanted]


class Tracer:
    """Follows one request through its redirects as one client profile would."""

    def __init__(
        self,
        *,
        request: Request,
        profile: ClientProfile,
        now: float,
        store: HstsStore | None = None,
        preload: PreloadList | None = None,
        fresh_browser: bool = False,
        max_redirects: int | None = None,
        referrer: str | None = None,
    ) -> None:
        self.profile = profile
        # The page the request came from (curl's -e). A browser derives Referer and Origin
        # from it on every hop; other clients send it as given, like any header.
        self._referrer = referrer
        policy = profile.referrer_policy
        self._page = PageReferrer(referrer, policy) if referrer and policy else None
        if referrer is not None and self._page is None:
            request = replace(request, headers=(*request.headers, ("Referer", referrer)))
        self.store = store or HstsStore()
        self._preload = preload if profile.hsts == "browser" else None
        self._jar = CookieJar()
        self._now = now
        self._limit = profile.max_redirects if max_redirects is None else max_redirects
        self._initial = request
        self._next: Request | None = request
        self._dropped: tuple[DroppedHeader, ...] = ()
        self._in_flight: Fetch | None = None
        self._base: Request = request  # the request in flight, before the jar's cookies
        self._explicit_80 = False  # the Location leading here spelled out :80 (curl keeps it)
        self._hops: list[Hop] = []
        self._probes: list[Probe] = []
        self._redirects = 0
        # (method, URL, Cookie) of each request -> index of its first hop; the first
        # request is hop 0 with an empty jar.
        self._seen: dict[tuple[str, str, str | None], int] = {
            (request.method, request.url, None): 0
        }
        self._loop: tuple[str, ...] = ()
        self._outcome: Outcome | None = None
        self._stop_reason: str | None = None
        host = origin_of(request.url).host
        # Chromium ignores HSTS for IP addresses, so there is nothing to learn for them.
        visited = profile.hsts == "browser" and not fresh_browser and not is_ip_address(host)
        self._pending_probes = [host, *parents_up_to_registrable(host)] if visited else []

    # -- the loop -------------------------------------------------------------------

    def next_action(self) -> Fetch | Done:
        if self._in_flight is not None:
            raise RuntimeError("receive() the observation for the last Fetch first")
        if self._pending_probes:
            host = self._pending_probes[0]
            probe = Request(url=f"https://{host}/", method="GET", headers=self._ua())
            self._in_flight = Fetch(request=probe, probe=True)
            return self._in_flight
        if self._outcome is not None or self._next is None:
            return Done(chain=self._chain())
        request = self._upgrade_if_hsts(self._next)
        if self._outcome is not None:
            return Done(chain=self._chain())
        self._base = request
        self._in_flight = Fetch(request=self._outgoing(request))
        return self._in_flight

    def receive(self, observation: Observation) -> None:
        fetch, self._in_flight = self._in_flight, None
        if fetch is None:
            raise RuntimeError("receive() without a Fetch in flight")
        self._now = max(self._now, observation.at)
        if fetch.probe:
            self._receive_probe(fetch.request, observation)
        else:
            self._receive_hop(fetch.request, observation)

    # -- HSTS -----------------------------------------------------------------------

    def _hsts_source(self, host: str) -> HstsSource | None:
        entry = self.store.match(host, self._now)
        if entry is not None:
            via = "dynamic" if entry.host == host else "parent-includeSubDomains"
            return HstsSource(host=entry.host, via=via, header=entry.header)
        if self._preload is not None and (hit := self._preload.match(host)) is not None:
            return HstsSource(host=hit.entry, via="preload", list_version=self._preload.version)
        return None

    def _upgrade_if_hsts(self, request: Request) -> Request:
        origin = origin_of(request.url)
        if origin.scheme != "http" or not self.profile.knows_hsts:
            return request
        source = self._hsts_source(origin.host)
        if source is None:
            return request
        keep = self.profile.hsts == "in-run" and self._explicit_80
        target = https_upgrade(request.url, keep_port_80=keep)
        upgraded = Request(
            url=target, method=request.method, headers=request.headers, body=request.body
        )
        if self.profile.hsts == "in-run":
            return upgraded  # curl rewrites the URL silently; no hop of its own
        if self._redirects >= self._limit:
            self._finish(Outcome.TOO_MANY_REDIRECTS, f"more than {self._limit} redirects")
            return request
        headers = (("Location", target), ("Non-Authoritative-Reason", "HSTS"))
        self._hops.append(
            Hop(
                index=len(self._hops),
                kind=HopKind.HSTS_INTERNAL,
                request=self._outgoing(request),
                dropped_headers=self._dropped,
                observation=Observation(
                    status=307,
                    reason="Internal Redirect",
                    http_version="HTTP/1.1",
                    headers=headers,
                    at=self._now,
                ),
                location_raw=target,
                location=target,
                hsts_source=source,
            )
        )
        self._redirects += 1
        self._dropped = ()
        if self._page is not None:
            # Chromium runs the upgrade through its redirect path, Origin tainting included
            # (measured in tests/browsers/test_referrer_vs_chromium.py).
            self._page.redirected([], request.url, target)
        self._note_repeat(upgraded)
        return upgraded

    def _learn(self, request: Request, observation: Observation) -> bool:
        origin = origin_of(request.url)
        tls = observation.tls
        values = _header_values(observation.headers, "strict-transport-security")
        if origin.scheme != "https" or tls is None or not tls.verified or not values:
            return False
        before = self.store
        # Chromium processes only the first field (hsts-preload-spec.md §3.1).
        self.store = self.store.learn(origin.host, values[0], observation.at or self._now)
        return self.store is not before

    # -- probes and hops ------------------------------------------------------------

    def _receive_probe(self, request: Request, observation: Observation) -> None:
        host = self._pending_probes.pop(0)
        learned = observation.error is None and self._learn(request, observation)
        sts = _header_values(observation.headers, "strict-transport-security")
        self._probes.append(
            Probe(
                host=host,
                url=request.url,
                status=observation.status,
                sts_header=sts[0] if sts else None,
                learned=learned,
                error=observation.error,
                tls=observation.tls,
            )
        )

    def _receive_hop(self, request: Request, observation: Observation) -> None:
        hop = Hop(
            index=len(self._hops),
            kind=HopKind.NETWORK,
            request=request,
            dropped_headers=self._dropped,
            observation=observation,
        )
        self._dropped = ()
        if observation.error is not None:
            self._hops.append(hop)
            self._finish(Outcome.ERROR, observation.error.message)
            return
        if self.profile.knows_hsts:
            self._learn(request, observation)
        if self.profile.cookies:
            origin = origin_of(request.url)
            self._jar = self._jar.store(
                _header_values(observation.headers, "set-cookie"),
                host=origin.host,
                path=path_of(request.url),
                now=self._now,
                secure_origin=origin.scheme == "https",
                browser=self.profile.hsts == "browser",
            )
        status = observation.status or 0
        locations = [v for v in _header_values(observation.headers, "location") if v.strip()]
        if not self.profile.follows_status(status) or not locations:
            self._hops.append(hop)
            self._finish(Outcome.OK, None)
            return
        self._follow(hop, request, status, locations)

    def _follow(self, hop: Hop, request: Request, status: int, locations: list[str]) -> None:
        if len(set(locations)) > 1 and self.profile.multiple_locations == "error":
            text, fields = worded("locations")
            error = HopError(kind=ErrorKind.PROTOCOL, message=text, why="locations", details=fields)
            self._fail(hop, error, locations[0], None)
            return
        raw = ", ".join(dict.fromkeys(locations))
        target = resolve_location(request.url, raw.encode("latin-1", "replace"))
        if target is None or origin_of(target).scheme not in ("http", "https"):
            message, fields = worded("location", raw=repr(raw))
            error = HopError(
                kind=ErrorKind.INVALID_LOCATION, message=message, why="location", details=fields
            )
            self._fail(hop, error, raw, target)
            return
        self._hops.append(replace(hop, location_raw=raw, location=target))
        if self._redirects >= self._limit:
            self._finish(Outcome.TOO_MANY_REDIRECTS, f"more than {self._limit} redirects")
            return
        self._next, self._dropped = follow_up(self.profile, self._base, status, target)
        if self._page is not None:
            policies = _header_values(hop.observation.headers, "referrer-policy")
            self._page.redirected(policies, request.url, target)
        self._explicit_80 = names_port_80(raw)
        self._redirects += 1
        self._note_repeat(self._next)

    def _fail(self, hop: Hop, error: HopError, raw: str, target: str | None) -> None:
        failed = replace(hop.observation, error=error)
        self._hops.append(replace(hop, observation=failed, location_raw=raw, location=target))
        self._finish(Outcome.ERROR, error.message)

    # -- bookkeeping ----------------------------------------------------------------

    def _note_repeat(self, request: Request) -> None:
        """Remember each (method, URL, cookies) so that a cycle can be named."""
        cookie = self._cookie_header(request)
        key = (request.method, request.url, cookie)
        if key in self._seen and not self._loop:
            start = self._seen[key]
            self._loop = tuple(h.request.url for h in self._hops[start:])
        self._seen.setdefault(key, len(self._hops))

    def _cookie_header(self, request: Request) -> str | None:
        return cookie_header(self._cookies_for(request)[0])

    def _cookies_for(self, request: Request) -> tuple[list[Cookie], list[Cookie]]:
        """The jar's cookies for this request, and those SameSite holds back."""
        if not self.profile.cookies:
            return [], []
        url = request.url
        origin = origin_of(url)
        return self._jar.select(
            host=origin.host,
            path=path_of(url),
            secure=origin.scheme == "https",
            now=self._now,
            cross_site=self._page is not None and not same_site(self._page.page, url),
            method=request.method,
        )

    def _outgoing(self, request: Request) -> Request:
        """What goes on the wire: the browser's Referer and Origin, then the jar's cookies."""
        return self._with_cookies(self._with_referrer(request))

    def _with_referrer(self, request: Request) -> Request:
        if self._page is None:
            return request
        request, dropped = self._page.apply(request)
        if dropped is not None:
            self._dropped = (*self._dropped, dropped)
        return request

    def _with_cookies(self, request: Request) -> Request:
        """The request with the jar's cookies after any the caller set."""
        sent, held = self._cookies_for(request)
        for withheld in held:
            note = held_back_note(withheld, self._referrer or "", request.method)
            self._dropped = (*self._dropped, note)
        jar = cookie_header(sent)
        if jar is None:
            return request
        own = [v for k, v in request.headers if k.lower() == "cookie"]
        headers = tuple((k, v) for k, v in request.headers if k.lower() != "cookie")
        cookie = "; ".join([*own, jar])
        return replace(request, headers=(*headers, ("Cookie", cookie)))

    def _ua(self) -> tuple[tuple[str, str], ...]:
        return tuple((k, v) for k, v in self._initial.headers if k.lower() == "user-agent")

    def _finish(self, outcome: Outcome, reason: str | None) -> None:
        if outcome is Outcome.TOO_MANY_REDIRECTS and self._loop:
            outcome = Outcome.REDIRECT_LOOP
        self._outcome, self._stop_reason = outcome, reason
        self._next = None

    def _chain(self) -> Chain:
        return Chain(
            request=self._initial,
            profile=self.profile.id,
            hops=tuple(self._hops),
            probes=tuple(self._probes),
            outcome=self._outcome or Outcome.OK,
            loop=self._loop,
            stop_reason=self._stop_reason,
            referrer=self._referrer,
        )
