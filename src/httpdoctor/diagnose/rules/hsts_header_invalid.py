"""hsts-header-invalid: an https response's Strict-Transport-Security that does not work.

Two shapes, from the https network hops of every trace: the first Strict-Transport-Security
field (the only one Chromium reads) is one Chromium ignores entirely (``parse_chromium``
says why), or the response carries several Strict-Transport-Security fields (Chromium
takes the first, hstspreload.org refuses the response). Identical valid duplicates change
nothing for browsers and are reported as a warning; the rest is an error. One finding per
host.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import all_chains, headers, host, is_https, main_hops, network_hops
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.hsts.header import parse_chromium
from httpdoctor.trace.model import Hop

META = RuleMeta(id="hsts-header-invalid", severity=Severity.ERROR)

_STS = "Strict-Transport-Security"


def _problems(subject: Subject, hop: Hop) -> list[Evidence]:
    values = headers(hop, _STS)
    if not values:
        return []
    items: list[Evidence] = []
    where = main_hops(subject, hop)
    url = hop.request.url
    if len(values) > 1:
        items.append(
            evidence(
                "multiple",
                hops=where,
                url=url,
                count=len(values),
                first=values[0],
                others=" | ".join(values[1:]),
            )
        )
    reading = parse_chromium(values[0])
    if not reading.valid:
        items.append(
            evidence("invalid", hops=where, url=url, header=values[0], problem=reading.problem)
        )
    return items


def check(subject: Subject) -> Iterator[Finding]:
    by_host: dict[str, tuple[Hop, list[Evidence]]] = {}
    for chain in all_chains(subject):
        for hop in network_hops(chain):
            url = hop.request.url
            if not is_https(url) or hop.observation.error is not None or hop.status is None:
                continue
            name = host(url)
            if name in by_host:
                continue
            items = _problems(subject, hop)
            if items:
                by_host[name] = (hop, items)
    for name, (hop, items) in by_host.items():
        values = headers(hop, _STS)
        reading = parse_chromium(values[0])
        kind = "multiple" if len(values) > 1 else "invalid"
        harmless = kind == "multiple" and reading.valid and len(set(values)) == 1
        if not reading.valid:
            items.append(evidence("ignored", host=name))
        elif kind == "multiple":
            items.append(evidence("first-wins", header=values[0]))
        yield META.finding(
            evidence=tuple(items),
            hops=tuple(sorted({i for item in items for i in item.hops})),
            severity=Severity.WARNING if harmless else None,
            host=name,
            kind=kind,
            header=values[0],
            count=len(values),
        )
