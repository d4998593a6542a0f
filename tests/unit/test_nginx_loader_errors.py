"""Bad nginx input: one ConfigSyntaxError (a UsageError, exit 2) naming file:line, with a hint.

The line is the one ``nginx -t`` names (checked against Debian's nginx 1.22;
``tests/integration/test_nginx_loader_vs_nginx.py`` repeats a few live), except for a
missing ";": nginx names the line of the token after the gap, we the directive's own.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from pathlib import Path

import pytest

from httpdoctor.errors import ConfigSyntaxError, ExitCode, UsageError
from httpdoctor.servers.common.loader import load_nginx
from httpdoctor.servers.nginx import includes
from httpdoctor.servers.nginx.includes import assemble
from tests.unit.nginx_files import write_tree

pytestmark = pytest.mark.unit


def _error(tmp_path: Path, files: dict[str, str | bytes], main: str = "nginx.conf") -> str:
    """Load ``main`` from ``files`` and return the error as the CLI prints it."""
    write_tree(tmp_path, files)
    with pytest.raises(ConfigSyntaxError) as caught:
        load_nginx(str(tmp_path / main))
    error = caught.value
    assert error.exit_code is ExitCode.USAGE and isinstance(error, UsageError)
    assert error.hint
    assert error.message == f"{error.span}: {error.reason}"
    assert "\n" not in error.message
    return error.message.replace(f"{tmp_path}/", "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("http {\n  server {\n    listen 80\n  }\n}\n", 'nginx.conf:3: unexpected "}": "listen"'),
        (
            "http {\n  server {\n    listen 80;\n",
            'nginx.conf:4: unexpected end of file, expecting "}"',
        ),
        ("http {\n}\n}\n", 'nginx.conf:3: unexpected "}"'),
        ("events {}\nworker_processes 1", 'nginx.conf:2: unexpected end of file, expecting ";"'),
        ('http {\n  return 200 "open quote;\n}\n', "nginx.conf:4: unexpected end of file"),
        ("http {\n  { listen 80; }\n}\n", 'nginx.conf:2: unexpected "{"'),
        ("http {\n  ;\n}\n", 'nginx.conf:2: unexpected ";"'),
        # the most common slip: a missing ";" before the next block
        (
            "http {\n  server_name a.test\n  server { }\n}\n",
            'nginx.conf:2: directive "server_name" is not terminated by ";"',
        ),
        (
            "http { server {\n  return;\n} }\n",
            'nginx.conf:2: invalid number of arguments in "return"',
        ),
        ("http { gzip maybe; }\n", 'nginx.conf:1: invalid value "maybe" in "gzip" directive'),
        (
            "http { include a.conf b.conf; }\n",
            'nginx.conf:1: invalid number of arguments in "include"',
        ),
        ('http {\n  return 200 "a"b;\n}\n', 'nginx.conf:2: unexpected "b" after a quoted string'),
        # copied from a web page: nginx reads "listen\u00a080" as one unknown directive
        (
            "http { server {\n  listen\u00a080;\n} }\n",
            "nginx.conf:2: unknown directive 'listen\\xa080': U+00A0 is not a space to nginx",
        ),
    ],
)
def test_a_syntax_error_names_the_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    assert _error(tmp_path, {"nginx.conf": text}).startswith(message)


def test_an_unclosed_block_names_the_block_still_open(tmp_path: Path) -> None:
    message = _error(tmp_path, {"nginx.conf": "http {\n  server {\n  location / {\n  }\n"})
    assert message.endswith('(the "server" block opened on line 2 is not closed)')


def test_a_syntax_error_deep_in_an_included_file_names_that_file(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "nginx.conf": "http { include sites/*.conf; }\n",
        "sites/a.conf": "server {\n  include snippets/loc.conf;\n}\n",
        "snippets/loc.conf": "location / {\n  if ($x) {\n    return 301 a b;\n  }\n}\n",
    }
    message = _error(tmp_path, files)
    assert message.startswith('snippets/loc.conf:3: invalid number of arguments in "return"')


def test_a_missing_include_is_an_error_but_an_empty_glob_is_not(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "nginx.conf": "http {\n  include nothing/*.conf;\n  include missing.conf;\n}\n",
    }
    message = _error(tmp_path, files)
    assert message == 'nginx.conf:3: include file "missing.conf" not found'


def test_a_missing_include_hints_at_the_prefix_where_the_file_exists(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "sites-enabled/site": "server {\n  include snippets/ssl.conf;\n}\n",
            "snippets/ssl.conf": "ssl_protocols TLSv1.3;\n",
        },
    )
    with pytest.raises(ConfigSyntaxError) as caught:
        load_nginx(str(tmp_path / "sites-enabled/site"))
    assert str(caught.value.span) == f"{tmp_path}/sites-enabled/site:2"
    assert caught.value.hint is not None
    assert caught.value.hint.endswith(
        f"pass --prefix {tmp_path} if this file is included from there"
    )


def test_an_include_loop_is_reported_at_the_include_that_closes_it(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "nginx.conf": "http {\n  include a.conf;\n}\n",
        "a.conf": "include b.conf;\n",
        "b.conf": "# back to a\ninclude a.conf;\n",
    }
    message = _error(tmp_path, files)
    assert message == "b.conf:2: include loop: nginx.conf -> a.conf -> b.conf -> a.conf"


def test_a_file_including_itself_through_a_glob_is_a_loop(tmp_path: Path) -> None:
    message = _error(tmp_path, {"nginx.conf": "http {}\ninclude *.conf;\n"})
    assert message.startswith("nginx.conf:2: include loop")


def test_a_binary_file_is_refused_with_the_line_of_its_first_nul(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "nginx.conf": "http {\n  include conf.d/*;\n}\n",
        "conf.d/site.conf": "server { }\n",
        "conf.d/site.conf.gz": b"\x1f\x8b\x08\nmore\n\x00\x00binary",
    }
    message = _error(tmp_path, files)
    assert message == (
        "conf.d/site.conf.gz:3: conf.d/site.conf.gz is a binary file, not an "
        "nginx configuration (NUL byte) (included from nginx.conf:2)"
    )


def test_text_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    cp1251 = "# комментарий\nhttp { }\n".encode("cp1251")
    assert _error(tmp_path, {"nginx.conf": b"\n" + cp1251}).startswith(
        "nginx.conf:2: byte 0xea is not UTF-8 text"
    )


def test_a_byte_order_mark_is_refused_as_nginx_does(tmp_path: Path) -> None:
    message = _error(tmp_path, {"nginx.conf": b"\xef\xbb\xbfhttp { }\n"})
    assert message.startswith("nginx.conf:1: the file starts with a UTF-8 byte-order mark")


def test_an_include_that_is_a_directory_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "conf.d").mkdir()
    message = _error(tmp_path, {"nginx.conf": "http {\n  include conf.d;\n}\n"})
    assert message == 'nginx.conf:2: cannot read include file "conf.d": Is a directory'


class _Unreadable:
    """A source whose include cannot be read (running as root, chmod cannot show this)."""

    description = "not found"

    def read(self, path: str, limit: int) -> bytes:
        if path == "/etc/nginx/nginx.conf":
            return b"http {\n  include secret.conf;\n}\n"
        raise PermissionError(errno.EACCES, "Permission denied", path)

    def glob(self, pattern: str) -> Iterable[str]:
        return []

    def identity(self, path: str) -> str:
        return path

    def exists(self, path: str) -> bool:
        return False


def test_an_unreadable_include_says_why_and_where() -> None:
    with pytest.raises(ConfigSyntaxError) as caught:
        assemble("/etc/nginx/nginx.conf", _Unreadable(), prefix="/etc/nginx")
    assert caught.value.message == (
        '/etc/nginx/nginx.conf:2: cannot read include file "/etc/nginx/secret.conf": '
        "Permission denied"
    )
    assert caught.value.hint is not None and "user who can read" in caught.value.hint


def test_a_main_file_that_cannot_be_read_is_a_usage_error_without_a_line(tmp_path: Path) -> None:
    for path in (tmp_path / "missing.conf", tmp_path):
        with pytest.raises(UsageError) as caught:
            load_nginx(str(path))
        assert not isinstance(caught.value, ConfigSyntaxError)
        assert caught.value.message.startswith(f"cannot read {path}: ")


def test_a_main_file_over_the_size_cap_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.conf"
    with path.open("wb") as file:
        file.truncate(includes.MAX_BYTES + 1)  # sparse: no 16 MiB written
    with pytest.raises(UsageError, match="larger than 16 MiB"):
        load_nginx(str(path))


def test_include_fan_out_is_capped_as_the_expanded_size_grows(tmp_path: Path) -> None:
    # Each level includes the next twice: 2**5 copies of a 1 MiB leaf exceed 16 MiB.
    files: dict[str, str | bytes] = {
        f"l{n}.conf": f"include l{n + 1}.conf;\ninclude l{n + 1}.conf;\n" for n in range(5)
    }
    files["l5.conf"] = ("#" + "x" * 1023 + "\n") * 1024
    files["nginx.conf"] = "http {\n  include l0.conf;\n}\n"
    message = _error(tmp_path, files)
    assert "grows past 16 MiB" in message and message.startswith("l4.conf:")


def test_nesting_deeper_than_the_limit_is_refused(tmp_path: Path) -> None:
    depth = includes.MAX_DEPTH + 1
    text = "http {\n" + "location / {\n" * depth + "}\n" * depth + "}\n"
    message = _error(tmp_path, {"nginx.conf": text})
    assert message.startswith(f"nginx.conf:{includes.MAX_DEPTH + 1}: blocks and includes")


def test_a_dump_whose_include_is_not_embedded_says_so(tmp_path: Path) -> None:
    dump = "# configuration file /etc/nginx/nginx.conf:\nhttp {\n  include extra.conf;\n}\n\n"
    # the separator is not part of the file: line 2 of nginx.conf is the include
    message = _error(tmp_path, {"dump.txt": dump}, main="dump.txt")
    assert message == (
        '/etc/nginx/nginx.conf:2: include file "/etc/nginx/extra.conf" '
        "is not in the nginx -T output"
    )
