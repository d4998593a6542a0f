"""The report's own sentences and labels, looked up by key in the chosen language."""

from __future__ import annotations

from functools import cache

from httpdoctor import _resources
from httpdoctor.errors import DataError
from httpdoctor.i18n import Lang, LocalText

TYPE_CHECKING = False  # importing typing would cost start-up time; see bench/startup.py
if TYPE_CHECKING:
    from typing import Any

__all__ = ["catalogue", "message"]


@cache
def _table() -> dict[str, Any]:
    return _resources.load_toml("report", "messages.toml")


@cache
def _entry(key: str) -> LocalText:
    # One entry at a time: `explain` needs a dozen labels, not the whole catalogue.
    section, _, name = key.partition(".")
    entries = _table().get(section)
    if not isinstance(entries, dict) or name not in entries:
        raise DataError.of("data.no_message", key=key)
    return LocalText.from_data(entries[name], f"messages.toml {key}")


def catalogue() -> dict[str, LocalText]:
    """Every message as ``"section.key" -> LocalText``; a one-language entry is refused."""
    flat: dict[str, LocalText] = {}
    for section, entries in _table().items():
        if not isinstance(entries, dict):
            raise DataError.of("data.message_section", section=section)
        for key in entries:
            flat[f"{section}.{key}"] = _entry(f"{section}.{key}")
    return flat


def message(key: str, lang: Lang, **fields: object) -> str:
    text = _entry(key).get(lang)
    return text.format(**fields) if fields else text
