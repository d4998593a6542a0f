"""The founding case: the browser upgrades http→https on its own, and https is broken.

Evidence: a synthetic HSTS hop, the policy's source (own header, a parent's
includeSubDomains, the preload list), how the https request failed (no listener, a
certificate for other names, untrusted, expired, an error status), and, when known, that
curl or a fresh browser gets a working answer over http.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.facts import reason_of
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.trace.model import Chain, Hop

META = RuleMeta(id="hsts-upgrade-to-broken-https", severity=Severity.ERROR)


def _failure(hop: Hop) -> tuple[str, dict[str, object]] | None:
    """How the upgraded request failed: an evidence key and its fields."""
    obs = hop.observation
    tls = obs.tls
    if obs.error is not None and obs.error.kind.value == "tls" and tls is not None:
        cert = tls.certificate
        names = ", ".join(cert.sans) if cert and cert.sans else (cert.subject if cert else "")
        return f"tls-{tls.failure or 'other'}", {
            "names": names or "?",
            "not_after": cert.not_after if cert else "",
            "issuer": cert.issuer if cert else "",
            "message": tls.failure_message or obs.error.message,
        }
    if obs.error is not None and obs.error.kind.value in ("connect", "timeout", "dns"):
        return "unreachable", {"message": obs.error.message}
    if obs.status is not None and obs.status >= 400:
        return "error-status", {"status": obs.status, "reason": reason_of(hop)}
    return None


def _http_works(subject: Subject) -> tuple[str, Chain] | None:
    for label, chain in (("curl", subject.curl), ("fresh", subject.fresh)):
        if chain is None or not chain.hops:
            continue
        last = chain.hops[-1]
        if last.status is not None and last.status < 400 and last.observation.error is None:
            return label, chain
    return None


def check(subject: Subject) -> Iterator[Finding]:
    hops = subject.chain.hops
    for index, hop in enumerate(hops):
        if not hop.synthetic or hop.hsts_source is None or index + 1 >= len(hops):
            continue
        upgraded = hops[index + 1]
        failure = _failure(upgraded)
        if failure is None:
            continue
        key, fields = failure
        source = hop.hsts_source
        items: list[Evidence] = [
            evidence(
                f"policy-{source.via}",
                hops=(hop.index,),
                host=source.host,
                header=source.header or "",
                version=source.list_version or "",
            ),
            evidence(key, hops=(upgraded.index,), url=upgraded.request.url, **fields),
        ]
        works = _http_works(subject)
        if works is not None:
            label, chain = works
            last = chain.hops[-1]
            items.append(evidence(f"http-works-{label}", url=chain.request.url, status=last.status))
        yield META.finding(
            evidence=tuple(items),
            hops=(hop.index, upgraded.index),
            host=upgraded.request.url.split("://", 1)[1].split("/", 1)[0],
            source_host=source.host,
            via=source.via,
            header=source.header or "",
            failure=key,
            preloaded="yes" if source.via == "preload" else "no",
        )
        return
