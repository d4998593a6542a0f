from __future__ import annotations

import pytest

from httpdoctor.codes import ContextSource, default_registry
from httpdoctor.codes.context import context_from_headers, product_named, select_meanings
from httpdoctor.errors import UsageError

pytestmark = pytest.mark.unit

PRODUCTS = default_registry().products()


@pytest.mark.parametrize(
    ("headers", "product", "via"),
    [
        ([("Server", "cloudflare")], "cloudflare", ContextSource.SERVER_HEADER),
        ([("server", "cloudflare-nginx")], "cloudflare", ContextSource.SERVER_HEADER),
        ([("Server", "nginx/1.22.1")], "nginx", ContextSource.SERVER_HEADER),
        ([("Server", "openresty")], "nginx", ContextSource.SERVER_HEADER),
        ([("Server", "nginx"), ("CF-RAY", "8a1b2c3d4e5f-AMS")], "cloudflare", ContextSource.HEADER),
        ([("Server", "Microsoft-IIS/10.0")], "iis", ContextSource.SERVER_HEADER),
        ([("Server", "awselb/2.0")], "aws", ContextSource.SERVER_HEADER),
        ([("Server", "Apache/2.4.57 (Debian)")], "apache", ContextSource.SERVER_HEADER),
    ],
)
def test_the_sender_is_recognised_from_response_headers(
    headers: list[tuple[str, str]], product: str, via: ContextSource
) -> None:
    context = context_from_headers(headers, PRODUCTS)
    assert context is not None
    assert (context.product.id, context.via) == (product, via)


def test_unknown_servers_give_no_context() -> None:
    assert context_from_headers([("Server", "gunicorn")], PRODUCTS) is None
    assert context_from_headers([], PRODUCTS) is None


@pytest.mark.parametrize(
    ("name", "product"),
    [("nginx", "nginx"), ("CF", "cloudflare"), ("ELB", "aws"), ("ArcGIS", "esri"), ("iis", "iis")],
)
def test_server_names_users_type(name: str, product: str) -> None:
    assert product_named(name, PRODUCTS).id == product


def test_an_unknown_server_name_lists_the_known_ones() -> None:
    with pytest.raises(UsageError) as caught:
        product_named("netscape", PRODUCTS)
    assert caught.value.hint is not None and "nginx" in caught.value.hint


def _origins(code: int, headers: list[tuple[str, str]]) -> list[str]:
    meanings = default_registry().meanings(code)
    context = context_from_headers(headers, PRODUCTS)
    return [m.origin for m in select_meanings(meanings, context)]


def test_499_from_nginx_is_client_closed_request() -> None:
    assert _origins(499, [("Server", "nginx")]) == ["nginx"]


def test_499_from_arcgis_is_token_required() -> None:
    assert _origins(499, [("Server", "ArcGIS Server")]) == ["esri"]


def test_52x_behind_cloudflare_is_cloudflares() -> None:
    assert _origins(520, [("Server", "cloudflare")]) == ["cloudflare"]
    assert _origins(530, [("Server", "cloudflare")]) == ["cloudflare"]


def test_a_vendor_without_its_own_meaning_gets_the_standard_one() -> None:
    assert _origins(307, [("Server", "nginx")]) == ["standard"]


def test_without_context_every_meaning_is_listed_most_common_first() -> None:
    assert _origins(499, []) == ["nginx", "esri"]
    assert _origins(307, [])[0] == "standard"
