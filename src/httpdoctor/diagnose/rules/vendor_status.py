"""vendor-status: the final status is a vendor's own code, with a meaning of its own.

Evidence: the main trace's final network hop, its status, and the product its response
headers identify (``Server: cloudflare``, ``CF-RAY``, ``Server: nginx``...). The status
knowledge base (httpdoctor.codes.explain) decides: the rule speaks only when that context
picks a meaning of the product itself rather than the standard one, e.g. Cloudflare's 52x
or nginx's 444/499. Without a recognised product it stays silent rather than guess.
"""

from __future__ import annotations

from collections.abc import Iterator

from httpdoctor.codes import explain
from httpdoctor.diagnose.facts import final_hop
from httpdoctor.diagnose.model import Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.errors import HttpDoctorError

META = RuleMeta(id="vendor-status", severity=Severity.INFO)


def check(subject: Subject) -> Iterator[Finding]:
    last = final_hop(subject.chain)
    if last is None or last.synthetic or last.status is None:
        return
    status = last.status
    if not 100 <= status <= 599:
        return
    try:
        answers = explain(str(status), headers=last.observation.headers)
    except HttpDoctorError:
        return
    for answer in answers:
        context = answer.context
        if context is None or not answer.meanings:
            continue
        meaning = answer.meanings[0].meaning
        product = context.product
        if meaning.origin == "standard" or meaning.origin not in {product.id, *product.covers}:
            continue
        yield META.finding(
            evidence=(
                evidence(
                    "recognised",
                    hops=(last.index,),
                    url=last.request.url,
                    status=status,
                    product=product.label,
                    via=context.evidence,
                ),
                evidence("meaning", hops=(last.index,), status=status, meaning=meaning.name),
            ),
            hops=(last.index,),
            status=status,
            product=product.label,
            server=product.id,
            meaning=meaning.name,
            key=meaning.key,
        )
        return
