"""``why --nginx`` for people and for programs: the evaluation, step by step."""

from __future__ import annotations

from typing import Any

from httpdoctor.i18n import Lang
from httpdoctor.report.messages import message
from httpdoctor.report.style import Styler
from httpdoctor.servers.nginx.evaluation import Evaluation, LocationMatch, Outcome, Step
from httpdoctor.servers.nginx.model import SourceSpan

__all__ = ["SCHEMA_VERSION", "evaluation_json", "render_evaluation"]

SCHEMA_VERSION = 1


def _span(span: SourceSpan | None) -> dict[str, Any] | None:
    return None if span is None else {"file": span.file, "line": span.line}


def evaluation_json(ev: Evaluation, *, url: str) -> dict[str, Any]:
    req = ev.request
    return {
        "schema_version": SCHEMA_VERSION,
        "request": {
            "method": req.method,
            "url": url,
            "scheme": req.scheme,
            "host": req.host,
            "path": req.path_and_query,
            "addr": f"{req.local_address}:{req.port}" if req.local_address else f"*:{req.port}",
        },
        "server": None
        if ev.server is None
        else {
            **(_span(ev.server.span) or {}),
            "why": ev.server.why.value,
            "detail": ev.server.detail,
        },
        "location": None
        if ev.location is None
        else {
            **(_span(ev.location.span) or {}),
            "match": ev.location.match.value,
            "text": ev.location.text,
            "why": ev.location.match.value,
        },
        "steps": [
            {
                **(_span(s.span) or {}),
                "directive": s.directive,
                "outcome": s.outcome.value,
                "detail": s.detail,
            }
            for s in ev.steps
        ],
        "response": None
        if ev.response is None
        else {
            "status": ev.response.status,
            "location": ev.response.location,
            "headers": [[k, v] for k, v in ev.response.headers],
            "closes_connection": ev.response.closes_connection,
        },
        "handler": None
        if ev.handler is None
        else {"kind": ev.handler.kind, "target": ev.handler.target, "span": _span(ev.handler.span)},
        "decided_by": None
        if ev.decided_by is None
        else {**(_span(ev.decided_by.span) or {}), "text": ev.decided_by.text},
        "unsupported": [
            {
                **(_span(u.span) or {"file": None, "line": None}),
                "directive": u.directive,
                "reason": u.reason,
                "reason_key": u.why.key,
                "reason_fields": dict(u.why.fields),
            }
            for u in ev.unsupported
        ],
    }


def render_evaluation(ev: Evaluation, *, url: str, lang: Lang, style: Styler) -> str:
    req = ev.request
    lines = [style(message("why.title", lang, method=req.method, url=url), "bold"), ""]
    if ev.server is not None:
        why = message(f"why.server-{ev.server.why.value}", lang, detail=ev.server.detail)
        lines.append(f"{style(message('why.server', lang), 'bold')}  {ev.server.span}  {why}")
    if ev.location is not None:
        how = message(f"why.match-{ev.location.match.value}", lang)
        lines.append(
            f"{style(message('why.location', lang), 'bold')}  {ev.location.span}  "
            f"{ev.location.text}  ({how})"
        )
    elif ev.server is not None and ev.complete:
        lines.append(
            f"{style(message('why.location', lang), 'bold')}  {message('why.no-location', lang)}"
        )
    if ev.steps:
        lines += ["", style(message("why.steps", lang), "bold")]
        for number, step in enumerate(ev.steps, 1):
            detail = f"  → {_step_detail(step, lang)}" if step.detail else ""
            outcome = message(f"why.step-{step.outcome.value}", lang)
            lines.append(f"  {number:>2}. {step.span}  {step.directive}  [{outcome}]{detail}")
    if ev.response is not None:
        lines += ["", style(message("why.response", lang), "bold")]
        if ev.response.closes_connection:
            lines.append("  " + message("why.closes", lang))
        else:
            lines.append(f"  {style(str(ev.response.status), 'bold')}")
            if ev.response.location:
                lines.append(f"  Location: {ev.response.location}")
            lines += [f"  {k}: {v}" for k, v in ev.response.headers]
    if ev.handler is not None:
        lines += ["", message("why.handler", lang, kind=ev.handler.kind, target=ev.handler.target)]
    if ev.decided_by is not None:
        label = style(message("why.decided", lang), "bold")
        lines += ["", f"{label}  {ev.decided_by.span}  {ev.decided_by.text}"]
    if ev.unsupported:
        lines += ["", style(message("why.unsupported", lang), "yellow")]
        for item in ev.unsupported:
            where = f"{item.span}  " if item.span else ""
            directive = f"{item.directive}: " if item.directive else ""
            lines.append(f"  {where}{directive}{item.reason_in(lang)}")
    return "\n".join(lines) + "\n"


def _step_detail(step: Step, lang: Lang) -> str:
    """The step's detail; a chosen location's leads with how it matched, a code the JSON
    keeps as it is and the text puts into words. Other details are values (URIs,
    statuses) or nginx's own error-log wording, which users search for as it is."""
    if step.outcome is Outcome.SELECTED:
        how, _, uri = step.detail.partition(" ")
        if how in _MATCHES:
            return f"{message(f'why.step-match-{how}', lang)} {uri}"
    return step.detail


_MATCHES = frozenset(m.value for m in LocationMatch)
