"""pytest plugin: the nginx differential suite's figures, printed in the terminal summary.

The test module records every request/config pair here (:func:`record`); at the end of
the session the agreement, the unsupported count and the time spent are printed (also
under ``-q``) and written to ``.cache/nginx-differential.json``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

__all__ = ["FIGURES", "Figures", "record"]

REPORT = Path(__file__).resolve().parents[1] / ".cache" / "nginx-differential.json"


@dataclass(slots=True)
class Figures:
    """Counts over every pair compared in this session."""

    pairs: int = 0
    compared: int = 0
    agreed: int = 0
    unsupported: int = 0
    handed_off: int = 0  # no response predicted: a content handler (static, proxy) decides
    groups: int = 0
    seconds: float = 0.0
    unsupported_reasons: dict[str, int] = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)


FIGURES = Figures()


def record(
    *, agreed: bool | None, reason: str = "", detail: str = "", handed_off: bool = False
) -> None:
    """One pair: ``agreed`` None means the evaluator marked it unsupported; ``handed_off``
    that it named a content handler instead of a response (nothing to compare)."""
    FIGURES.pairs += 1
    if handed_off:
        FIGURES.handed_off += 1
        return
    if agreed is None:
        FIGURES.unsupported += 1
        FIGURES.unsupported_reasons[reason] = FIGURES.unsupported_reasons.get(reason, 0) + 1
        return
    FIGURES.compared += 1
    if agreed:
        FIGURES.agreed += 1
    else:
        FIGURES.disagreements.append(detail)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    figures = FIGURES
    if figures.pairs == 0:
        return
    share = 100.0 * figures.agreed / figures.compared if figures.compared else 0.0
    terminalreporter.section("nginx differential (real nginx vs why --nginx)")
    terminalreporter.write_line(
        f"pairs {figures.pairs} in {figures.groups} configs; compared {figures.compared}, "
        f"agreed {figures.agreed} ({share:.1f}%); unsupported {figures.unsupported}; "
        f"handed to a content handler {figures.handed_off}; {figures.seconds:.1f} s"
    )
    for reason, count in sorted(figures.unsupported_reasons.items()):
        terminalreporter.write_line(f"  unsupported x{count}: {reason}")
    for line in figures.disagreements[:20]:
        terminalreporter.write_line(f"  DISAGREE {line}")
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(asdict(figures), indent=2) + "\n", encoding="utf-8")
