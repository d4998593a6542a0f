"""Writing a command's result: JSON for programs, styled text for people."""

from __future__ import annotations

from httpdoctor.cli.env import Environment
from httpdoctor.report.style import Styler

TYPE_CHECKING = False  # importing typing would cost start-up time; see bench/startup.py
if TYPE_CHECKING:
    from typing import Any

__all__ = ["styler", "write_json", "write_text"]


def styler(env: Environment) -> Styler:
    return Styler(env.color)


def write_json(env: Environment, payload: dict[str, Any]) -> None:
    import json  # only JSON output pays for the codec

    env.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def write_text(env: Environment, text: str) -> None:
    env.stdout.write(text)
