"""tls-certificate-name-mismatch: the server presents a certificate for other names.

Evidence: a network hop (in the main trace or in the https variant) whose TLS handshake
failed with ``name-mismatch``, the names (SANs) the certificate covers, its issuer and
expiry, and, when the names show it, the usual shape of the mistake: a wildcard one level
too shallow, a wildcard without the bare domain, or only the www / bare twin. Hops right
after a synthetic HSTS hop are left to hsts-upgrade-to-broken-https.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.diagnose.rules._hops import certificate_fields, tls_failures
from httpdoctor.trace.model import Hop

META = RuleMeta(id="tls-certificate-name-mismatch", severity=Severity.ERROR)


def _twin(host: str) -> str:
    return host[4:] if host.startswith("www.") else f"www.{host}"


def _cause(host: str, sans: tuple[str, ...]) -> tuple[str, str]:
    """How the names miss ``host``: a cause and the SAN that shows it."""
    names = [n.lower().rstrip(".") for n in sans]
    for name in names:
        if not name.startswith("*."):
            continue
        base = name[2:]
        if host == base:
            return "wildcard-apex", name
        if host.endswith("." + base):
            return "wildcard-one-level", name
    twin = _twin(host)
    if twin in names:
        return "www", twin
    return "other-names", ""


def _finding(hop: Hop, hops: tuple[int, ...], main: bool) -> Finding:
    fields = certificate_fields(hop)
    host = fields["host"].lower()
    cert = hop.observation.tls.certificate if hop.observation.tls is not None else None
    cause, name = _cause(host, cert.sans if cert is not None else ())
    items: list[Evidence] = [
        evidence("names", hops=hops, url=fields["url"], host=host, names=fields["names"]),
        evidence(
            "issued",
            hops=hops,
            issuer=fields["issuer"],
            not_before=fields["not_before"],
            not_after=fields["not_after"],
        ),
    ]
    if cause != "other-names":
        items.append(evidence(cause, hops=hops, host=host, name=name))
    if not main:
        items.append(evidence("https-variant", url=fields["url"]))
    domains = f"-d {host}"
    if cause == "www":
        bare = host[4:] if host.startswith("www.") else host
        domains = f"-d {bare} -d www.{bare}"
    return META.finding(
        evidence=tuple(items),
        hops=hops,
        host=host,
        names=fields["names"],
        cause=cause,
        domains=domains,
        parent=host.split(".", 1)[1] if "." in host else host,
    )


def check(subject: Subject) -> Iterator[Finding]:
    reported: set[str] = set()
    for seen in tls_failures(subject, frozenset({"name-mismatch"})):
        fields = certificate_fields(seen.hop)
        if fields["host"] in reported:
            continue
        reported.add(fields["host"])
        yield _finding(seen.hop, seen.hops, seen.main)
