"""Client profiles: the per-client redirect rules, read from ``data/profiles.toml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from httpdoctor import _resources
from httpdoctor.errors import DataError, UsageError
from httpdoctor.trace.referrer import POLICIES

__all__ = ["ClientProfile", "RewriteRule", "load_profiles", "profile_named"]

_HSTS_MODES = frozenset({"browser", "in-run", "none"})
_AUTH_SCOPES = frozenset({"origin", "host", "origin-except-upgrade"})
_PROTOCOLS = frozenset({"h2", "http/1.1"})


@dataclass(frozen=True, slots=True, kw_only=True)
class RewriteRule:
    """How one client changes the next request after a given status and method."""

    statuses: frozenset[int]
    methods: frozenset[str] | None  # None: any method…
    except_methods: frozenset[str]  # …but these
    to_get: bool
    drop_body: bool

    def matches(self, status: int, method: str) -> bool:
        if status not in self.statuses or method in self.except_methods:
            return False
        return self.methods is None or method in self.methods


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientProfile:
    """Everything that makes one client's redirect chain differ from another's."""

    id: str
    label: str
    source: str
    user_agent: str
    max_redirects: int
    follows: frozenset[int]
    follow_any_3xx: bool
    hsts: str
    cookies: bool
    multiple_locations: str
    auth_scope: str
    strip_with_auth: tuple[str, ...]
    rebuild_cookie: bool
    body_headers: tuple[str, ...]
    rewrite: tuple[RewriteRule, ...]
    alpn: tuple[str, ...]  # offered in the TLS hello, in order of preference
    # A browser's default policy, deriving Referer and Origin per hop from the page a
    # request came from; None: the client sends a given Referer as it is.
    referrer_policy: str | None

    @property
    def knows_hsts(self) -> bool:
        return self.hsts != "none"

    def follows_status(self, status: int) -> bool:
        return status in self.follows or (self.follow_any_3xx and 300 <= status <= 399)

    def rule_for(self, status: int, method: str) -> RewriteRule | None:
        return next((r for r in self.rewrite if r.matches(status, method)), None)


def _rule(row: dict[str, Any], where: str) -> RewriteRule:
    unknown = set(row) - {"status", "methods", "except_methods", "to", "drop_body"}
    if unknown or "status" not in row or row.get("to", "GET") != "GET":
        raise DataError.of("data.profile_rule", where=where)
    return RewriteRule(
        statuses=frozenset(row["status"]),
        methods=frozenset(row["methods"]) if "methods" in row else None,
        except_methods=frozenset(row.get("except_methods", ())),
        to_get="to" in row,
        drop_body=bool(row.get("drop_body", "to" in row)),
    )


def _profile(pid: str, row: dict[str, Any]) -> ClientProfile:
    where = f"profiles.toml [{pid}]"
    try:
        profile = ClientProfile(
            id=pid,
            label=row["label"],
            source=row["source"],
            user_agent=row["user_agent"],
            max_redirects=int(row["max_redirects"]),
            follows=frozenset(row["follows"]),
            follow_any_3xx=bool(row["follow_any_3xx"]),
            hsts=row["hsts"],
            cookies=bool(row["cookies"]),
            multiple_locations=row["multiple_locations"],
            auth_scope=row["auth_scope"],
            strip_with_auth=tuple(row["strip_with_auth"]),
            rebuild_cookie=bool(row["rebuild_cookie"]),
            body_headers=tuple(row["body_headers"]),
            rewrite=tuple(_rule(r, f"{where} rewrite") for r in row["rewrite"]),
            alpn=tuple(row["alpn"]),
            referrer_policy=row.get("referrer_policy"),
        )
    except KeyError as exc:
        raise DataError.of("data.profile_missing", where=where, key=exc.args[0]) from None
    if profile.hsts not in _HSTS_MODES or profile.auth_scope not in _AUTH_SCOPES:
        raise DataError.of("data.profile_modes", where=where)
    if profile.referrer_policy is not None and profile.referrer_policy not in POLICIES:
        raise DataError.of(
            "data.profile_referrer_policy", where=where, policies=", ".join(POLICIES)
        )
    if not profile.alpn or not set(profile.alpn) <= _PROTOCOLS:
        raise DataError.of("data.profile_alpn", where=where)
    return profile


@cache
def load_profiles() -> dict[str, ClientProfile]:
    table = _resources.load_toml("trace", "profiles.toml")
    return {pid: _profile(pid, row) for pid, row in table.items()}


def profile_named(name: str) -> ClientProfile:
    profiles = load_profiles()
    try:
        return profiles[name.strip().lower()]
    except KeyError:
        raise UsageError.of("trace.unknown_profile", name=name, names="|".join(profiles)) from None
