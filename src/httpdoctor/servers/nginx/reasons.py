"""Why the evaluator stops at a construct: a stable key and its fields, worded per language.

The evaluator never words a refusal itself. It names an entry of ``data/unsupported.toml``
(``"disk.try_files"``) and the particulars that fill it (a directive, a variable name, a
pattern, an address), which stay exactly as the configuration or the request had them in
every language. Words are looked up only when someone reads them, so :func:`evaluate`
stays pure: no file is opened on the way to an answer, unsupported or not.

Why not :class:`httpdoctor.errors.ErrorText`: that catalogue is for ``error:``/``hint:``
lines of failed commands (``data/errors/``, read section by section, hints included); a
refusal here is part of a successful answer, belongs to this evaluator, and has no hint.
The key and field conventions are the same, so the two read alike.

English is the reference: ``Reason.text()`` is what the ``reason`` of the JSON output and
of :class:`~httpdoctor.servers.nginx.evaluation.Unsupported` has always said, and what
scripts may match on; ``reason_key`` is the stable name to prefer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from httpdoctor import _resources
from httpdoctor.errors import DataError
from httpdoctor.i18n import Lang, LocalText

__all__ = ["Reason", "Refusal", "catalogue"]

_PACKAGE = "servers.nginx"
_FILE = "unsupported.toml"


@cache
def catalogue() -> dict[str, LocalText]:
    """Every entry as ``"section.name" -> LocalText``; an entry missing a language is refused.

    The file is small and read whole, once per process, the first time a reason is worded.
    """
    where = f"servers/nginx/data/{_FILE}"
    entries: dict[str, LocalText] = {}
    for section, names in _resources.load_toml(_PACKAGE, _FILE).items():
        if not isinstance(names, dict):
            raise DataError.of("data.local_text_shape", where=f"{where} [{section}]")
        for name, value in names.items():
            entries[f"{section}.{name}"] = LocalText.from_data(value, f"{where} {section}.{name}")
    return entries


@dataclass(frozen=True, slots=True)
class Reason:
    """One refusal, not yet in words: the catalogue ``key`` and the ``fields`` that fill it.

    Field values are kept as text, the way they are shown: they travel unchanged into
    the JSON output and make the record hashable, like the rest of an ``Evaluation``.
    """

    key: str
    fields: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, key: str, /, **fields: object) -> Reason:
        return cls(key, tuple((name, str(value)) for name, value in fields.items()))

    def text(self, lang: Lang = Lang.EN) -> str:
        entry = catalogue().get(self.key)
        if entry is None:
            return self._bare()
        try:
            return entry.get(lang).format_map(dict(self.fields))
        except (KeyError, IndexError, ValueError):
            # A template and its raise site that disagree must not cost the user the rest
            # of the answer; tests/unit/test_nginx_reasons.py keeps them agreed.
            return self._bare()

    def __str__(self) -> str:
        return self.text()

    def _bare(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.fields)
        return f"{self.key} ({shown})" if shown else self.key


class Refusal(Exception):
    """A construct or input the evaluator will not reproduce; ``why`` says which.

    ``str(error)`` is the English text, for logs and library callers, looked up only when
    asked for: a refusal caught and turned into another one costs no look-up.
    """

    def __init__(self, key: str, /, **fields: object) -> None:
        super().__init__(key)
        self.why = Reason.of(key, **fields)

    def __str__(self) -> str:
        return self.why.text()
