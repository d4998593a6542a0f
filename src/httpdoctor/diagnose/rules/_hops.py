"""Which server responses a rule looks at: shared by several rules, not a rule itself.

The main trace comes first; the other-scheme variant (the same URL over http or https,
traced by a fresh browser) adds the entry point the main trace did not take. For rules
about failures, hops right after a synthetic HSTS hop belong to hsts-upgrade-to-broken-https
and are left out, in every trace, by URL: the variant often repeats the very request the
upgrade made.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from httpdoctor.diagnose.model import Subject
from httpdoctor.trace.model import Chain, ErrorKind, Hop
from httpdoctor.trace.urls import host_of

__all__ = ["Seen", "after_hsts_urls", "certificate_fields", "seen_hops", "tls_failures"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Seen:
    """A network hop and whether it belongs to the main trace (hop indices refer to it)."""

    hop: Hop
    main: bool
    previous: Hop | None

    @property
    def hops(self) -> tuple[int, ...]:
        return (self.hop.index,) if self.main else ()


def _other_variant(subject: Subject) -> Chain | None:
    for variant in (subject.https_variant, subject.http_variant):
        if variant is not None and variant is not subject.chain:
            return variant
    return None


def after_hsts_urls(subject: Subject) -> frozenset[str]:
    """The URLs a browser requested because of its own HSTS upgrade."""
    urls: set[str] = set()
    for chain in (subject.chain, subject.fresh):
        if chain is None:
            continue
        for before, after in zip(chain.hops, chain.hops[1:], strict=False):
            if before.synthetic:
                urls.add(after.request.url)
    return frozenset(urls)


def seen_hops(subject: Subject, *, skip_after_hsts: bool = True) -> Iterator[Seen]:
    """Network hops of the main trace, then of the other-scheme variant, once per URL.

    ``skip_after_hsts`` leaves out the requests an HSTS upgrade made (for rules about
    failures the founding rule already explains); rules about what a response says keep them.
    """
    skipped = after_hsts_urls(subject) if skip_after_hsts else frozenset()
    done: set[str] = set()
    chains = [(subject.chain, True)]
    other = _other_variant(subject)
    if other is not None:
        chains.append((other, False))
    for chain, main in chains:
        previous: Hop | None = None
        for hop in chain.hops:
            before, previous = previous, hop
            if hop.synthetic or (skip_after_hsts and before is not None and before.synthetic):
                continue
            url = hop.request.url
            if url in skipped or (not main and url in done):
                continue
            done.add(url)
            yield Seen(hop=hop, main=main, previous=before)


def tls_failures(subject: Subject, failures: frozenset[str]) -> list[Seen]:
    """Hops whose certificate the client refused for one of ``failures``."""
    found = []
    for seen in seen_hops(subject):
        obs = seen.hop.observation
        if obs.error is None or obs.error.kind is not ErrorKind.TLS or obs.tls is None:
            continue
        if obs.tls.failure in failures:
            found.append(seen)
    return found


def certificate_fields(hop: Hop) -> dict[str, str]:
    """What the refused certificate says, as evidence fields (empty strings if unknown)."""
    obs = hop.observation
    tls = obs.tls
    cert = tls.certificate if tls is not None else None
    names = ", ".join(cert.sans) if cert is not None and cert.sans else ""
    if not names and cert is not None:
        names = cert.subject
    message = (tls.failure_message if tls is not None else None) or (
        obs.error.message if obs.error is not None else ""
    )
    return {
        "url": hop.request.url,
        "host": host_of(hop.request.url),
        "names": names or "?",
        "issuer": (cert.issuer if cert is not None else "") or "?",
        "not_before": cert.not_before if cert is not None else "?",
        "not_after": cert.not_after if cert is not None else "?",
        "message": message,
    }
