"""``httpdoctor explain`` and ``httpdoctor codes`` as users run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.cli

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "json"


def _schema(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((SCHEMAS / name).read_text())
    return loaded


def test_explain_307_tells_what_why_and_how_to_fix() -> None:
    result = run_cli("explain", "307")
    assert result.exit_code == 0, result.stderr
    for expected in ("307 Temporary Redirect", "How to fix it", "307 Internal Redirect", "HSTS"):
        assert expected in result.stdout
    assert result.stderr == ""


def test_explain_in_russian() -> None:
    result = run_cli("explain", "520", "--lang", "ru")
    assert result.exit_code == 0
    assert "Как исправить" in result.stdout
    assert "Cloudflare" in result.stdout


def test_language_defaults_from_the_locale() -> None:
    result = run_cli("explain", "404", environ={"LANG": "ru_RU.UTF-8"})
    assert "Что это значит" in result.stdout


def test_lang_flag_wins_over_the_locale_and_works_before_the_command() -> None:
    result = run_cli("--lang", "en", "explain", "404", environ={"LANG": "ru_RU.UTF-8"})
    assert "What it means" in result.stdout


def test_several_codes_at_once() -> None:
    result = run_cli("explain", "301", "404.3", "cf-1020")
    assert result.exit_code == 0
    assert "301 Moved Permanently" in result.stdout
    assert "404.3" in result.stdout
    assert "1020" in result.stdout


def test_an_unassigned_code_is_explained_by_its_class_and_exits_0() -> None:
    result = run_cli("explain", "477")
    assert result.exit_code == 0
    assert "477" in result.stdout and "400" in result.stdout


def test_server_option_resolves_the_meaning() -> None:
    result = run_cli("explain", "499", "--server", "nginx", "--json")
    (code,) = result.json["codes"]
    assert [m["origin"] for m in code["meanings"]] == ["nginx"]
    assert code["context"] == {"product": "nginx", "via": "server-option", "evidence": "nginx"}


@pytest.mark.parametrize(
    "args",
    [
        ("explain", "307"),
        ("explain", "520", "--lang", "ru"),
        ("explain", "477"),
        ("explain", "5xx"),
        ("explain", "404.3", "cf-1020", "307 Internal Redirect"),
        ("explain", "Request Header Fields Too Large"),
    ],
)
def test_explain_json_matches_its_documented_schema(args: tuple[str, ...]) -> None:
    result = run_cli(*args, "--json")
    assert result.exit_code == 0
    jsonschema.validate(result.json, _schema("explain.schema.json"))


def test_explain_json_carries_everything_a_meaning_knows() -> None:
    (code,) = run_cli("explain", "307", "--json").json["codes"]
    standard = code["meanings"][0]
    assert standard["redirect"]["method_preserved"] is True
    assert standard["headers"] == ["Location"]
    assert standard["code_refs"]["go"].endswith("http.StatusTemporaryRedirect)")
    assert "return 307" in standard["config"]["nginx"]
    assert standard["seo"] and standard["causes"] and standard["fixes"]


@pytest.mark.parametrize(
    ("args", "message_part"),
    [
        (("explain", "abc"), "no status code is called 'abc'"),
        (("explain", "1000"), "'1000' is not an HTTP status code"),
        (("explain", ""), "empty status code"),
        (("explain",), "the following arguments are required: CODE"),
        (("explain", "404", "--server", "netscape"), "unknown server or product"),
        (("explain", "404", "--lang", "de"), "unknown language"),
        (("codes", "--class", "7xx"), "unknown class"),
        (("codes", "--origin", "nowhere"), "unknown origin"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(args: tuple[str, ...], message_part: str) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: ") and message_part in lines[0]
    assert len(lines) == 2 and lines[1].startswith("hint: ")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_traceback_flag_shows_the_exception() -> None:
    with pytest.raises(Exception, match="not an HTTP status code"):
        run_cli("explain", "1000", "--traceback")


def test_help_goes_to_stdout_and_exits_0() -> None:
    result = run_cli("explain", "--help")
    assert result.exit_code == 0
    assert "--server" in result.stdout and "examples:" in result.stdout


def test_no_command_prints_help_and_exits_2() -> None:
    result = run_cli()
    assert result.exit_code == 2
    assert "explain" in result.stdout


def test_colour_only_on_a_terminal() -> None:
    assert "\x1b[" not in run_cli("explain", "404").stdout
    assert "\x1b[" in run_cli("explain", "404", tty=True).stdout


@pytest.mark.parametrize(
    ("environ", "tty", "coloured"),
    [
        ({"NO_COLOR": "1"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, False, False),
        ({"TERM": "dumb"}, True, False),
        ({"NO_COLOR": ""}, True, True),
    ],
)
def test_colour_honours_no_color_and_force_color(
    environ: dict[str, str], tty: bool, coloured: bool
) -> None:
    result = run_cli("explain", "404", environ=environ, tty=tty)
    assert ("\x1b[" in result.stdout) is coloured


def test_json_is_never_coloured() -> None:
    result = run_cli("explain", "404", "--json", environ={"FORCE_COLOR": "1"}, tty=True)
    assert "\x1b[" not in result.stdout
    assert result.json["schema_version"] == 1


def test_codes_filters_by_class_origin_and_text() -> None:
    five = run_cli("codes", "--class", "5xx", "--json").json["codes"]
    assert five and all(c["class"] == "5xx" for c in five)
    nginx = run_cli("codes", "--origin", "nginx", "--json").json["codes"]
    assert {c["code"] for c in nginx} >= {444, 494, 495, 496, 497, 499}
    found = run_cli("codes", "--search", "teapot", "--json").json["codes"]
    assert [c["code"] for c in found] == [418]


def test_codes_search_understands_russian() -> None:
    found = run_cli("codes", "--search", "перенаправ", "--json").json["codes"]
    assert any(c["class"] == "3xx" for c in found)


def test_codes_json_matches_its_documented_schema() -> None:
    result = run_cli("codes", "--json")
    jsonschema.validate(result.json, _schema("codes.schema.json"))
    assert len(result.json["codes"]) > 100


def test_codes_text_lists_one_line_per_meaning() -> None:
    result = run_cli("codes", "--origin", "cloudflare")
    assert result.exit_code == 0
    assert all(line.split()[0].startswith(("5", "1")) for line in result.stdout.splitlines())


def test_codes_with_no_match_says_so() -> None:
    result = run_cli("codes", "--search", "zzzzzz-no-such-thing")
    assert result.exit_code == 0 and "No codes match" in result.stdout


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "httpdoctor", "explain", "307"],
        [str(Path(sys.executable).parent / "httpdoctor"), "explain", "307"],
    ],
    ids=["python -m httpdoctor", "console script"],
)
def test_the_installed_entry_points_work(command: list[str]) -> None:
    environ = {**os.environ, "LANG": "C.UTF-8"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=environ)
    assert done.returncode == 0, done.stderr
    assert "307 Temporary Redirect" in done.stdout


def test_the_console_script_hands_back_all_output_and_the_exit_code() -> None:
    # The script leaves without the interpreter's tear-down (cli/entry.py); whatever
    # was written must still arrive whole, and the exit code must be the command's.
    script = str(Path(sys.executable).parent / "httpdoctor")
    listing = subprocess.run([script, "codes", "--json"], capture_output=True, timeout=60)
    assert listing.returncode == 0
    assert len(json.loads(listing.stdout)["codes"]) > 100
    bad = subprocess.run([script, "explain", "999x"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.startswith("error: ")


def test_a_closed_pipe_is_not_an_error() -> None:
    script = str(Path(sys.executable).parent / "httpdoctor")
    done = subprocess.run(
        f"'{script}' codes | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in done.stderr
    assert done.stdout.strip()
