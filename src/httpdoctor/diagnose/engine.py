"""Run every rule over a subject; most severe findings first, then in rule order."""

from __future__ import annotations

from collections.abc import Sequence

from httpdoctor.diagnose.model import Finding, Rule, Subject
from httpdoctor.diagnose.rules import RULES

__all__ = ["diagnose"]


def diagnose(subject: Subject, rules: Sequence[Rule] = RULES) -> tuple[Finding, ...]:
    found = [(index, f) for index, rule in enumerate(rules) for f in rule.check(subject)]
    found.sort(key=lambda pair: (pair[1].severity.rank, pair[0]))
    return tuple(f for _, f in found)
