"""``httpdoctor codes``: filter the whole registry by class, origin and free text."""

from __future__ import annotations

import re

from httpdoctor.codes.model import Meaning
from httpdoctor.codes.registry import Registry
from httpdoctor.errors import UsageError

__all__ = ["list_codes", "parse_class_filter"]

_CLASS_FILTER = re.compile(r"([1-5])(?:xx)?", re.IGNORECASE)


def parse_class_filter(text: str) -> int:
    if m := _CLASS_FILTER.fullmatch(text.strip()):
        return int(m[1])
    raise UsageError.of("codes.unknown_class", text=text)


def _haystack(meaning: Meaning) -> str:
    parts = [
        str(meaning.code),
        meaning.key,
        meaning.name,
        *meaning.aliases,
        meaning.summary.en,
        meaning.summary.ru,
    ]
    return "\n".join(parts).casefold()


def list_codes(
    registry: Registry,
    *,
    status_class: int | None = None,
    origin: str | None = None,
    search: str | None = None,
) -> tuple[Meaning, ...]:
    """Meanings in code order, narrowed by every filter given."""
    if origin is not None:
        wanted = origin.strip().casefold()
        ids = {p.id for p in registry.products()}
        if wanted not in ids:
            raise UsageError.of("codes.unknown_origin", origin=origin, names=", ".join(sorted(ids)))
        origin = wanted
    needle = search.casefold().strip() if search else None
    return tuple(
        m
        for m in registry.all_meanings()
        if (status_class is None or m.status_class == status_class)
        and (origin is None or m.origin == origin)
        and (needle is None or needle in _haystack(m))
    )
