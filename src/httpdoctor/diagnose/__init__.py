"""Diagnosis: named findings with evidence and fixes, from traces of one URL."""

from __future__ import annotations

from httpdoctor.diagnose.engine import diagnose
from httpdoctor.diagnose.model import Evidence, Finding, Rule, RuleMeta, Severity, Subject
from httpdoctor.diagnose.rules import RULES

__all__ = ["RULES", "Evidence", "Finding", "Rule", "RuleMeta", "Severity", "Subject", "diagnose"]
