"""``evaluate`` as a specification: what it answers, where it says it cannot answer.

The wire-level proof against real nginx is tests/integration/test_nginx_differential.py;
these cases pin the shape of the answer (server, location, steps, decided_by, handler,
unsupported) and the small translators it relies on.
"""

from __future__ import annotations

import pytest

from httpdoctor.servers.nginx.evaluate import evaluate
from httpdoctor.servers.nginx.evaluation import (
    Evaluation,
    LocationMatch,
    NginxRequest,
    Outcome,
    ServerWhy,
)
from httpdoctor.servers.nginx.regex import RegexUnsupported, compile_pcre
from httpdoctor.servers.nginx.rewrite import unescape_redirect
from httpdoctor.servers.nginx.uri import BadRequest, normalise_host, parse_target
from tests.nginx_text import config_from_text

pytestmark = pytest.mark.unit

CONFIG = """
http {
    server {
        listen 127.0.0.1:80;
        server_name site.test;
        add_header Strict-Transport-Security "max-age=60" always;
        location /old/ { rewrite ^/old/(.*)$ /new/$1 last; }
        location /new/ { return 301 https://$host$uri; }
        location /api/ { proxy_pass http://backend; }
        location /files/ { root /srv; }
        location /try { try_files $uri =404; }
        location /test { if (-f /etc/passwd) { return 200; } return 204; }
        location /cookie { return 302 /$cookie_id; }
    }
    server {
        listen 127.0.0.1:80;
        server_name re.test;
        location ^~ /safe/ { return 200; }
        location ~ "^/\\p{L}$" { return 200; }
    }
    server { listen 127.0.0.1:80 default_server; server_name _; return 444; }
}
"""


def _ask(path: str, host: str | None = "site.test") -> Evaluation:
    return evaluate(
        config_from_text(CONFIG),
        NginxRequest(host=host, path_and_query=path, local_address="127.0.0.1", local_port=80),
    )


def test_a_rewrite_then_a_return_names_both_lines_in_order() -> None:
    answer = _ask("/old/a?x=1")
    assert answer.complete
    assert answer.server is not None and answer.server.why is ServerWhy.EXACT_NAME
    assert answer.location is not None and answer.location.match is LocationMatch.LONGEST_PREFIX
    assert answer.location.text == "location /new/"
    assert [(s.span.line, s.outcome) for s in answer.steps] == [
        (7, Outcome.SELECTED),
        (7, Outcome.LAST),
        (8, Outcome.SELECTED),
        (8, Outcome.REDIRECT),
    ]
    assert answer.response is not None
    assert answer.response.status == 301
    assert answer.response.location == "https://site.test/new/a"
    assert answer.response.header("strict-transport-security") == "max-age=60"
    assert answer.decided_by is not None and answer.decided_by.span.line == 8
    assert answer.decided_by.text == "return 301 https://$host$uri;"


def test_an_unknown_host_goes_to_the_default_server_and_444_closes() -> None:
    answer = _ask("/", host="other.test")
    assert answer.server is not None and answer.server.why is ServerWhy.DEFAULT_SERVER
    assert answer.response is not None and answer.response.closes_connection


def test_a_proxied_location_ends_in_its_handler_without_a_response() -> None:
    answer = _ask("/api/v1")
    assert answer.complete and answer.response is None
    assert answer.handler is not None
    assert (answer.handler.kind, answer.handler.target) == ("proxy_pass", "http://backend")


def test_the_slashless_prefix_of_a_proxied_location_is_a_301() -> None:
    answer = _ask("/api")
    assert answer.response is not None
    assert (answer.response.status, answer.response.location) == (301, "http://site.test/api/")


def test_static_files_are_named_as_the_static_handler_with_the_path() -> None:
    answer = _ask("/files/a.txt")
    assert answer.handler is not None
    assert (answer.handler.kind, answer.handler.target) == ("static", "/srv/files/a.txt")


@pytest.mark.parametrize(
    ("path", "host", "line", "reason"),
    [
        ("/try", "site.test", 11, "try_files needs the disk"),
        ("/test", "site.test", 12, "file test -f needs the disk"),
        ("/cookie", "site.test", 13, "variable $cookie_id is not modelled"),
        ("/x", "re.test", 19, "escape \\p"),
    ],
)
def test_what_needs_the_disk_or_is_not_modelled_is_reported_never_guessed(
    path: str, host: str, line: int | None, reason: str
) -> None:
    answer = _ask(path, host)
    assert not answer.complete
    assert answer.response is None and answer.handler is None
    assert [(u.span.line if u.span else None, u.reason) for u in answer.unsupported] == [
        (line, reason)
    ]


def test_an_unusable_regex_does_not_matter_when_no_request_reaches_it() -> None:
    answer = _ask("/safe/x", "re.test")
    assert answer.complete and answer.response is not None
    assert answer.response.status == 200


def test_pcre_named_groups_and_posix_classes_translate() -> None:
    regex = compile_pcre("^/(?<name>[[:alpha:]]+)-(?'n'\\d{2,})$")
    match = regex.compiled.search("/abc-123")
    assert match is not None and match.group("name") == "abc" and match.group("n") == "123"


def test_a_brace_that_is_no_quantifier_is_a_literal_as_in_pcre() -> None:
    assert compile_pcre("a{,3}").compiled.fullmatch("a{,3}") is not None


@pytest.mark.parametrize("pattern", ["\\p{L}", "(?|a)", "a(?i)b", "\\K", "[[:^alpha:]]"])
def test_pcre_only_syntax_is_refused(pattern: str) -> None:
    with pytest.raises(RegexUnsupported):
        compile_pcre(pattern)


def test_caseless_matching_folds_ascii_only() -> None:
    regex = compile_pcre("\\.php$", caseless=True)
    assert regex.compiled.search("/A.PHP") is not None


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        ("http://x/%41%2f%20b?c=%41", "http://x/A/%20b?c=%41"),
        ("/a%3fb", "/a?b"),
        ("/a%zz", "/azz"),
        ("/a%2", "/a"),
    ],
)
def test_rewrite_redirects_are_unescaped_like_nginx(value: str, sent: str) -> None:
    assert unescape_redirect(value) == sent


@pytest.mark.parametrize(
    ("target", "uri"),
    [
        ("/a/../docs/x", "/docs/x"),
        ("//docs%2Fx", "/docs/x"),
        ("/a/./b/.", "/a/b/"),
        ("/a/b/..", "/a/"),
        ("/%25/x", "/%/x"),
    ],
)
def test_the_uri_is_decoded_and_normalised_before_location_matching(target: str, uri: str) -> None:
    assert parse_target(target).uri == uri


@pytest.mark.parametrize("target", ["/../x", "/a%zz", "/a%00"])
def test_uris_nginx_rejects_are_400(target: str) -> None:
    with pytest.raises(BadRequest):
        parse_target(target)


def test_hosts_lose_port_and_trailing_dot_and_are_lowered() -> None:
    assert normalise_host("WWW.Site.Test.:8080") == "www.site.test"
    with pytest.raises(BadRequest):
        normalise_host("bad..host")
