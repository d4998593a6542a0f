from __future__ import annotations

import pytest

from httpdoctor.errors import DataError, ExitCode, HttpDoctorError, UsageError
from httpdoctor.i18n import Lang, LocalText, lang_from_environ, parse_lang

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, Lang.EN),
        ({"LANG": "ru_RU.UTF-8"}, Lang.RU),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "ru_RU.UTF-8"}, Lang.RU),
        ({"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, Lang.EN),
        ({"LC_ALL": "ru_UA.UTF-8"}, Lang.RU),
        ({"LC_ALL": "", "LANG": "ru"}, Lang.RU),
        ({"LANG": "de_DE.UTF-8"}, Lang.EN),
    ],
)
def test_language_follows_posix_locale_precedence(environ: dict[str, str], lang: Lang) -> None:
    assert lang_from_environ(environ) is lang


def test_lang_option_values() -> None:
    assert parse_lang("RU") is Lang.RU
    with pytest.raises(UsageError):
        parse_lang("de")


def test_local_text_refuses_a_missing_language() -> None:
    with pytest.raises(DataError):
        LocalText.from_data({"en": "Only English"}, "here")
    with pytest.raises(DataError):
        LocalText.from_data({"en": "x", "ru": " "}, "here")


def test_the_base_error_cannot_be_raised_directly() -> None:
    with pytest.raises(TypeError):
        HttpDoctorError("what kind of problem?")


def test_usage_errors_exit_2_and_carry_a_hint() -> None:
    error = UsageError("bad", hint="do this")
    assert error.exit_code is ExitCode.USAGE
    assert (error.message, error.hint) == ("bad", "do this")
    assert isinstance(error, HttpDoctorError)
