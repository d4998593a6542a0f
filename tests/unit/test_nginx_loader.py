"""Loading nginx configurations: includes, vhost files, ``nginx -T`` dumps, round trips.

Bad input (syntax errors, missing includes, binary files, loops, caps) is specified in
``test_nginx_loader_errors.py``; the comparison with a running nginx in
``tests/integration/test_nginx_loader_vs_nginx.py``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from httpdoctor.servers.common.loader import load_nginx
from httpdoctor.servers.nginx.dump import split_dump
from httpdoctor.servers.nginx.render import quote, render
from tests.unit.nginx_files import located, shape, write_tree

pytestmark = pytest.mark.unit

CASES = Path(__file__).resolve().parents[1] / "cases" / "nginx" / "loader"
DUMP = CASES / "debian-layout.nginx-T.txt"
CAPTURED_PREFIX = "/tmp/httpdoctor-capture/etc/nginx"  # where the dump was taken

MAIN = """
events { worker_connections 64; }
http {
    include conf.d/*.conf;
    server {
        listen 80;
        server_name example.test;
        location / {
            include snippets/inner.conf;
        }
    }
}
"""


def test_relative_includes_resolve_against_the_main_files_folder(tmp_path: Path) -> None:
    # snippets/deeper.conf is written relative to the conf dir, not to snippets/.
    write_tree(
        tmp_path,
        {
            "nginx.conf": MAIN,
            "conf.d/maps.conf": "map $uri $x { default 1; }\n",
            "snippets/inner.conf": "include snippets/deeper.conf;\nreturn 204;\n",
            "snippets/deeper.conf": "add_header X-Deep 1;\n",
        },
    )
    config = load_nginx(str(tmp_path / "nginx.conf"))
    assert config.prefix == str(tmp_path)
    assert config.files == tuple(
        str(tmp_path / name)
        for name in (
            "nginx.conf",
            "conf.d/maps.conf",
            "snippets/inner.conf",
            "snippets/deeper.conf",
        )
    )


def test_nested_directives_from_included_files_carry_their_own_file_and_line(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "nginx.conf": MAIN,
            "snippets/inner.conf": "# a comment\n\nif ($arg_x) {\n    return 204;\n}\n",
        },
    )
    config = load_nginx(str(tmp_path / "nginx.conf"))
    assert located(config, "if") == [("snippets/inner.conf", 3, "nginx.conf:8")]
    assert located(config, "return") == [("snippets/inner.conf", 4, "nginx.conf:8")]
    assert located(config, "location") == [("nginx.conf", 7, None)]
    (location,) = config.find("location")
    assert [d.name for d in location.children()] == ["if"]  # the include itself is gone


def test_glob_matches_are_read_in_sorted_order_and_a_glob_may_match_nothing(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "nginx.conf": "http { include sites/*.conf; include none/*.conf; }\n",
            "sites/b.conf": "server { server_name b; }\n",
            "sites/a.conf": "server { server_name a; }\n",
            "sites/B.conf": "server { server_name B; }\n",  # upper case sorts first (bytes)
            "sites/.hidden.conf": "server { server_name hidden; }\n",  # glob(3) skips it
            "sites/c.conf.bak": "server { server_name backup; }\n",
        },
    )
    config = load_nginx(str(tmp_path / "nginx.conf"))
    names = [server.first("server_name").args for server in config.servers()]  # type: ignore[union-attr]
    assert names == [("B",), ("a",), ("b",)]


def test_a_file_included_from_two_places_is_expanded_at_both(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "nginx.conf": """
                http {
                    server { server_name a; include hsts.conf; }
                    server { server_name b; include hsts.conf; }
                }
            """,
            "hsts.conf": 'add_header Strict-Transport-Security "max-age=63072000" always;\n',
        },
    )
    config = load_nginx(str(tmp_path / "nginx.conf"))
    assert located(config, "add_header") == [
        ("hsts.conf", 1, "nginx.conf:2"),
        ("hsts.conf", 1, "nginx.conf:3"),
    ]
    assert config.files == (str(tmp_path / "nginx.conf"), str(tmp_path / "hsts.conf"))


def test_a_vhost_file_is_wrapped_in_a_synthetic_http_block(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "site.conf": """
                # site.test
                upstream app { server 127.0.0.1:8000; }
                server { listen 80; server_name site.test; }
                server { listen 443 ssl; server_name site.test; }
            """
        },
    )
    config = load_nginx(str(tmp_path / "site.conf"))
    assert [d.name for d in config.directives] == ["http"]
    http = config.http()
    assert http is not None and str(http.span) == f"{tmp_path / 'site.conf'}:2"
    assert [d.name for d in http.children()] == ["upstream", "server", "server"]
    assert [s.span.line for s in config.servers()] == [3, 4]


def test_prefix_overrides_where_relative_includes_resolve(tmp_path: Path) -> None:
    # Debian: /etc/nginx/sites-enabled/site says `include snippets/...` meaning /etc/nginx.
    write_tree(
        tmp_path,
        {
            "sites-enabled/site": "server { listen 80; include snippets/hsts.conf; }\n",
            "snippets/hsts.conf": "add_header Strict-Transport-Security max-age=60 always;\n",
        },
    )
    config = load_nginx(str(tmp_path / "sites-enabled/site"), prefix=str(tmp_path))
    assert config.prefix == str(tmp_path)
    assert located(config, "add_header") == [("snippets/hsts.conf", 1, "sites-enabled/site:1")]


def test_unknown_and_newer_directives_parse_in_any_context(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "nginx.conf": """
                load_module modules/ngx_http_headers_more_filter_module.so;
                http {
                    server {
                        listen 443 quic reuseport;
                        http2 on;
                        http3 on;
                        more_set_headers "Server: hidden";
                        vendor_thing 1 2 3 { nested_unknown on; }
                        location / { ssl_reject_handshake on; future_directive; }
                    }
                }
            """
        },
    )
    config = load_nginx(str(tmp_path / "nginx.conf"))
    assert [d.args for d in config.find("more_set_headers")] == [("Server: hidden",)]
    assert [d.name for d in config.find("future_directive")] == ["future_directive"]


def test_words_are_unquoted_and_unescaped_as_nginx_reads_them(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "nginx.conf": r"""
                http { server {
                    if ($http_user_agent ~* "(bot|crawler)") { return 403; }
                    if ( $request_method = POST ) { return 405; }
                    return 200 "tab\there \"quoted\" back\\slash 'single' keep\.dot";
                    rewrite ^/a\.html$ '/b c' break;   # a comment after a directive
                    rewrite ^ https://example.test${request_uri} permanent;
                    add_header X-Hash "#not-a-comment" always;
                } }
            """
        },
    )
    config = load_nginx(str(tmp_path / "nginx.conf"))
    assert [d.args for d in config.find("if")] == [
        ("$http_user_agent", "~*", "(bot|crawler)"),
        ("$request_method", "=", "POST"),
    ]
    (ret,) = (d for d in config.find("return") if d.args[0] == "200")
    assert ret.args[1] == "tab\there \"quoted\" back\\slash 'single' keep\\.dot"
    assert [d.args for d in config.find("rewrite")] == [
        ("^/a\\.html$", "/b c", "break"),
        ("^", "https://example.test${request_uri}", "permanent"),  # crossplane loses the flag
    ]
    assert [d.args for d in config.find("add_header")] == [("X-Hash", "#not-a-comment", "always")]


# -- nginx -T ---------------------------------------------------------------------------


def test_an_nginx_T_dump_is_split_into_its_files_in_nginx_order() -> None:
    files = split_dump(DUMP.read_text(encoding="utf-8"))
    assert files is not None
    assert [name.removeprefix(CAPTURED_PREFIX + "/") for name in files] == [
        "nginx.conf",
        "conf.d/maps.conf",
        "sites-enabled/a-site",
        "snippets/hsts.conf",
        "sites-enabled/b-site",
    ]
    for name, text in files.items():  # every file comes back byte for byte
        relative = name.removeprefix("/tmp/httpdoctor-capture/")
        assert text == (CASES / "debian-layout" / relative).read_text(encoding="utf-8")


def test_loading_a_dump_reads_no_disk_and_equals_loading_the_files(tmp_path: Path) -> None:
    assert not os.path.exists(CAPTURED_PREFIX)  # includes can only resolve inside the dump
    from_dump = load_nginx(str(DUMP))
    tree = tmp_path / "etc" / "nginx"
    shutil.copytree(CASES / "debian-layout" / "etc" / "nginx", tree)
    from_disk = load_nginx(str(tree / "nginx.conf"))
    assert from_dump.prefix == CAPTURED_PREFIX
    assert [f.removeprefix(CAPTURED_PREFIX) for f in from_dump.files] == [
        f.removeprefix(str(tree)) for f in from_disk.files
    ]
    assert shape(from_dump.directives) == shape(from_disk.directives)
    assert located(from_dump, "add_header") == [
        ("snippets/hsts.conf", 1, "sites-enabled/a-site:4"),
        ("snippets/hsts.conf", 1, "sites-enabled/b-site:4"),
    ]
    assert located(from_dump, "rewrite") == [("sites-enabled/a-site", 7, "nginx.conf:8")]


def test_a_dump_captured_with_stderr_is_recognised(tmp_path: Path) -> None:
    text = (
        'nginx: [warn] conflicting server name "a" on 0.0.0.0:80, ignored\n'
        "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
        "nginx: configuration file /etc/nginx/nginx.conf test is successful\n"
        "# configuration file /etc/nginx/nginx.conf:\n"
        "http { include sites/*; }\n\n"
        "# configuration file /etc/nginx/sites/one:\n"
        "server { listen 80; }"  # no final newline in the file: nginx adds exactly one
        "\n"
    )
    path = write_tree(tmp_path, {"dump.txt": text.encode()}) / "dump.txt"
    config = load_nginx(str(path))
    assert config.files == ("/etc/nginx/nginx.conf", "/etc/nginx/sites/one")
    assert located(config, "listen") == [("sites/one", 1, "nginx.conf:1")]


def test_a_file_that_merely_starts_with_a_comment_is_not_a_dump() -> None:
    assert split_dump("# configuration for example.test\nserver { }\n") is None
    assert split_dump("nginx: something\nhttp { }\n") is None


# -- rendering --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "text"),
    [
        ("simple", "simple"),
        ("$host$request_uri", "$host$request_uri"),
        ("${var}suffix", "${var}suffix"),
        ("^/a\\.b$", "^/a\\.b$"),
        ("", '""'),
        ("two words", '"two words"'),
        ("max-age=1; includeSubDomains", '"max-age=1; includeSubDomains"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("line\nbreak", '"line\\nbreak"'),
        ("back\\n", '"back\\\\n"'),
        ("ends\\", '"ends\\\\"'),
        ("#hash", '"#hash"'),
        ("a{b}", '"a{b}"'),
    ],
)
def test_render_quotes_a_word_only_when_nginx_would_read_it_differently(
    word: str, text: str
) -> None:
    assert quote(word) == text


def test_render_then_parse_gives_the_same_model(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "nginx.conf": r"""
                user www-data;
                events { }
                http {
                    include maps/*.conf;
                    server {
                        listen 127.0.0.1:443 ssl default_server;
                        server_name .example.test "~^(?<sub>[a-z]+)\.example\.test$";
                        if ($http_x_forwarded_proto != "https") {
                            return 301 https://$host$request_uri;
                        }
                        if ( "$a b" = "x y" ) { set $z "1 2"; }
                        location ~* \.(png|jpe?g)$ { add_header Cache-Control "max-age=60"; }
                        location = /x { return 200 "a\tb \"c\" d\\n e;{}"; }
                        location @named { rewrite ^ /index.html break; }
                        content_by_lua_block { ngx.say("}\n") }
                    }
                }
            """,
            "maps/m.conf": "map $uri $v { default ''; ~^/a\\.b '1'; }\n",
        },
    )
    first = load_nginx(str(tmp_path / "nginx.conf"))
    text = render(first)
    again = load_nginx(str(write_tree(tmp_path / "out", {"nginx.conf": text}) / "nginx.conf"))
    assert shape(again.directives) == shape(first.directives)
    assert render(again) == text
    assert 'content_by_lua_block { ngx.say("}\\n") }' in text  # Lua code is kept verbatim


def test_rendering_a_vhost_file_makes_its_http_block_explicit(tmp_path: Path) -> None:
    path = write_tree(tmp_path, {"site": "server { listen 80; }\n"}) / "site"
    assert render(load_nginx(str(path))) == "http {\n    server {\n        listen 80;\n    }\n}\n"
