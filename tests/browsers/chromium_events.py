"""The hops of a redirect chain, read from the CDP ``Network`` events Chromium sends.

``requestWillBeSent`` opens a hop (its ``redirectResponse`` closes the previous one),
``responseReceived`` answers the final hop and ``loadingFailed`` gives the error. The
recorder keeps every event of a navigation in arrival order; the functions here find the
request it is after in that list (the document, a fetch(), its CORS preflights), tell
whether that request has ended, and turn its events into :class:`Hop` values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = [
    "RECORDED_EVENTS",
    "CdpEvent",
    "Hop",
    "document_request",
    "fetch_request",
    "hops_from_events",
    "preflight_requests",
    "recorder",
    "request_ended",
]

CdpEvent = tuple[str, Mapping[str, Any]]
"""One CDP event as the recorder keeps it: its method name and its params."""

_CHAIN_DONE: Final = ("Network.loadingFinished", "Network.loadingFailed")
RECORDED_EVENTS: Final = (
    "Network.requestWillBeSent",
    "Network.responseReceived",
    *_CHAIN_DONE,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Hop:
    """One request of a redirect chain, as Chromium reported it over CDP.

    ``status``/``status_text``/``location`` describe the response to this request: for
    a redirect that is the ``redirectResponse`` of the next request, for the last hop
    the final response. When the last request failed, ``error`` holds Chromium's net
    error (``net::ERR_TOO_MANY_REDIRECTS``, ``net::ERR_CERT_COMMON_NAME_INVALID``, ...).
    A request that failed before Chromium accepted a response has no status, whatever
    the server answered (the redirect that broke the limit); one whose response came
    and was then dropped keeps it (a 204 navigation: 204 and ``net::ERR_ABORTED``).

    ``synthetic`` marks the browser's internal redirect (HSTS): status 307 with reason
    phrase ``Internal Redirect`` or a ``Non-Authoritative-Reason`` header, whose value
    is ``reason`` (``HSTS``, ``DNS``, ``HttpsUpgrades``). ``protocol`` is what the
    response came over, in CDP's words (``http/1.1``, ``h2``).
    """

    url: str
    method: str
    status: int | None
    status_text: str | None
    synthetic: bool
    location: str | None
    error: str | None
    reason: str | None = None
    # Left out of ==: the hop tests compare chains; protocols are compared where meant.
    protocol: str | None = field(default=None, compare=False)


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return str(value)
    return None


@dataclass(slots=True)
class _OpenHop:
    url: str
    method: str
    status: int | None = None
    status_text: str | None = None
    location: str | None = None
    reason: str | None = None
    error: str | None = None
    protocol: str | None = None

    def respond(self, response: Mapping[str, Any]) -> None:
        headers: Mapping[str, Any] = response.get("headers", {})
        self.status = int(response["status"])
        self.status_text = str(response.get("statusText", ""))
        self.location = _header(headers, "Location")
        self.reason = _header(headers, "Non-Authoritative-Reason")
        self.protocol = str(response["protocol"]) if response.get("protocol") else None

    @property
    def synthetic(self) -> bool:
        return self.status == 307 and (
            self.status_text == "Internal Redirect" or self.reason is not None
        )

    def freeze(self) -> Hop:
        return Hop(
            url=self.url,
            method=self.method,
            status=self.status,
            status_text=self.status_text,
            synthetic=self.synthetic,
            location=self.location,
            error=self.error,
            reason=self.reason,
            protocol=self.protocol,
        )


def hops_from_events(events: Iterable[tuple[str, Mapping[str, Any]]], request_id: str) -> list[Hop]:
    """Turn the CDP Network events of one request (and its redirects) into hops."""
    hops: list[_OpenHop] = []
    for name, params in events:
        if params.get("requestId") != request_id:
            continue
        if name == "Network.requestWillBeSent":
            redirect = params.get("redirectResponse")
            if redirect is not None and hops:
                hops[-1].respond(redirect)
            request = params["request"]
            url = str(request["url"]) + str(request.get("urlFragment", ""))
            hops.append(_OpenHop(url=url, method=str(request["method"])))
        elif name == "Network.responseReceived" and hops and hops[-1].status is None:
            hops[-1].respond(params["response"])
        elif name == "Network.loadingFailed" and hops:
            hops[-1].error = str(params.get("errorText") or "net::ERR_FAILED")
    return [hop.freeze() for hop in hops]


def recorder(events: list[CdpEvent], name: str) -> Callable[[Mapping[str, Any]], None]:
    """A CDP listener for the event ``name`` that appends each one to ``events``."""

    def record(params: Mapping[str, Any]) -> None:
        events.append((name, params))

    return record


def request_ended(events: Iterable[CdpEvent], request_id: str) -> bool:
    """Whether the request (with its redirects) has finished or failed."""
    return any(
        name in _CHAIN_DONE and params.get("requestId") == request_id for name, params in events
    )


def document_request(events: Iterable[CdpEvent], frame_id: str) -> str | None:
    """The id of the first document request that the frame started (not a redirect)."""
    for name, params in events:
        if (
            name == "Network.requestWillBeSent"
            and params.get("type") == "Document"
            and params.get("frameId") == frame_id
            and "redirectResponse" not in params
        ):
            return str(params["requestId"])
    return None


def fetch_request(events: Iterable[CdpEvent], method: str) -> str | None:
    """The id of the first fetch() request made with ``method``."""
    for name, params in events:
        if (
            name == "Network.requestWillBeSent"
            and params.get("type") == "Fetch"
            and params["request"]["method"] == method
        ):
            return str(params["requestId"])
    return None


def preflight_requests(events: Iterable[CdpEvent], request_id: str) -> list[str]:
    """The ids of the CORS preflights Chromium sent for the request ``request_id``."""
    ids: list[str] = []
    for name, params in events:
        initiator = params.get("initiator", {})
        if (
            name == "Network.requestWillBeSent"
            and initiator.get("type") == "preflight"
            and initiator.get("requestId") == request_id
        ):
            ids.append(str(params["requestId"]))
    return ids
