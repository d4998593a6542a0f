"""How to send or test for a code in each stack, generated from two tables.

``frameworks.toml`` holds one template per stack, ``constants.toml`` the constant each
stack defines for a standard code. Vendor meanings reuse a number with another meaning,
so they never borrow the standard constant's name (308 Resume Incomplete is not
``PERMANENT_REDIRECT``); they get the numeric form.
"""

from __future__ import annotations

from collections.abc import Mapping

from httpdoctor.codes.model import STACKS, Kind, Meaning

__all__ = ["code_refs"]


def code_refs(
    meaning: Meaning,
    constants: Mapping[str, str],
    frameworks: Mapping[str, Mapping[str, str]],
) -> tuple[tuple[str, str], ...]:
    """``(stack, snippet)`` pairs in ``STACKS`` order; empty for codes never sent."""
    overrides = dict(meaning.code_refs)
    if meaning.kind is not Kind.STATUS:
        return tuple((s, overrides[s]) for s in STACKS if s in overrides)
    use_constants = meaning.origin == "standard"
    redirect = "Location" in meaning.headers
    refs: list[tuple[str, str]] = []
    for stack in STACKS:
        if stack in overrides:
            refs.append((stack, overrides[stack]))
            continue
        templates = frameworks.get(stack)
        if templates is None:
            continue
        constant = constants.get(stack) if use_constants else None
        base = "redirect" if redirect else "status"
        key = base if constant else f"{base}_numeric"
        snippet = templates[key].format(const=constant or "", code=meaning.code)
        prelude = templates.get("prelude")
        if constant and prelude:
            snippet = f"{prelude}\n{snippet}"
        refs.append((stack, snippet))
    return tuple(refs)
