"""Languages and localized text: the two languages every user-facing sentence exists in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from httpdoctor.errors import DataError, UsageError

TYPE_CHECKING = False  # importing typing would cost start-up time; see bench/startup.py
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Lang", "LocalText", "lang_from_environ", "parse_lang"]


class Lang(StrEnum):
    EN = "en"
    RU = "ru"


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalText:
    """One sentence or paragraph in every supported language."""

    en: str
    ru: str

    def __post_init__(self) -> None:
        if not self.en.strip() or not self.ru.strip():
            raise ValueError("a localized text needs both English and Russian")

    def get(self, lang: Lang) -> str:
        return self.ru if lang is Lang.RU else self.en

    @classmethod
    def from_data(cls, value: Any, where: str) -> LocalText:
        """Build from a ``{"en": …, "ru": …}`` table read from a data file."""
        if not isinstance(value, dict) or set(value) != {"en", "ru"}:
            raise DataError.of("data.local_text_shape", where=where)
        en, ru = value["en"], value["ru"]
        if not isinstance(en, str) or not isinstance(ru, str) or not en.strip() or not ru.strip():
            raise DataError.of("data.local_text_empty", where=where)
        return cls(en=en.strip(), ru=ru.strip())


def parse_lang(value: str) -> Lang:
    try:
        return Lang(value.strip().lower())
    except ValueError:
        raise UsageError.of("cli.unknown_language", value=value) from None


def lang_from_environ(environ: Mapping[str, str]) -> Lang:
    """The language POSIX would pick: the first set of LC_ALL, LC_MESSAGES, LANG.

    ``ru_RU.UTF-8``, ``ru`` and ``ru_UA`` all mean Russian; anything else English.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return Lang.RU if value.lower().startswith("ru") else Lang.EN
    return Lang.EN
