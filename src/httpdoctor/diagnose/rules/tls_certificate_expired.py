"""tls-certificate-expired: the server presents a certificate past its expiry date.

Evidence: a network hop (in the main trace or in the https variant) whose TLS handshake
failed with ``expired``, the certificate's names, issuer and not-after date, and how many
days before the check it ran out (from the hop's time, when recorded). Hops right after a
synthetic HSTS hop are left to hsts-upgrade-to-broken-https.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.diagnose.rules._hops import certificate_fields, tls_failures
from httpdoctor.trace.model import Hop

META = RuleMeta(id="tls-certificate-expired", severity=Severity.ERROR)


def _days_ago(not_after: str, at: float) -> int | None:
    """Whole days between the expiry and the moment the hop failed, if both are known."""
    if at <= 0:
        return None
    try:
        expiry = datetime.fromisoformat(not_after)
    except ValueError:
        return None
    if expiry.tzinfo is None:
        return None
    days = int((at - expiry.timestamp()) // 86400)
    return days if days >= 0 else None


def _finding(hop: Hop, hops: tuple[int, ...], main: bool) -> Finding:
    fields = certificate_fields(hop)
    days = _days_ago(fields["not_after"], hop.observation.at)
    facts = {"url": fields["url"], "not_after": fields["not_after"], "issuer": fields["issuer"]}
    items: list[Evidence] = [
        evidence("expired-days", hops=hops, days=days, **facts)
        if days is not None
        else evidence("expired", hops=hops, **facts),
        evidence("names", hops=hops, names=fields["names"], not_before=fields["not_before"]),
    ]
    if not main:
        items.append(evidence("https-variant", url=fields["url"]))
    return META.finding(
        evidence=tuple(items),
        hops=hops,
        host=fields["host"],
        not_after=fields["not_after"],
        date=fields["not_after"][:10],
        issuer=fields["issuer"],
    )


def check(subject: Subject) -> Iterator[Finding]:
    reported: set[str] = set()
    for seen in tls_failures(subject, frozenset({"expired"})):
        host = certificate_fields(seen.hop)["host"]
        if host in reported:
            continue
        reported.add(host)
        yield _finding(seen.hop, seen.hops, seen.main)
