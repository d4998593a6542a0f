"""Turns the tables read from data files into model values, refusing anything malformed.

Pure functions over already-parsed TOML: a bad table is a DataError naming the file and
key, so a broken knowledge base fails loudly in the test suite rather than at a user.
"""

from __future__ import annotations

from httpdoctor.codes.model import (
    STACKS,
    CloudflareError,
    Fix,
    FixTarget,
    Kind,
    Lifecycle,
    Meaning,
    Product,
    RedirectSemantics,
    StatusClass,
    SubStatus,
)
from httpdoctor.errors import DataError, ErrorText
from httpdoctor.i18n import LocalText

TYPE_CHECKING = False  # importing typing would cost start-up time; see bench/startup.py
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "parse_class",
    "parse_cloudflare_error",
    "parse_meaning",
    "parse_product",
    "parse_substatus",
]

_MEANING_KEYS = frozenset(
    {
        "code",
        "id",
        "name",
        "aliases",
        "kind",
        "origin",
        "source",
        "source_url",
        "status",
        "rank",
        "headers",
        "see_also",
        "redirect",
        "summary",
        "details",
        "causes",
        "fixes",
        "seo",
        "config",
        "code_refs",
    }
)
_REDIRECT_KEYS = frozenset(RedirectSemantics.__dataclass_fields__)
_CONFIG_KEYS = ("nginx", "apache")


def _fail(where: str, problem: ErrorText) -> DataError:
    return DataError.of("data.codes_table", where=where, problem=problem)


