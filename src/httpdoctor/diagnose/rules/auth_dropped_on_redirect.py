"""auth-dropped-on-redirect: the client stopped sending Authorization after a redirect.

Evidence: a hop (in the main trace or curl's) whose ``dropped_headers`` name
Authorization: the tracer drops it, as the client would, when a redirect crosses origins.
Reported: the redirect that caused it, which part of the origin changed (host, scheme or
port), whether the credentials had already gone out over plain http, and what the
target answered without them (401/403).
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import client_label, origin_change
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.trace.model import Chain, Hop
from httpdoctor.trace.urls import origin_of

META = RuleMeta(id="auth-dropped-on-redirect", severity=Severity.WARNING)


def _dropped(chain: Chain) -> tuple[Hop, Hop] | None:
    """The redirect and the next request that went without Authorization."""
    for hop in chain.hops[1:]:
        if any(d.name.lower() == "authorization" for d in hop.dropped_headers):
            return chain.hops[hop.index - 1], hop
    return None


def _final(chain: Chain) -> Evidence | None:
    last = chain.hops[-1]
    if last.status in (401, 403) and last.location is None:
        return evidence("final-denied", url=last.request.url, status=last.status)
    return None


def check(subject: Subject) -> Iterator[Finding]:
    traces = [subject.chain]
    if subject.curl is not None and subject.curl is not subject.chain:
        traces.append(subject.curl)
    for chain in traces:
        found = _dropped(chain)
        if found is None:
            continue
        redirect, hop = found
        old, new = origin_of(redirect.request.url), origin_of(hop.request.url)
        change = origin_change(old, new)
        client = client_label(chain.profile)
        in_main = chain is subject.chain
        items: list[Evidence] = [
            evidence(
                f"dropped-{change}",
                hops=(redirect.index, hop.index) if in_main else (),
                client=client,
                from_url=redirect.request.url,
                to_url=hop.request.url,
                status=redirect.status,
                from_origin=old.serialize(),
                to_origin=new.serialize(),
            )
        ]
        if old.scheme == "http":
            items.append(evidence("sent-in-clear", url=redirect.request.url))
        final = _final(chain)
        if final is not None:
            items.append(final)
        yield META.finding(
            evidence=tuple(items),
            hops=(redirect.index, hop.index) if in_main else (),
            client=client,
            from_url=redirect.request.url,
            to_url=hop.request.url,
            from_host=old.host,
            to_host=new.host,
            from_origin=old.serialize(),
            to_origin=new.serialize(),
            change=change,
            server_fix="no" if change == "scheme" else "yes",
        )
        return  # one finding: the first trace that shows it
