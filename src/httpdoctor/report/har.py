"""HAR 1.2 (the W3C draft that browsers export), synthetic HSTS hops included.

Chrome exports its internal redirect as an entry with status 307 and statusText
"Internal Redirect", headers Location and Non-Authoritative-Reason, and no timings; we
write the same so the file reads the same in any HAR viewer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from httpdoctor import __version__
from httpdoctor.trace.model import Chain, Hop

__all__ = ["chain_har"]


def _ms(value: float | None) -> float:
    return round(value, 3) if value is not None else -1


def _headers(pairs: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in pairs]


def _content_type(hop: Hop) -> str:
    for name, value in hop.observation.headers:
        if name.lower() == "content-type":
            return value
    return ""


def _entry(hop: Hop) -> dict[str, Any]:
    obs = hop.observation
    t = obs.timings
    send = 0.0
    wait = max(t.ttfb or 0.0, 0.0)
    total = t.total or 0.0
    blocked_and_setup = sum(v for v in (t.dns, t.connect) if v is not None and v > 0)
    receive = max(total - wait - blocked_and_setup, 0.0)
    request = hop.request
    started = datetime.fromtimestamp(obs.at or 0, tz=UTC) if obs.at else datetime.now(tz=UTC)
    entry: dict[str, Any] = {
        "startedDateTime": started.isoformat().replace("+00:00", "Z"),
        "time": round(total, 3),
        "request": {
            "method": request.method,
            "url": request.url,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": _headers(request.headers),
            "queryString": [
                {"name": k, "value": v}
                for k, v in parse_qsl(urlsplit(request.url).query, keep_blank_values=True)
            ],
            "headersSize": -1,
            "bodySize": len(request.body) if request.body is not None else 0,
        },
        "response": {
            "status": obs.status or 0,
            "statusText": obs.reason,
            "httpVersion": obs.http_version or "",
            "cookies": [],
            "headers": _headers(obs.headers),
            "content": {"size": obs.body_bytes, "mimeType": _content_type(hop)},
            "redirectURL": hop.location or "",
            "headersSize": -1,
            "bodySize": obs.body_bytes if obs.status else -1,
        },
        "cache": {},
        "timings": {
            "blocked": -1,
            "dns": _ms(t.dns),
            "connect": _ms(t.connect),
            "ssl": _ms(t.tls),
            "send": send,
            "wait": round(wait, 3),
            "receive": round(receive, 3),
        },
    }
    if request.body is not None:
        entry["request"]["postData"] = {
            "mimeType": next(
                (v for k, v in request.headers if k.lower() == "content-type"),
                "application/octet-stream",
            ),
            "text": request.body.decode("utf-8", "replace"),
        }
    if obs.peer and not hop.synthetic:
        entry["serverIPAddress"] = obs.peer.rsplit(":", 1)[0].strip("[]")
    if obs.error is not None:
        entry["response"]["_error"] = f"{obs.error.kind.value}: {obs.error.message}"
    return entry


def chain_har(chain: Chain) -> dict[str, Any]:
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "httpdoctor", "version": __version__},
            "entries": [_entry(h) for h in chain.hops],
        }
    }
