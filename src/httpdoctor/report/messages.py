"""The report's own sentences and labels, looked up by key in the chosen language."""

from __future__ import annotations

from functools import cache

from httpdoctor import _resources
from httpdoctor.errors import DataError
from httpdoctor.i18n import Lang, LocalText

__all__ = ["catalogue", "message"]


@cache
def catalogue() -> dict[str, LocalText]:
    """Every message as ``"section.key" -> LocalText``; a one-language entry is refused."""
    table = _resources.load_toml("report", "messages.toml")
    flat: dict[str, LocalText] = {}
    for section, entries in table.items():
        if not isinstance(entries, dict):
            raise DataError(f"messages.toml: [{section}] must be a table")
        for key, value in entries.items():
            flat[f"{section}.{key}"] = LocalText.from_data(value, f"messages.toml {section}.{key}")
    return flat


def message(key: str, lang: Lang, **fields: object) -> str:
    try:
        text = catalogue()[key]
    except KeyError:
        raise DataError(f"messages.toml has no entry {key!r}") from None
    return text.get(lang).format(**fields) if fields else text.get(lang)
