from __future__ import annotations

import pytest

from httpdoctor.codes import FixTarget, Kind, explain
from httpdoctor.errors import UsageError

pytestmark = pytest.mark.unit


def _keys(text: str, server: str | None = None) -> list[str]:
    (exp,) = explain(text, server=server)
    return [em.meaning.key for em in exp.meanings]


def test_307_lists_the_standard_meaning_then_the_browsers_internal_redirect() -> None:
    assert _keys("307")[:2] == ["307-standard", "307-internal-redirect"]


@pytest.mark.parametrize(
    "text", ["307 Internal Redirect", "internal-redirect", "Internal Redirect"]
)
def test_the_hsts_look_alike_is_found_by_the_names_people_use(text: str) -> None:
    (exp,) = explain(text)
    assert [em.meaning.key for em in exp.meanings] == ["307-internal-redirect"]
    assert exp.meanings[0].meaning.kind is Kind.LOOK_ALIKE


def test_server_option_picks_the_vendor_meaning() -> None:
    assert _keys("499", server="nginx") == ["499-nginx"]
    assert _keys("499", server="esri") == ["499-esri"]
    assert _keys("520", server="cloudflare") == ["520-cloudflare"]


def test_response_headers_pick_the_vendor_meaning_in_library_use() -> None:
    (exp,) = explain("520", headers=[("Server", "cloudflare"), ("CF-RAY", "1-AMS")])
    assert [em.meaning.key for em in exp.meanings] == ["520-cloudflare"]
    assert exp.context is not None and exp.context.product.id == "cloudflare"


def test_context_keeps_the_fixes_for_that_server_and_drops_the_others() -> None:
    (exp,) = explain("404", server="nginx")
    targets = {fix.target for fix in exp.meanings[0].fixes}
    assert FixTarget.NGINX in targets
    assert FixTarget.APACHE not in targets


def test_an_unassigned_code_is_explained_by_its_class() -> None:
    (exp,) = explain("477")
    assert not exp.assigned
    assert exp.code == 477
    assert exp.status_class is not None and exp.status_class.digit == 4
    assert "400" in exp.status_class.unknown.en


def test_a_class_query_lists_the_standard_codes_of_the_class() -> None:
    (exp,) = explain("3xx")
    assert {m.code for m in exp.class_members} >= {301, 302, 307, 308}


def test_iis_substatus_explains_the_detail_and_its_family() -> None:
    (exp,) = explain("404.3")
    assert exp.substatus is not None and exp.substatus.code == "404.3"
    assert len(exp.substatus_family) > 3
    assert exp.code == 404 and exp.meanings[0].meaning.key == "404-standard"


def test_an_unknown_substatus_still_shows_the_family() -> None:
    (exp,) = explain("404.99")
    assert exp.substatus is None and exp.substatus_asked == "404.99"
    assert exp.substatus_family


def test_cloudflare_error_page_numbers_come_with_their_http_status() -> None:
    (exp,) = explain("cf-1020")
    assert exp.cloudflare is not None and exp.cloudflare.status == 403
    assert exp.code == 403


def test_an_unknown_cloudflare_number_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        explain("cf-1999")


def test_a_name_shared_by_two_codes_explains_both() -> None:
    codes = [exp.code for exp in explain("Request Header Fields Too Large")]
    assert codes == [430, 431]


def test_a_bare_name_finds_its_code() -> None:
    assert _keys("Too Many Requests") == ["429-standard"]
    assert _keys("teapot") == ["418-standard"]


def test_an_unknown_name_points_to_search() -> None:
    with pytest.raises(UsageError) as caught:
        explain("frobnicated")
    assert caught.value.hint is not None and "codes --search" in caught.value.hint


def test_an_unknown_server_name_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        explain("404", server="netscape")
