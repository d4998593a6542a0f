"""too-many-redirects: the client hit its redirect limit on a chain that never repeated itself.

Evidence: the trace's outcome ``too-many-redirects`` with no cycle (``chain.loop`` empty;
a cycle is the redirect-loop rule), the last response that still pointed on, whether the
URLs were all different or only the cookies changed, whether the URL grows at every step
(a rule that matches its own output), and how long the chain really is: only "at least N"
from the main trace, the exact length when curl, which follows up to 50, reached the end.
From that length: which well-known consumers give up, which still follow, which cannot be
told.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from httpdoctor.diagnose.facts import client_label, client_limits, network_hops, redirects
from httpdoctor.diagnose.model import Evidence, Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.trace.model import Chain, Outcome

META = RuleMeta(id="too-many-redirects", severity=Severity.ERROR)


# The preload list's checker is no client profile, but users meet its limit too
# (hsts-preload-spec.md §1.7); the clients' limits come from trace/data/profiles.toml.
_PRELOAD_CHECKER = ("hstspreload.org", 3)


def _growing(chain: Chain) -> tuple[str, str] | None:
    """The first and last URL when every server redirect makes the URL longer."""
    urls = [h.request.url for h in network_hops(chain)]
    if len(urls) < 4 or any(len(b) <= len(a) for a, b in pairwise(urls)):
        return None
    return urls[0], urls[-1]


def _length(subject: Subject, seen: int) -> tuple[int, bool, Evidence | None]:
    """The chain's length as best known (and whether exactly), with curl's evidence."""
    curl = subject.curl
    if curl is None or not curl.hops or subject.chain.profile == "curl":
        return seen, False, None
    count = len(redirects(curl))
    last = curl.hops[-1]
    if curl.outcome is Outcome.OK and count >= seen:
        item = evidence("curl-ends", count=count, status=last.status, url=last.request.url)
        return count, True, item
    if curl.outcome is not Outcome.OK and count > seen:
        return count, False, evidence("curl-stopped", count=count)
    return seen, False, None


def _names(rows: list[tuple[str, int]]) -> str:
    return ", ".join(f"{name} ({limit})" for name, limit in rows)


def check(subject: Subject) -> Iterator[Finding]:
    chain = subject.chain
    if chain.outcome is not Outcome.TOO_MANY_REDIRECTS or chain.loop:
        return
    followed = redirects(chain)
    if not followed:
        return
    last = followed[-1]
    client = client_label(chain.profile)
    seen = len(followed)
    urls = [h.request.url for h in chain.hops]
    items: list[Evidence] = [
        evidence(
            "stopped",
            hops=(last.index,),
            client=client,
            count=seen,
            status=last.status,
            url=last.request.url,
            location=last.location or "",
        )
    ]
    if len(set(urls)) == len(urls):
        items.append(evidence("all-different", count=len(urls)))
    else:
        items.append(evidence("cookies-differ", distinct=len(set(urls)), count=len(urls)))
    grows = _growing(chain)
    if grows is not None:
        items.append(evidence("growing", first=grows[0], last=grows[1]))
    length, exact, curl_item = _length(subject, seen)
    if curl_item is not None:
        items.append(curl_item)
    follows = sorted((_PRELOAD_CHECKER, *client_limits()), key=lambda pair: pair[1])
    breaks = [(n, limit) for n, limit in follows if limit < length]
    others = [(n, limit) for n, limit in follows if limit >= length]
    items.append(evidence("length-exact" if exact else "length-at-least", length=length))
    if breaks:
        items.append(evidence("breaks", clients=_names(breaks)))
    if others:
        items.append(evidence("follow" if exact else "unknown", clients=_names(others)))
    yield META.finding(
        evidence=tuple(items),
        hops=(last.index,),
        url=chain.request.url,
        client=client,
        count=seen,
        length=length,
        exact="yes" if exact else "no",
        growing="yes" if grows is not None else "no",
        breaks=_names(breaks),
    )
