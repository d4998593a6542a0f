"""The next request after a redirect, per client: method, body and headers.

The rows of ``profiles.toml`` decide; this module only applies them and says why each
header was dropped, because "my Authorization vanished" is a question users ask.
"""

from __future__ import annotations

from httpdoctor.trace.model import DroppedHeader, Request
from httpdoctor.trace.profiles import ClientProfile
from httpdoctor.trace.urls import Origin, origin_of

__all__ = ["follow_up"]


def _auth_survives(profile: ClientProfile, old: Origin, new: Origin) -> bool:
    if profile.auth_scope == "host":
        return old.host == new.host
    if old == new:
        return True
    if profile.auth_scope == "origin-except-upgrade":
        upgrade = (old.scheme, old.port, new.scheme, new.port) == ("http", 80, "https", 443)
        return upgrade and old.host == new.host
    return False


def follow_up(
    profile: ClientProfile, previous: Request, status: int, target: str
) -> tuple[Request, tuple[DroppedHeader, ...]]:
    """The request ``profile`` sends to ``target`` after ``previous`` got ``status``."""
    rule = profile.rule_for(status, previous.method)
    method = "GET" if rule is not None and rule.to_get else previous.method
    drop_body = rule is not None and rule.drop_body
    dropped: list[DroppedHeader] = []
    headers: list[tuple[str, str]] = []
    details: tuple[tuple[str, str], ...]

    body_headers = {h.lower() for h in profile.body_headers}
    auth_headers = {"authorization", *(h.lower() for h in profile.strip_with_auth)}
    old, new = origin_of(previous.url), origin_of(target)
    auth_ok = _auth_survives(profile, old, new)
    for name, value in previous.headers:
        lowered = name.lower()
        if drop_body and lowered in body_headers:
            if method != previous.method:
                why = f"the method became {method} after {status}"
                details = (("method", method), ("status", str(status)))
                dropped.append(DroppedHeader(name=name, reason=why, why="method", details=details))
            else:
                why = f"the body is not resent after {status}"
                details = (("status", str(status)),)
                dropped.append(DroppedHeader(name=name, reason=why, why="body", details=details))
        elif lowered == "cookie" and profile.rebuild_cookie:
            why = f"{profile.label} rebuilds Cookie from its cookie jar on every redirect"
            details = (("client", profile.label),)
            dropped.append(DroppedHeader(name=name, reason=why, why="jar", details=details))
        elif lowered in auth_headers and not auth_ok:
            moved = f"{old.scheme}://{old.host}:{old.port} -> {new.scheme}://{new.host}:{new.port}"
            why = f"{profile.label} drops it when the origin changes ({moved})"
            details = (("client", profile.label), ("moved", moved))
            dropped.append(DroppedHeader(name=name, reason=why, why="origin", details=details))
        else:
            headers.append((name, value))
    body = None if drop_body else previous.body
    return Request(url=target, method=method, headers=tuple(headers), body=body), tuple(dropped)
