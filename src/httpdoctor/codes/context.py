"""Which product sent a code: the context that picks one meaning of an ambiguous number.

499 from nginx means the client went away; 499 from Esri ArcGIS means a token is
missing. Context comes from ``--server`` or, in library use, from response headers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from httpdoctor.codes.model import Fix, FixTarget, Kind, Meaning, Product
from httpdoctor.errors import UsageError

__all__ = [
    "Context",
    "ContextSource",
    "context_from_headers",
    "product_named",
    "relevant_fixes",
    "select_meanings",
]

# Fix audiences that matter whatever software answered.
_UNIVERSAL_FIXES = frozenset(
    {FixTarget.GENERIC, FixTarget.APP, FixTarget.CLIENT, FixTarget.BROWSER}
)
# Product-specific fix audiences, by product id.
_PRODUCT_FIXES: dict[str, frozenset[FixTarget]] = {
    "nginx": frozenset({FixTarget.NGINX}),
    "apache": frozenset({FixTarget.APACHE}),
    "cpanel": frozenset({FixTarget.PANEL, FixTarget.APACHE}),
    "iis": frozenset({FixTarget.IIS}),
    "cloudflare": frozenset({FixTarget.CLOUDFLARE, FixTarget.CDN}),
    "aws": frozenset({FixTarget.AWS}),
}


class ContextSource(StrEnum):
    SERVER_OPTION = "server-option"
    SERVER_HEADER = "server-header"
    HEADER = "header"
    SUBSTATUS = "substatus"


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """The product taken to have sent a code, and how we know."""

    product: Product
    via: ContextSource
    evidence: str


def product_named(name: str, products: Iterable[Product]) -> Product:
    wanted = name.strip().casefold()
    known = tuple(products)
    for product in known:
        if wanted == product.id or wanted in product.names:
            return product
    names = sorted({n for p in known for n in p.names})
    raise UsageError.of("codes.unknown_product", name=name, names=", ".join(names))


def context_from_headers(
    headers: Sequence[tuple[str, str]], products: Iterable[Product]
) -> Context | None:
    """The product a response came from, judged by its headers.

    A header only one product sends (``CF-RAY``) beats the ``Server`` header, and among
    ``Server`` matches the longest token wins, so ``cloudflare-nginx`` is Cloudflare.
    """
    known = tuple(products)
    names = {name.casefold() for name, _ in headers}
    for product in known:
        for header in product.headers:
            if header in names:
                return Context(product=product, via=ContextSource.HEADER, evidence=header)
    best: tuple[int, Product, str] | None = None
    for name, value in headers:
        if name.casefold() != "server":
            continue
        lowered = value.casefold()
        for product in known:
            for token in product.server:
                if token in lowered and (best is None or len(token) > best[0]):
                    best = (len(token), product, f"Server: {value}")
    if best is None:
        return None
    return Context(product=best[1], via=ContextSource.SERVER_HEADER, evidence=best[2])


def select_meanings(meanings: Sequence[Meaning], context: Context | None) -> tuple[Meaning, ...]:
    """The meanings that apply in ``context``; all of them, most common first, without one."""
    if context is None:
        return tuple(meanings)
    origins = {context.product.id, *context.product.covers}
    own = tuple(m for m in meanings if m.origin in origins)
    if own:
        return own
    standard = tuple(m for m in meanings if m.origin == "standard" and m.kind is Kind.STATUS)
    return standard or tuple(meanings)


def relevant_fixes(fixes: Sequence[Fix], context: Context | None) -> tuple[Fix, ...]:
    """Without context every fix; with it, the universal ones and those for that product."""
    if context is None:
        return tuple(fixes)
    wanted = _UNIVERSAL_FIXES | _PRODUCT_FIXES.get(context.product.id, frozenset())
    kept = tuple(f for f in fixes if f.target in wanted)
    return kept or tuple(fixes)
