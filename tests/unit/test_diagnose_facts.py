"""Facts the diagnosis rules share, where their wording reaches the user."""

from __future__ import annotations

import pytest

from httpdoctor.diagnose.facts import reason_of, status_line
from tests.diagnose_builders import hop

pytestmark = pytest.mark.unit


def test_a_status_is_quoted_with_the_servers_own_reason_phrase() -> None:
    assert status_line(hop("http://a.test/", 500, reason="Kaputt")) == "500 Kaputt"


def test_without_a_reason_phrase_the_standard_name_stands_in() -> None:
    # HTTP/2 responses carry no reason phrase at all.
    answered = hop("https://a.test/", 503)
    assert reason_of(answered) == "Service Unavailable"
    assert status_line(answered) == "503 Service Unavailable"


def test_an_unassigned_code_without_a_phrase_is_just_the_number() -> None:
    assert status_line(hop("https://a.test/", 591)) == "591"
