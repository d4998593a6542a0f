"""The one exception tree of httpdoctor.

::

    HttpDoctorError              never raised itself; every error says what to do next
    ├── UsageError               the user's input is wrong (bad code, bad flag) -> exit 2
    │   └── ConfigSyntaxError    a server configuration cannot be read; names file:line
    ├── DataError                a bundled or user-supplied data file is broken -> exit 2
    └── UnsupportedConstruct     we do not model this; we refuse to guess -> exit 2

A server's misbehaviour is never an exception: it becomes a finding. Exceptions are
for the caller's mistakes and for our own limits, and each carries a ``hint``.

Every message and hint exists in English and Russian, in ``data/errors/`` beside this
file. A raise site names an entry and fills its fields::

    raise UsageError.of("trace.url_invalid", text=text)

``message``, ``hint`` and ``str(error)`` are English, for library callers and logs;
``message_in(lang)`` and ``hint_in(lang)`` give either language, which is what the CLI
prints. The catalogue is read the first time an error is built, never on the way to a
successful answer: ``httpdoctor explain`` cannot spend start-up time on it.

``data/errors/README.md`` describes the catalogue's files.
"""

from __future__ import annotations

from enum import IntEnum

TYPE_CHECKING = False  # importing typing would cost start-up time; see bench/startup.py
if TYPE_CHECKING:
    from typing import Any, ClassVar, NoReturn, Self

    from httpdoctor.i18n import Lang
    from httpdoctor.servers.nginx.model import SourceSpan


__all__ = [
    "ConfigSyntaxError",
    "DataError",
    "ErrorText",
    "ExitCode",
    "HttpDoctorError",
    "UnsupportedConstruct",
    "UsageError",
]

# Spelled out rather than Lang.EN: httpdoctor.i18n imports this module, not the reverse.
_EN = "en"


class ExitCode(IntEnum):
    OK = 0
    PROBLEM_FOUND = 1
    USAGE = 2
    INTERRUPTED = 130


# One parsed file per key prefix, read when an error first needs it.
_sections: dict[str, dict[str, Any]] = {}


def _entry(key: str) -> dict[str, Any] | None:
    section, _, name = key.partition(".")
    table = _sections.get(section)
    if table is None:
        # Empty first: when the file itself cannot be read, the DataError saying so
        # looks its own text up here, and must find nothing rather than recurse.
        _sections[section] = {}
        from httpdoctor import _resources

        try:
            table = _resources.load_toml("", "errors", f"{section}.toml")
        except (HttpDoctorError, OSError):
            # Saying that the catalogue is broken would hide the error the user has; it
            # is still raised, worded by its key and fields (ErrorText._bare).
            table = {}
        _sections[section] = table
    node: Any = table
    for part in name.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) and "en" in node else None


class ErrorText:
    """One entry of the error catalogue with the fields that fill it, not yet in words.

    A field may itself be an ErrorText (a fragment such as ``config.included_from``);
    it is put into words in the same language as the sentence around it.
    """

    __slots__ = ("fields", "key")

    def __init__(self, key: str, /, **fields: object) -> None:
        self.key = key
        self.fields = fields

    def __repr__(self) -> str:
        return f"ErrorText({self.key!r}, {self.fields!r})"

    def render(self, lang: Lang) -> str:
        return self._render(lang)

    def render_hint(self, lang: Lang) -> str | None:
        return self._render_hint(lang)

    def _render(self, lang: str) -> str:
        entry = _entry(self.key)
        if entry is None:
            return self._bare()
        return self._fill(entry.get(lang) or entry["en"], lang)

    def _render_hint(self, lang: str) -> str | None:
        entry = _entry(self.key)
        hint = entry.get("hint") if entry is not None else None
        if not isinstance(hint, dict):
            return None
        return self._fill(hint.get(lang) or hint["en"], lang)

    def _fill(self, template: str, lang: str) -> str:
        values = {
            name: value._render(lang) if isinstance(value, ErrorText) else value
            for name, value in self.fields.items()
        }
        try:
            return template.format_map(values)
        except (KeyError, IndexError, ValueError):
            # A template and its raise site that disagree must not turn the user's error
            # into an internal one; tests/unit/test_error_catalogue.py keeps them agreed.
            return self._bare()

    def _bare(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.fields.items())
        return f"{self.key} ({shown})" if shown else self.key


