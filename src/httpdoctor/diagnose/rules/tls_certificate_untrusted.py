"""tls-certificate-untrusted: the certificate does not lead to an authority clients trust.

Evidence: a network hop (in the main trace or in the https variant) whose TLS handshake
failed with ``self-signed`` (the server signed its own certificate: a panel's or distro's
placeholder) or ``untrusted`` (an issuer the client cannot link to a trusted root: a
missing intermediate, a private CA, a Cloudflare Origin CA certificate shown to browsers);
the certificate's names, issuer and expiry. Hops right after a synthetic HSTS hop are
left to hsts-upgrade-to-broken-https.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.diagnose.rules._hops import certificate_fields, tls_failures
from httpdoctor.trace.model import Hop

META = RuleMeta(id="tls-certificate-untrusted", severity=Severity.ERROR)

_FAILURES = frozenset({"self-signed", "untrusted"})


def _finding(hop: Hop, hops: tuple[int, ...], main: bool) -> Finding:
    fields = certificate_fields(hop)
    tls = hop.observation.tls
    failure = tls.failure if tls is not None and tls.failure else "untrusted"
    cause = failure
    if "cloudflare origin" in fields["issuer"].lower():
        cause = "cloudflare-origin"
    facts = {k: fields[k] for k in ("url", "names", "issuer", "message")}
    items: list[Evidence] = [evidence(cause, hops=hops, **facts)]
    items.append(
        evidence("validity", hops=hops, **{k: fields[k] for k in ("not_before", "not_after")})
    )
    if not main:
        items.append(evidence("https-variant", url=fields["url"]))
    return META.finding(
        evidence=tuple(items),
        hops=hops,
        host=fields["host"],
        failure=failure,
        cause=cause,
        issuer=fields["issuer"],
    )


def check(subject: Subject) -> Iterator[Finding]:
    reported: set[str] = set()
    for seen in tls_failures(subject, _FAILURES):
        host = certificate_fields(seen.hop)["host"]
        if host in reported:
            continue
        reported.add(host)
        yield _finding(seen.hop, seen.hops, seen.main)
