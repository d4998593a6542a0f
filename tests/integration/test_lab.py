"""Every lab scenario, end to end: its servers come up, its diagnosis names its cause.

A scenario's diagnosis must contain its own expected finding ids and none of the ids
that characterise the other scenarios.
"""

from __future__ import annotations

import io
import json
import shlex
import sys
import threading
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from httpdoctor.cli.env import Environment
from httpdoctor.cli.main import run
from httpdoctor.lab.scenarios import SCENARIOS
from tests.conftest import run_cli

pytestmark = pytest.mark.integration

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "json"


def _validate(payload: Any) -> None:
    """Against docs/json/diagnose.schema.json, which refers to trace.schema.json."""
    trace = json.loads((SCHEMAS / "trace.schema.json").read_text())
    diagnose = json.loads((SCHEMAS / "diagnose.schema.json").read_text())
    registry: Registry[Any] = Registry().with_resource(
        "https://httpdoctor.invalid/schema/trace.schema.json", Resource.from_contents(trace)
    )
    jsonschema.Draft202012Validator(diagnose, registry=registry).validate(payload)


CASES = [(s.name, v.name) for s in SCENARIOS for v in s.variants]
ALL_EXPECTED = frozenset().union(*(s.expected for s in SCENARIOS))


# Ids another scenario is about that a scenario's diagnosis produces as well, and why.
@pytest.mark.parametrize(("name", "variant"), CASES, ids=[f"{n}-{v}" for n, v in CASES])
def test_the_lab_diagnosis_names_the_scenarios_cause(name: str, variant: str) -> None:
    scenario = next(s for s in SCENARIOS if s.name == name)
    result = run_cli("lab", "run", name, "--variant", variant, "--json")
    assert result.exit_code == 0, result.stderr
    _validate(result.json)
    found = {f["id"] for f in result.json["findings"]}
    assert scenario.expected <= found, f"missing {scenario.expected - found}"
    assert not (found & (ALL_EXPECTED - scenario.expected)), found
    # The page goes to every trace, as diagnose -e sends it.
    traces = [result.json["trace"], *(p["trace"] for p in result.json["probes"])]
    assert [t["request"]["referrer"] for t in traces] == [scenario.referrer] * len(traces)


def test_lab_run_prints_a_report_in_russian() -> None:
    result = run_cli("lab", "run", "seed-307", "--lang", "ru")
    assert result.exit_code == 0
    assert "Браузер сам переводит info.site.test на https" in result.stdout
    assert "Как исправить" in result.stdout


def test_a_lab_run_in_russian_names_the_page_and_the_finding_in_russian() -> None:
    result = run_cli("lab", "run", "sso-strict-cookie", "--lang", "ru")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Переход начинается на странице https://idp.test/login." in out
    assert "SameSite=Strict не пускает cookie session в запрос https://app.test/home" in out
    assert "Навигация началась на https://idp.test/login" in out


def test_lab_list_names_every_scenario_and_the_page_it_starts_on() -> None:
    result = run_cli("lab", "list")
    for scenario in SCENARIOS:
        assert scenario.name in result.stdout
    assert "The navigation starts on the page https://shop.test/cart." in result.stdout
    assert result.stdout.count("The navigation starts on the page") == sum(
        s.referrer is not None for s in SCENARIOS
    )


def test_the_diagnose_command_lab_serve_prints_finds_what_lab_run_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    printed = io.StringIO()
    env = Environment(stdout=printed, stderr=io.StringIO(), environ={"LANG": "C.UTF-8"})
    found: list[set[str]] = []
    wait = threading.Event.wait

    def diagnose_instead_of_waiting(self: threading.Event, timeout: float | None = None) -> bool:
        # Only serve's wait for Ctrl-C: threads starting up wait on Events too.
        if sys._getframe(1).f_code.co_name != "_serve":
            return wait(self, timeout)
        [line] = [x for x in printed.getvalue().splitlines() if "httpdoctor diagnose" in x]
        result = run_cli(*shlex.split(line)[1:], "--json")
        found.append({f["id"] for f in result.json["findings"]})
        return True

    monkeypatch.setattr(threading.Event, "wait", diagnose_instead_of_waiting)
    assert run(["lab", "serve", "form-origin-null"], env) == 0
    assert "-d 'item=42&qty=1' -e https://shop.test/cart https://shop.test/checkout" in (
        printed.getvalue()
    )
    assert found == [{"origin-null-after-redirect"}]


def test_lab_servers_are_gone_after_a_run() -> None:
    run_cli("lab", "run", "long-chain", "--json")
    assert not [t for t in threading.enumerate() if t.name == "lab"]


@pytest.mark.parametrize(
    ("args", "part"),
    [
        (("lab", "run"), "needs a scenario name"),
        (("lab", "run", "nope"), "no lab scenario called 'nope'"),
        (("lab", "run", "seed-307", "--variant", "nope"), "has no variant 'nope'"),
    ],
)
def test_bad_lab_input_is_a_usage_error(args: tuple[str, ...], part: str) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2 and part in result.stderr
