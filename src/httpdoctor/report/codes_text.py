"""``httpdoctor codes`` for people: one aligned line per meaning."""

from __future__ import annotations

from collections.abc import Sequence

from httpdoctor.codes.model import Meaning
from httpdoctor.i18n import Lang
from httpdoctor.report.messages import message
from httpdoctor.report.style import Styler

__all__ = ["render_codes"]


def render_codes(meanings: Sequence[Meaning], *, lang: Lang, style: Styler) -> str:
    if not meanings:
        return message("note.no-match", lang) + "\n"
    name_width = min(max(len(m.name) for m in meanings), 44)
    origin_width = max(len(m.origin) for m in meanings)
    lines = []
    for m in meanings:
        status = message(f"status.{m.status.value}", lang)
        line = (
            f"{style.for_class(str(m.code), m.status_class)}  "
            f"{m.name[:name_width].ljust(name_width)}  "
            f"{m.origin.ljust(origin_width)}  {style(status, 'dim')}"
        )
        lines.append(line)
    return "\n".join(lines) + "\n"
