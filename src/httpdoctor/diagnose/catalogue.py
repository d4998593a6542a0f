"""The words of each rule, in English and Russian, from ``data/rules/<id>.toml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from httpdoctor import _resources
from httpdoctor.errors import DataError
from httpdoctor.i18n import LocalText

__all__ = ["FixText", "RuleText", "rule_text"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FixText:
    """One fix a rule suggests, for one audience; ``when`` limits it to some findings."""

    target: str
    text: LocalText
    snippet: str | None
    when: tuple[str, str] | None  # (param, value)


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleText:
    """A rule's title, explanation, evidence sentences and fixes."""

    title: LocalText
    explanation: LocalText
    evidence: dict[str, LocalText]
    fixes: tuple[FixText, ...]


def _fix(row: dict[str, object], where: str) -> FixText:
    when = row.get("when")
    condition: tuple[str, str] | None = None
    if when is not None:
        name, sep, value = str(when).partition("=")
        if not sep:
            raise DataError.of("data.diagnose_when", where=where)
        condition = (name, value)
    snippet = row.get("snippet")
    return FixText(
        target=str(row.get("for", "generic")),
        text=LocalText.from_data({"en": row.get("en"), "ru": row.get("ru")}, where),
        snippet=str(snippet) if snippet is not None else None,
        when=condition,
    )


@cache
def rule_text(rule_id: str) -> RuleText:
    table = _resources.load_toml("diagnose", "rules", f"{rule_id}.toml")
    where = f"diagnose rules/{rule_id}.toml"
    return RuleText(
        title=LocalText.from_data(table.get("title"), f"{where} title"),
        explanation=LocalText.from_data(table.get("explanation"), f"{where} explanation"),
        evidence={
            key: LocalText.from_data(value, f"{where} evidence.{key}")
            for key, value in table.get("evidence", {}).items()
        },
        fixes=tuple(
            _fix(row, f"{where} fixes[{i}]") for i, row in enumerate(table.get("fixes", []))
        ),
    )
