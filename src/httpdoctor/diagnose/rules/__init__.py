"""Every diagnosis rule, registered explicitly (no discovery magic), in report order."""

from __future__ import annotations

from httpdoctor.diagnose.model import Rule
from httpdoctor.diagnose.rules import hsts_upgrade_to_broken_https

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = (
    Rule(meta=hsts_upgrade_to_broken_https.META, check=hsts_upgrade_to_broken_https.check),
)
