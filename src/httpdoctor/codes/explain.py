"""The answer to "what does this code mean here?": a query in, explanations out.

Pure over the registry: no output, no language. Renderers in ``report`` decide how the
answer looks; this module decides what it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from httpdoctor.codes.coderefs import code_refs
from httpdoctor.codes.context import (
    Context,
    ContextSource,
    context_from_headers,
    product_named,
    relevant_fixes,
    select_meanings,
)
from httpdoctor.codes.model import CloudflareError, Fix, Meaning, StatusClass, SubStatus
from httpdoctor.codes.query import (
    ClassQuery,
    CloudflareQuery,
    NameQuery,
    StatusQuery,
    SubStatusQuery,
    normalize_name,
    parse_query,
    shown,
)
from httpdoctor.codes.registry import Registry, default_registry
from httpdoctor.errors import UsageError

__all__ = ["ExplainedMeaning", "Explanation", "explain"]

_MAX_SUGGESTIONS = 6


@dataclass(frozen=True, slots=True, kw_only=True)
class ExplainedMeaning:
    """A meaning with the fixes and code snippets that apply in the given context."""

    meaning: Meaning
    fixes: tuple[Fix, ...]
    code_refs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    """Everything known about one code (or class) for one query.

    ``meanings`` is empty when the number is unassigned; the class then explains it, as
    RFC 9110 §15 tells clients to treat an unknown code as x00 of its class.
    """

    query: str
    code: int | None
    status_class: StatusClass | None
    meanings: tuple[ExplainedMeaning, ...]
    context: Context | None
    substatus_asked: str | None = None
    substatus: SubStatus | None = None
    substatus_family: tuple[SubStatus, ...] = ()
    cloudflare: CloudflareError | None = None
    class_members: tuple[Meaning, ...] = ()

    @property
    def assigned(self) -> bool:
        return bool(self.meanings)


def _names(meaning: Meaning) -> set[str]:
    return {normalize_name(n) for n in (meaning.name, *meaning.aliases)}


def _build(
    query: str,
    code: int,
    meanings: Sequence[Meaning],
    context: Context | None,
    registry: Registry,
    *,
    substatus_asked: str | None = None,
    substatus: SubStatus | None = None,
    substatus_family: tuple[SubStatus, ...] = (),
    cloudflare: CloudflareError | None = None,
) -> Explanation:
    chosen = select_meanings(meanings, context)
    frameworks = registry.frameworks()
    constants = registry.constants(code)
    explained = tuple(
        ExplainedMeaning(
            meaning=m,
            fixes=relevant_fixes(m.fixes, context),
            code_refs=code_refs(m, constants, frameworks),
        )
        for m in chosen
    )
    return Explanation(
        query=query,
        code=code,
        status_class=registry.status_class(code // 100),
        meanings=explained,
        context=context,
        substatus_asked=substatus_asked,
        substatus=substatus,
        substatus_family=substatus_family,
        cloudflare=cloudflare,
    )


def _by_name(text: str, registry: Registry) -> list[Meaning]:
    wanted = normalize_name(text)
    everything = registry.all_meanings()
    exact = [m for m in everything if wanted in _names(m)]
    if exact:
        return exact
    partial = [m for m in everything if any(wanted in n for n in _names(m))]
    if len({m.code for m in partial}) == 1:
        return partial
    if partial:
        listed = ", ".join(f"{m.code} {m.name}" for m in partial[:_MAX_SUGGESTIONS])
        raise UsageError.of("codes.ambiguous_name", text=shown(text), listed=listed)
    raise UsageError.of("codes.unknown_name", text=shown(text), search=shown(text, 30))


def explain(
    text: str,
    *,
    server: str | None = None,
    headers: Sequence[tuple[str, str]] = (),
    registry: Registry | None = None,
) -> tuple[Explanation, ...]:
    """Explain one query (``"307"``, ``"404.3"``, ``"cf-1020"``, ``"Bad Gateway"``…).

    ``server`` names the product that sent the code; failing that, ``headers`` from the
    response are used to recognise it. Returns one explanation per code the query
    names: usually one, several when a name belongs to several codes.
    """
    reg = registry or default_registry()
    query = parse_query(text)
    context: Context | None = None
    if server:
        product = product_named(server, reg.products())
        context = Context(product=product, via=ContextSource.SERVER_OPTION, evidence=server)
    elif headers:
        context = context_from_headers(headers, reg.products())

    match query:
        case StatusQuery(code=code, name=None):
            return (_build(text, code, reg.meanings(code), context, reg),)
        case StatusQuery(code=code, name=str(name)):
            meanings = reg.meanings(code)
            named = [m for m in meanings if normalize_name(name) in _names(m)]
            return (_build(text, code, named or meanings, None if named else context, reg),)
        case SubStatusQuery(code=code, substatus=sub):
            family = reg.substatuses(code)
            found = next((s for s in family if s.code == sub), None)
            if context is None and (iis := reg.product("iis")) is not None:
                context = Context(product=iis, via=ContextSource.SUBSTATUS, evidence=sub)
            return (
                _build(
                    text,
                    code,
                    reg.meanings(code),
                    context,
                    reg,
                    substatus_asked=sub,
                    substatus=found,
                    substatus_family=family,
                ),
            )
        case CloudflareQuery(number=number):
            error = reg.cloudflare_error(number)
            if error is None:
                raise UsageError.of("codes.unknown_cloudflare", number=number)
            cloudflare = reg.product("cloudflare")
            if cloudflare is not None:
                context = Context(product=cloudflare, via=ContextSource.HEADER, evidence=text)
            if error.status is None:
                return (
                    Explanation(
                        query=text,
                        code=None,
                        status_class=None,
                        meanings=(),
                        context=context,
                        cloudflare=error,
                    ),
                )
            meanings = reg.meanings(error.status)
            return (_build(text, error.status, meanings, context, reg, cloudflare=error),)
        case ClassQuery(digit=digit):
            members = tuple(
                m for m in reg.all_meanings() if m.status_class == digit and m.origin == "standard"
            )
            return (
                Explanation(
                    query=text,
                    code=None,
                    status_class=reg.status_class(digit),
                    meanings=(),
                    context=context,
                    class_members=members,
                ),
            )
        case NameQuery(text=name):
            named = _by_name(name, reg)
            codes = sorted({m.code for m in named})
            return tuple(
                _build(text, code, [m for m in named if m.code == code], None, reg)
                for code in codes
            )
    raise AssertionError(f"unhandled query {query!r}")  # pragma: no cover