def _get(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in table:
        raise _fail(where, ErrorText("data.codes.missing_key", key=key))
    value = table[key]
    # bool is an int subclass; a code of `true` must not pass as 1.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _fail(where, ErrorText("data.codes.wrong_type", key=key, kind=kind.__name__))
    return value


def _strings(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(where, ErrorText("data.codes.not_strings", key=key))
    return tuple(value)


def _snippets(
    table: dict[str, Any], key: str, order: tuple[str, ...], where: str
) -> tuple[tuple[str, str], ...]:
    value = table.get(key, {})
    if not isinstance(value, dict) or not set(value) <= set(order):
        raise _fail(where, ErrorText("data.codes.snippet_keys", key=key, allowed=list(order)))
    if not all(isinstance(v, str) and v.strip() for v in value.values()):
        raise _fail(where, ErrorText("data.codes.snippet_values", key=key))
    return tuple((k, value[k].strip("\n")) for k in order if k in value)


def _enum(enum: type[Any], value: Any, where: str, key: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(m.value for m in enum)
        raise _fail(
            where, ErrorText("data.codes.not_a_choice", key=key, value=value, choices=choices)
        ) from None


def _fix(value: Any, where: str) -> Fix:
    if not isinstance(value, dict) or not set(value) <= {"for", "en", "ru", "snippet"}:
        raise _fail(where, ErrorText("data.codes.fix_keys"))
    snippet = value.get("snippet")
    if snippet is not None and (not isinstance(snippet, str) or not snippet.strip()):
        raise _fail(where, ErrorText("data.codes.fix_snippet"))
    return Fix(
        target=_enum(FixTarget, value.get("for"), where, "for"),
        text=LocalText.from_data({k: value.get(k) for k in ("en", "ru")}, where),
        snippet=snippet.strip("\n") if snippet else None,
    )


def _redirect(table: dict[str, Any], where: str) -> RedirectSemantics | None:
    value = table.get("redirect")
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != _REDIRECT_KEYS:
        raise _fail(where, ErrorText("data.codes.redirect_keys", keys=sorted(_REDIRECT_KEYS)))
    if not all(isinstance(v, bool) for v in value.values()):
        raise _fail(where, ErrorText("data.codes.redirect_values"))
    return RedirectSemantics(**value)


def _optional_text(table: dict[str, Any], key: str, where: str) -> LocalText | None:
    return LocalText.from_data(table[key], f"{where}.{key}") if key in table else None


def parse_meaning(table: dict[str, Any], where: str) -> Meaning:
    unknown = set(table) - _MEANING_KEYS
    if unknown:
        raise _fail(where, ErrorText("data.codes.unknown_keys", keys=sorted(unknown)))
    code = _get(table, "code", int, where)
    kind = _enum(Kind, _get(table, "kind", str, where), where, "kind")
    causes = _get(table, "causes", list, where)
    fixes = _get(table, "fixes", list, where)
    meaning = Meaning(
        code=code,
        id=_get(table, "id", str, where),
        name=_get(table, "name", str, where),
        aliases=_strings(table, "aliases", where),
        kind=kind,
        origin=_get(table, "origin", str, where),
        source=_get(table, "source", str, where),
        source_url=table.get("source_url"),
        status=_enum(Lifecycle, _get(table, "status", str, where), where, "status"),
        rank=_get(table, "rank", int, where),
        headers=_strings(table, "headers", where),
        see_also=_strings(table, "see_also", where),
        redirect=_redirect(table, where),
        summary=LocalText.from_data(_get(table, "summary", dict, where), f"{where}.summary"),
        details=_optional_text(table, "details", where),
        causes=tuple(LocalText.from_data(c, f"{where}.causes[{i}]") for i, c in enumerate(causes)),
        fixes=tuple(_fix(f, f"{where}.fixes[{i}]") for i, f in enumerate(fixes)),
        seo=_optional_text(table, "seo", where),
        config=_snippets(table, "config", _CONFIG_KEYS, where),
        code_refs=_snippets(table, "code_refs", STACKS, where),
    )
    if kind is Kind.STATUS and meaning.status_class == 3 and meaning.redirect is None:
        raise _fail(where, ErrorText("data.codes.needs_redirect"))
    if meaning.status_class >= 3 and meaning.seo is None and kind is not Kind.WARN_CODE:
        raise _fail(where, ErrorText("data.codes.needs_seo"))
    return meaning


def parse_product(table: dict[str, Any], where: str) -> Product:
    return Product(
        id=_get(table, "id", str, where),
        label=_get(table, "label", str, where),
        names=tuple(n.lower() for n in _strings(table, "names", where)),
        server=tuple(s.lower() for s in _strings(table, "server", where)),
        headers=tuple(h.lower() for h in _strings(table, "headers", where)),
        covers=_strings(table, "covers", where),
    )


def parse_class(digit: int, table: dict[str, Any], where: str) -> StatusClass:
    return StatusClass(
        digit=digit,
        name=LocalText.from_data(table.get("name"), f"{where}.name"),
        summary=LocalText.from_data(table.get("summary"), f"{where}.summary"),
        unknown=LocalText.from_data(table.get("unknown"), f"{where}.unknown"),
    )


def parse_substatus(table: dict[str, Any], where: str) -> SubStatus:
    code = _get(table, "code", str, where)
    head, _, tail = code.partition(".")
    if not (head.isdigit() and len(head) == 3 and tail.isdigit()):
        raise _fail(where, ErrorText("data.codes.substatus_shape", code=code))
    return SubStatus(
        code=code,
        name=_get(table, "name", str, where),
        summary=LocalText.from_data(table.get("summary"), f"{where}.summary"),
    )


def parse_cloudflare_error(table: dict[str, Any], where: str) -> CloudflareError:
    status = table.get("status")
    if status is not None and (not isinstance(status, int) or isinstance(status, bool)):
        raise _fail(where, ErrorText("data.codes.status_integer"))
    return CloudflareError(
        code=_get(table, "code", int, where),
        name=_get(table, "name", str, where),
        status=status,
        summary=LocalText.from_data(table.get("summary"), f"{where}.summary"),
        fix=LocalText.from_data(table.get("fix"), f"{where}.fix"),
    )
