from __future__ import annotations

import pytest

from httpdoctor.codes import explain

pytestmark = pytest.mark.unit


def _refs(text: str, server: str | None = None) -> dict[str, str]:
    (exp,) = explain(text, server=server)
    return dict(exp.meanings[0].code_refs)


def test_a_standard_redirect_uses_each_stacks_own_constant_and_location() -> None:
    refs = _refs("307")
    assert refs["go"] == "http.Redirect(w, r, url, http.StatusTemporaryRedirect)"
    assert "HTTPStatus.TEMPORARY_REDIRECT" in refs["python"]
    assert refs["rails"] == "redirect_to url, status: :temporary_redirect"
    assert "Response::HTTP_TEMPORARY_REDIRECT" in refs["symfony"]
    assert "HttpStatusCode.TemporaryRedirect" in refs["dotnet"]
    assert "StatusCode::TEMPORARY_REDIRECT" in refs["rust"]
    assert "HttpStatus.SC_TEMPORARY_REDIRECT" in refs["java"]
    assert refs["node"] == "res.redirect(307, url);"
    assert "HttpStatusCode.TemporaryRedirect" in refs["angular"]


def test_every_stack_in_scope_is_covered_for_a_standard_code() -> None:
    assert set(_refs("404")) == {
        "python",
        "go",
        "rails",
        "symfony",
        "dotnet",
        "rust",
        "java",
        "node",
        "angular",
    }


def test_a_vendor_code_is_sent_by_number() -> None:
    refs = _refs("499", server="nginx")
    assert refs["go"] == "w.WriteHeader(499)"


def test_a_vendor_reuse_of_a_standard_number_never_borrows_the_standard_name() -> None:
    (exp,) = explain("308", server="google")
    (meaning,) = exp.meanings
    assert meaning.meaning.key == "308-resume-incomplete"
    assert all("PERMANENT" not in snippet.upper() for _, snippet in meaning.code_refs)


def test_look_alikes_are_never_sent_so_they_have_no_code() -> None:
    (exp,) = explain("307 Internal Redirect")
    assert exp.meanings[0].code_refs == ()
