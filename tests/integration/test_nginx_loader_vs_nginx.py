"""The nginx loader against Debian's nginx itself: the files it reads, its ``nginx -T``
output, and the file:line of its syntax errors.
"""

from __future__ import annotations

import http.client
import re
import resource
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from httpdoctor.errors import ConfigSyntaxError
from httpdoctor.servers.common.loader import load_nginx
from httpdoctor.servers.nginx.dump import split_dump
from tests.servers.nginx import NGINX_BINARY
from tests.unit.nginx_files import write_tree

if TYPE_CHECKING:
    from tests.servers.conftest_fixtures import NginxFactory

pytestmark = pytest.mark.integration

SERVERS = """
server {
    listen {{addr}}:80 default_server;
    server_name site.test;
    include ../htdocs/snippets/hsts.conf;
    location / {
        include {{root}}/snippets/locations/*.conf;
    }
}
"""

FILES = {
    "maps/b.conf": "map $uri $b { default 1; }\n",
    "maps/a.conf": "map $uri $a { default 1; include {{root}}/maps/values.inc; }\n",
    "maps/values.inc": "/x 2;\n",
    "snippets/hsts.conf": 'add_header Strict-Transport-Security "max-age=60" always;\n',
    "snippets/locations/20-old.conf": "location /old/ { return 301 /new/; }\n",
    "snippets/locations/10-api.conf": (
        "location /api/ {\n    include {{root}}/snippets/hsts.conf;\n    return 204;\n}\n"
    ),
}


def _dump(prefix: Path) -> str:
    done = subprocess.run(
        [NGINX_BINARY, "-T", "-p", f"{prefix}/", "-c", "conf/nginx.conf", "-e", "/dev/null"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_the_files_we_read_are_the_files_nginx_T_reports(nginx_server: NginxFactory) -> None:
    server = nginx_server(SERVERS, http_extra="include ../htdocs/maps/*.conf;", files=FILES)
    config = load_nginx(str(server.config_path))
    reported = split_dump(_dump(server.prefix))
    assert reported is not None
    assert config.files == tuple(reported)
    # nginx joins, never normalises: the relative include keeps its "conf/../htdocs".
    assert f"{server.prefix}/conf/../htdocs/snippets/hsts.conf" in config.files


def test_loading_nginx_T_output_equals_loading_the_files(
    nginx_server: NginxFactory, tmp_path: Path
) -> None:
    server = nginx_server(SERVERS, http_extra="include ../htdocs/maps/*.conf;", files=FILES)
    dump = tmp_path / "nginx-T.txt"
    dump.write_text(_dump(server.prefix), encoding="utf-8")
    from_dump, from_disk = load_nginx(str(dump)), load_nginx(str(server.config_path))
    # Same absolute paths, so the whole model is equal, spans and included_from too.
    assert from_dump == from_disk
    returns = [
        (d.args, d.span.file.rsplit("/", 1)[1], d.span.line) for d in from_disk.find("return")
    ]
    assert returns == [(("204",), "10-api.conf", 3), (("301", "/new/"), "20-old.conf", 1)]


_NGINX_LOCATION = re.compile(r" in (/\S+):(\d+)$", re.MULTILINE)


def _nginx_error_location(prefix: Path) -> tuple[str, int]:
    done = subprocess.run(
        [NGINX_BINARY, "-t", "-q", "-p", f"{prefix}/", "-c", "nginx.conf", "-e", "/dev/null"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0, "nginx accepted the configuration"
    match = _NGINX_LOCATION.search(done.stderr)
    assert match is not None, done.stderr
    return match[1], int(match[2])


@pytest.mark.parametrize(
    "files",
    [
        {
            "nginx.conf": "events {}\nhttp {\n  include sites/*.conf;\n}\n",
            "sites/a.conf": "server {\n  listen 127.0.0.1:8;\n  return 200 }\n",
        },
        {
            "nginx.conf": "events {}\nhttp {\n  include sites/*.conf;\n}\n",
            "sites/a.conf": "server {\n  location / {\n    return 204;\n  }\n",
        },
        {"nginx.conf": "events {}\nhttp {\n  server { }\n}\n}\n"},
        {"nginx.conf": "events {}\nhttp {\n  include missing.conf;\n}\n"},
        {"nginx.conf": "events {}\nhttp {\n  server {\n    return;\n  }\n}\n"},
        {"nginx.conf": 'events {}\nhttp {\n  server {\n    return 200 "a\nb"c;\n  }\n}\n'},
        {"nginx.conf": "events {}\nhttp {\n  server {\n    listen\u00a080;\n  }\n}\n"},
    ],
    ids=[
        "unterminated-in-include",
        "unclosed-block-eof",
        "extra-brace",
        "missing",
        "arguments",
        "glued-to-quote",
        "no-break-space",
    ],
)
def test_syntax_errors_name_the_file_and_line_nginx_names(
    tmp_path: Path, files: dict[str, str | bytes]
) -> None:
    if not Path(NGINX_BINARY).is_file():
        pytest.fail(f"{NGINX_BINARY} is not installed: run `make test`")
    write_tree(tmp_path, files)
    with pytest.raises(ConfigSyntaxError) as caught:
        load_nginx(str(tmp_path / "nginx.conf"))
    assert (caught.value.span.file, caught.value.span.line) == _nginx_error_location(tmp_path)


def test_the_word_after_a_braced_variable_is_its_own_argument_as_nginx_reads_it(
    nginx_server: NginxFactory,
) -> None:
    # crossplane's lexer reads `${u} permanent` as one word: a 302 instead of nginx's 301.
    server = nginx_server(
        "server {\n    listen {{addr}}:80;\n    set $u /p;\n"
        "    rewrite ^ http://x.test${u} permanent;\n}\n"
    )
    (rewrite,) = load_nginx(str(server.config_path)).find("rewrite")
    assert rewrite.args == ("^", "http://x.test${u}", "permanent")
    connection = http.client.HTTPConnection(server.address, 80, timeout=3)
    try:
        connection.request("GET", "/", headers={"Host": "a.test"})
        response = connection.getresponse()
    finally:
        connection.close()
    assert (response.status, response.getheader("Location")) == (301, "http://x.test/p")


def _no_core_dump() -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def test_an_include_loop_that_crashes_nginx_is_reported_at_its_include(tmp_path: Path) -> None:
    # nginx 1.22 recurses until its stack overflows: SIGSEGV, no message at all.
    write_tree(tmp_path, {"nginx.conf": "events {}\nhttp {\n  include a.conf;\n}\n"})
    write_tree(tmp_path, {"a.conf": "# again\ninclude a.conf;\n"})
    done = subprocess.run(
        [NGINX_BINARY, "-t", "-p", f"{tmp_path}/", "-c", "nginx.conf", "-e", "/dev/null"],
        capture_output=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        preexec_fn=_no_core_dump,
    )
    assert done.returncode != 0
    with pytest.raises(ConfigSyntaxError) as caught:
        load_nginx(str(tmp_path / "nginx.conf"))
    assert str(caught.value.span) == f"{tmp_path}/a.conf:2"
