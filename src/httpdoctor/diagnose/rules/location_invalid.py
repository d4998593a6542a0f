"""location-invalid: a Location clients cannot follow, or one only browsers repair.

Evidence, on network hops of the main trace and of the other-scheme variant:
- an ``invalid_location`` error: the Location did not parse as a URL, or it names a
  scheme other than http/https (browsers refuse to follow it: an error);
- a Location value with raw non-ASCII bytes, spaces or control characters: browsers
  percent-encode them before following, but HTTP libraries, crawlers and checkers decode
  them differently or reject them (a warning). The percent-encoded form is the fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import headers
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.diagnose.rules._hops import Seen, seen_hops
from httpdoctor.trace.model import ErrorKind
from httpdoctor.trace.urls import host_of, origin_of

META = RuleMeta(id="location-invalid", severity=Severity.ERROR)


def _readable(value: str) -> str:
    """The header as its sender meant it: latin-1 decoded bytes read again as UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def _unsafe(value: str) -> bool:
    return any(ord(c) > 126 or ord(c) <= 32 for c in value.strip(" \t"))


def _encoded(value: str) -> str:
    """The same Location with everything outside printable ASCII percent-encoded (UTF-8)."""
    return "".join(
        c if 32 < ord(c) < 127 else "".join(f"%{b:02X}" for b in c.encode("utf-8"))
        for c in _readable(value).strip(" \t")
    )


def _invalid(seen: Seen) -> Finding:
    hop = seen.hop
    raw = hop.location_raw or ", ".join(headers(hop, "location"))
    target = hop.location
    scheme = origin_of(target).scheme if target else ""
    problem = "scheme" if target and scheme not in ("http", "https") else "unparseable"
    items: list[Evidence] = [
        evidence(
            problem,
            hops=seen.hops,
            url=hop.request.url,
            status=hop.status,
            location=_readable(raw),
            scheme=scheme,
        )
    ]
    if not seen.main:
        items.append(evidence("other-variant", url=hop.request.url))
    return META.finding(
        evidence=tuple(items),
        hops=seen.hops,
        url=hop.request.url,
        host=host_of(hop.request.url),
        location=_readable(raw),
        problem=problem,
        scheme=scheme,
    )


def check(subject: Subject) -> Iterator[Finding]:
    unsafe: list[tuple[Seen, str]] = []
    invalid: Finding | None = None
    for seen in seen_hops(subject, skip_after_hsts=False):
        error = seen.hop.observation.error
        if error is not None and error.kind is ErrorKind.INVALID_LOCATION:
            invalid = invalid or _invalid(seen)
            continue
        if seen.hop.location_raw is None:
            continue
        for value in dict.fromkeys(headers(seen.hop, "location")):
            if value.strip() and _unsafe(value):
                unsafe.append((seen, value))
    if invalid is not None:
        yield invalid
    if not unsafe:
        return
    items: list[Evidence] = []
    for seen, value in unsafe:
        fields = {
            "url": seen.hop.request.url,
            "location": _readable(value),
            "encoded": _encoded(value),
        }
        items.append(evidence("non-ascii", hops=seen.hops, **fields))
    first, value = unsafe[0]
    yield META.finding(
        evidence=tuple(items),
        hops=tuple(i for seen, _ in unsafe for i in seen.hops),
        severity=Severity.WARNING,
        url=first.hop.request.url,
        host=host_of(first.hop.request.url),
        location=_readable(value),
        encoded=_encoded(value),
        problem="non-ascii",
        scheme="",
    )
