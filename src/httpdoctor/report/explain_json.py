"""``--json`` for ``explain`` and ``codes``, built from the data, never from the screen.

The shape is documented in the README ("JSON output"); bump SCHEMA_VERSION on any
change that could break a consumer (renaming or removing a key, changing a type).
"""

from __future__ import annotations

from collections.abc import Sequence

from httpdoctor.codes.explain import ExplainedMeaning, Explanation
from httpdoctor.codes.model import Meaning, StatusClass
from httpdoctor.i18n import Lang, LocalText

TYPE_CHECKING = False  # importing typing would cost start-up time; see bench/startup.py
if TYPE_CHECKING:
    from typing import Any

__all__ = ["SCHEMA_VERSION", "codes_json", "explanations_json", "meaning_json"]

SCHEMA_VERSION = 1


def _text(value: LocalText | None, lang: Lang) -> str | None:
    return value.get(lang) if value is not None else None


def _class_name(digit: int) -> str:
    return f"{digit}xx"


def meaning_json(
    meaning: Meaning,
    lang: Lang,
    explained: ExplainedMeaning | None = None,
) -> dict[str, Any]:
    fixes = explained.fixes if explained is not None else meaning.fixes
    refs = explained.code_refs if explained is not None else ()
    redirect = meaning.redirect
    return {
        "key": meaning.key,
        "name": meaning.name,
        "aliases": list(meaning.aliases),
        "kind": meaning.kind.value,
        "origin": meaning.origin,
        "source": meaning.source,
        "source_url": meaning.source_url,
        "status": meaning.status.value,
        "redirect": None
        if redirect is None
        else {
            "method_preserved": redirect.method_preserved,
            "body_preserved": redirect.body_preserved,
            "permanent": redirect.permanent,
            "cacheable_by_default": redirect.cacheable_by_default,
            "followed_by_browsers": redirect.followed_by_browsers,
        },
        "headers": list(meaning.headers),
        "summary": meaning.summary.get(lang),
        "details": _text(meaning.details, lang),
        "causes": [c.get(lang) for c in meaning.causes],
        "fixes": [
            {"for": f.target.value, "text": f.text.get(lang), "snippet": f.snippet} for f in fixes
        ],
        "seo": _text(meaning.seo, lang),
        "code_refs": dict(refs),
        "config": dict(meaning.config),
        "see_also": list(meaning.see_also),
    }


def _class_json(cls: StatusClass | None, lang: Lang) -> dict[str, Any] | None:
    if cls is None:
        return None
    return {
        "class": _class_name(cls.digit),
        "name": cls.name.get(lang),
        "summary": cls.summary.get(lang),
        "unknown_code_rule": cls.unknown.get(lang),
    }


def _explanation_json(exp: Explanation, lang: Lang) -> dict[str, Any]:
    out: dict[str, Any] = {
        "query": exp.query,
        "code": exp.code,
        "class": _class_name(exp.status_class.digit) if exp.status_class else None,
        "assigned": exp.assigned,
        "context": None
        if exp.context is None
        else {
            "product": exp.context.product.id,
            "via": exp.context.via.value,
            "evidence": exp.context.evidence,
        },
        "class_info": _class_json(exp.status_class, lang),
        "meanings": [meaning_json(em.meaning, lang, em) for em in exp.meanings],
    }
    if exp.substatus_asked is not None:
        out["substatus"] = {
            "query": exp.substatus_asked,
            "known": exp.substatus is not None,
            "name": exp.substatus.name if exp.substatus else None,
            "summary": _text(exp.substatus.summary if exp.substatus else None, lang),
            "family": [
                {"code": s.code, "name": s.name, "summary": s.summary.get(lang)}
                for s in exp.substatus_family
            ],
        }
    if exp.cloudflare is not None:
        cf = exp.cloudflare
        out["cloudflare_error"] = {
            "code": cf.code,
            "name": cf.name,
            "status": cf.status,
            "summary": cf.summary.get(lang),
            "fix": cf.fix.get(lang),
        }
    if exp.class_members:
        out["class_members"] = [{"code": m.code, "name": m.name} for m in exp.class_members]
    return out


def explanations_json(explanations: Sequence[Explanation], lang: Lang) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "lang": lang.value,
        "codes": [_explanation_json(e, lang) for e in explanations],
    }


def codes_json(meanings: Sequence[Meaning], lang: Lang) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "lang": lang.value,
        "codes": [
            {
                "code": m.code,
                "key": m.key,
                "class": _class_name(m.status_class),
                "name": m.name,
                "kind": m.kind.value,
                "origin": m.origin,
                "status": m.status.value,
                "summary": m.summary.get(lang),
            }
            for m in meanings
        ],
    }
