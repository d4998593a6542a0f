"""The words of each lint rule, in English and Russian, from ``data/<id>.toml``.

Each file holds ``[title]`` and ``[explanation]`` (the rule in general: SARIF's short and
full description), ``[message]`` (this finding, with ``{field}`` placeholders filled from
the finding's parameters), ``[fix]`` and an optional ``snippet`` (config, no prose).
A rule whose findings come in kinds writes ``[message.<kind>]`` tables instead, chosen by
the finding's ``kind`` parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from httpdoctor import _resources
from httpdoctor.errors import DataError
from httpdoctor.i18n import LocalText

__all__ = ["LintText", "lint_text"]

_PACKAGE = "servers.nginx.lint"


@dataclass(frozen=True, slots=True, kw_only=True)
class LintText:
    """A lint rule's title, explanation, per-finding message, fix and fix snippet."""

    title: LocalText
    explanation: LocalText
    messages: dict[str, LocalText]  # "" for the only message, else one per kind
    fix: LocalText
    snippet: str | None

    def message(self, kind: str | None) -> LocalText:
        if "" in self.messages:
            return self.messages[""]
        if kind is None or kind not in self.messages:
            raise DataError.of("data.lint_no_message", kind=kind)
        return self.messages[kind]


def _messages(value: object, where: str) -> dict[str, LocalText]:
    if isinstance(value, dict) and set(value) == {"en", "ru"}:
        return {"": LocalText.from_data(value, where)}
    if not isinstance(value, dict) or not value:
        raise DataError.of("data.lint_message_shape", where=where)
    return {str(kind): LocalText.from_data(text, f"{where}.{kind}") for kind, text in value.items()}


@cache
def lint_text(rule_id: str) -> LintText:
    table = _resources.load_toml(_PACKAGE, f"{rule_id}.toml")
    where = f"nginx lint data/{rule_id}.toml"
    snippet = table.get("snippet")
    if snippet is not None and not isinstance(snippet, str):
        raise DataError.of("data.lint_snippet", where=where)
    return LintText(
        title=LocalText.from_data(table.get("title"), f"{where} title"),
        explanation=LocalText.from_data(table.get("explanation"), f"{where} explanation"),
        messages=_messages(table.get("message"), f"{where} message"),
        fix=LocalText.from_data(table.get("fix"), f"{where} fix"),
        snippet=snippet.strip("\n") if snippet else None,
    )
