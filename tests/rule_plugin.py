"""A pytest plugin for rule authors: ``-p tests.rule_plugin --rules=id,id`` runs the rule
meta-tests with extra, not yet registered rules added to the registry for that run."""

from __future__ import annotations

import importlib

import pytest

import httpdoctor.diagnose as diagnose_package
import httpdoctor.diagnose.rules as rules_package
from httpdoctor.diagnose.model import Rule


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--rules", default="", help="comma-separated rule ids to add")


def pytest_configure(config: pytest.Config) -> None:
    wanted = [r for r in str(config.getoption("--rules")).split(",") if r]
    extra = []
    for rule_id in wanted:
        module = importlib.import_module(f"httpdoctor.diagnose.rules.{rule_id.replace('-', '_')}")
        extra.append(Rule(meta=module.META, check=module.check))
    known = {r.meta.id for r in rules_package.RULES}
    combined = rules_package.RULES + tuple(r for r in extra if r.meta.id not in known)
    # Before collection imports the test module, which reads the registry at import.
    rules_package.RULES = combined
    diagnose_package.RULES = combined
