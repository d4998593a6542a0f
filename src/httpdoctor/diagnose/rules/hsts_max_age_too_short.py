"""hsts-max-age-too-short: a valid HSTS policy whose max-age is under a year.

Evidence: the first Strict-Transport-Security field (the one Chromium reads) of https
responses over a certificate the browser accepted, read with ``parse_chromium``: valid,
with 0 < max-age < 31536000. max-age=0 is a deliberate removal, not a short policy, and is
left alone; invalid headers are hsts-header-invalid's business. One finding per host.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import all_chains, headers, host, is_https, main_hops, network_hops
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.hsts.header import parse_chromium
from httpdoctor.trace.model import Hop

META = RuleMeta(id="hsts-max-age-too-short", severity=Severity.WARNING)

_STS = "Strict-Transport-Security"
YEAR = 31536000  # what the preload list requires, and where Chromium clamps


def _policy_source(hop: Hop) -> str | None:
    """The header a browser would take from this hop, or None."""
    tls = hop.observation.tls
    if not is_https(hop.request.url) or hop.observation.error is not None:
        return None
    if tls is None or not tls.verified:
        return None
    values = headers(hop, _STS)
    return values[0] if values else None


def _suggested(value: str, include_subdomains: bool) -> str:
    """The same policy with a year's max-age, keeping includeSubDomains and preload."""
    directives = {part.strip().lower() for part in value.split(";")}
    text = f"max-age={YEAR}"
    if include_subdomains:
        text += "; includeSubDomains"
    if "preload" in directives:
        text += "; preload"
    return text


def check(subject: Subject) -> Iterator[Finding]:
    by_host: dict[str, list[tuple[Hop, str, int]]] = {}
    for chain in all_chains(subject):
        for hop in network_hops(chain):
            value = _policy_source(hop)
            if value is None:
                continue
            reading = parse_chromium(value)
            if not reading.valid or reading.max_age is None:
                continue
            if 0 < reading.max_age < YEAR:
                by_host.setdefault(host(hop.request.url), []).append((hop, value, reading.max_age))
    for name, found in by_host.items():
        _, first_value, first_age = found[0]
        items: list[Evidence] = []
        seen: set[str] = set()
        for hop, value, max_age in found:
            if value in seen:
                continue
            seen.add(value)
            days = max_age / 86400
            key = "short" if days >= 2 else "short-a-day" if days >= 1 else "short-under-a-day"
            items.append(
                evidence(
                    key,
                    hops=main_hops(subject, hop),
                    url=hop.request.url,
                    header=value,
                    max_age=max_age,
                    days=f"{days:.0f}" if days >= 10 or days.is_integer() else f"{days:.1f}",
                )
            )
        include = parse_chromium(first_value).include_subdomains
        suggested = _suggested(first_value, include)
        preload = "preload" in suggested
        if preload:
            items.append(evidence("preload-needs-year", max_age=first_age))
        yield META.finding(
            evidence=tuple(items),
            hops=tuple(sorted({i for item in items for i in item.hops})),
            host=name,
            header=first_value,
            max_age=first_age,
            suggested=suggested,
            preload="yes" if preload else "no",
        )