class HttpDoctorError(Exception):
    """Base of every error httpdoctor raises on purpose.

    Args:
        message: one line saying what went wrong, in English.
        hint: one line saying what to do about it, in English.

    Errors built with :meth:`of` also know their Russian words (``text`` is the
    catalogue entry they were worded from); one built directly from strings gives the
    same text in every language.
    """

    exit_code: ClassVar[ExitCode] = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.text: ErrorText | None = None
        self._hint_text: ErrorText | None = None

    def __new__(cls, *args: Any, **kwargs: Any) -> HttpDoctorError:
        # As h11 does with its ProtocolError: the base only names the family;
        # raising it directly would hide which kind of problem the user has.
        if cls is HttpDoctorError:
            raise TypeError("raise a subclass of HttpDoctorError, not the base")
        return super().__new__(cls)

    @classmethod
    def of(cls, key: str, /, *, hint: ErrorText | None = None, **fields: object) -> Self:
        """The error worded by catalogue entry ``key``, its ``{name}`` fields filled.

        ``hint`` replaces the entry's own hint, for raise sites that choose one of
        several; it is a catalogue entry too.
        """
        text = ErrorText(key, **fields)
        error = cls(text._render(_EN), hint=_english_hint(text, hint))
        error.text, error._hint_text = text, hint
        return error

    def message_in(self, lang: Lang) -> str:
        return self.message if self.text is None else self.text.render(lang)

    def hint_in(self, lang: Lang) -> str | None:
        if self._hint_text is not None:
            return self._hint_text.render(lang)
        if self.text is not None:
            return self.text.render_hint(lang)
        return self.hint


def _english_hint(text: ErrorText, hint: ErrorText | None) -> str | None:
    return hint._render(_EN) if hint is not None else text._render_hint(_EN)


class UsageError(HttpDoctorError):
    """The command line or an argument to the library is not something we can act on."""


class ConfigSyntaxError(UsageError):
    """A configuration file is malformed or cannot be assembled: bad syntax, a missing or
    unreadable include, a binary file, an include loop, a size cap.

    ``span`` says where (the file and line nginx itself would name); the message starts
    with it, in every language, so the one ``error:`` line the CLI prints names
    ``file:line`` first, as ``nginx -t`` does. ``reason`` is the English rest.
    """

    def __init__(self, reason: str, *, span: SourceSpan, hint: str | None = None) -> None:
        super().__init__(f"{span}: {reason}", hint=hint)
        self.reason = reason
        self.span = span

    @classmethod
    def at(
        cls, span: SourceSpan, key: str, /, *, hint: ErrorText | None = None, **fields: object
    ) -> ConfigSyntaxError:
        """The error at ``span``, its reason worded by catalogue entry ``key``."""
        text = ErrorText(key, **fields)
        error = cls(text._render(_EN), span=span, hint=_english_hint(text, hint))
        error.text, error._hint_text = text, hint
        return error

    @classmethod
    def of(cls, key: str, /, *, hint: ErrorText | None = None, **fields: object) -> NoReturn:
        raise TypeError("a ConfigSyntaxError needs its place: use ConfigSyntaxError.at(span, …)")

    def message_in(self, lang: Lang) -> str:
        if self.text is None:
            return self.message
        return f"{self.span}: {self.text.render(lang)}"


class DataError(HttpDoctorError):
    """A data file (bundled or given by the user) does not have the expected shape."""


class UnsupportedConstruct(HttpDoctorError):
    """The input uses something httpdoctor does not model; guessing would mislead."""
