"""``httpdoctor trace`` for people: one line per hop, then what it means."""

from __future__ import annotations

from collections.abc import Callable

from httpdoctor.i18n import Lang
from httpdoctor.report.messages import message
from httpdoctor.report.style import Styler
from httpdoctor.trace.model import Chain, Hop, HopError, Outcome, Probe, TlsInfo

__all__ = ["render_chain"]

_INDENT = "      "


def _status(hop: Hop, name_of: Callable[[int], str | None]) -> str:
    obs = hop.observation
    if obs.error is not None and obs.status is None:
        return f"✗ {obs.error.kind.value}"
    if obs.status is None:
        return "?"
    name = obs.reason if hop.synthetic else (name_of(obs.status) or obs.reason)
    return f"{obs.status} {name}".strip()


def _failure(error: HopError, lang: Lang) -> str:
    """The error's detail: in the reader's language when the words are ours."""
    if error.why:
        return message(f"trace.failure-{error.why}", lang, **dict(error.details))
    return error.message


def _tls(tls: TlsInfo | None, failed: bool, lang: Lang, style: Styler) -> str:
    if tls is None:
        return "—"
    if tls.failure is not None:
        if failed:
            return style(f"✗ {tls.failure}", "red")
        accepted = message("trace.tls-insecure", lang)
        return style(f"⚠ {tls.failure}, {accepted}", "yellow")
    return style(f"{tls.version or 'TLS'} {message('trace.tls-ok', lang)}", "green")


def _probe_line(probe: Probe, lang: Lang, style: Styler) -> str:
    if probe.error is not None:
        what = message(f"trace.error-{probe.error.kind.value}", lang)
        state = style(f"✗ {what}: {_failure(probe.error, lang)}", "red")
    elif probe.learned:
        state = style(f"{probe.status}, {message('trace.probe-learned', lang)}", "yellow")
        state += f": {probe.sts_header}"
    elif probe.sts_header:
        state = f"{probe.status}, {message('trace.probe-ignored', lang)}: {probe.sts_header}"
    else:
        state = f"{probe.status}, {message('trace.probe-none', lang)}"
    return f"  {probe.url:<40} {state}"


def _details(hop: Hop, lang: Lang, style: Styler) -> list[str]:
    lines: list[str] = []
    if hop.synthetic:
        lines.append(_INDENT + style(message("trace.synthetic", lang), "yellow"))
    source = hop.hsts_source
    if source is not None:
        key = f"trace.via-{source.via}"
        text = message(
            key, lang, host=source.host, header=source.header, version=source.list_version
        )
        lines.append(_INDENT + "↳ " + text)
    for dropped in hop.dropped_headers:
        reason = dropped.reason
        if dropped.why:
            reason = message(f"trace.dropped-{dropped.why}", lang, **dict(dropped.details))
        lines.append(_INDENT + message("trace.dropped", lang, name=dropped.name, reason=reason))
    obs = hop.observation
    if obs.error is not None:
        what = message(f"trace.error-{obs.error.kind.value}", lang)
        lines.append(_INDENT + style(f"{what}: {_failure(obs.error, lang)}", "red"))
    tls = obs.tls
    if tls is not None and tls.certificate is not None and tls.failure is not None:
        names = ", ".join(tls.certificate.sans) or tls.certificate.subject
        lines.append(_INDENT + message("trace.cert-names", lang, names=names))
    if hop.location and not hop.synthetic:
        lines.append(_INDENT + f"→ {hop.location}")
    return lines


def _outcome(chain: Chain, lang: Lang, limit: int) -> str:
    redirects = max(len(chain.hops) - 1, 0)
    if chain.outcome is Outcome.OK:
        return message("trace.outcome-ok", lang, status=chain.final_status, redirects=redirects)
    if chain.outcome is Outcome.REDIRECT_LOOP:
        return message("trace.outcome-redirect-loop", lang, loop=" → ".join(chain.loop))
    if chain.outcome is Outcome.TOO_MANY_REDIRECTS:
        return message("trace.outcome-too-many-redirects", lang, limit=limit)
    failed = chain.hops[-1].observation.error if chain.hops else None
    reason = chain.stop_reason
    if failed is not None:
        reason = f"{message(f'trace.error-{failed.kind.value}', lang)} ({_failure(failed, lang)})"
    return message("trace.outcome-error", lang, reason=reason)


def render_chain(
    chain: Chain,
    *,
    lang: Lang,
    style: Styler,
    profile_label: str,
    limit: int,
    name_of: Callable[[int], str | None],
) -> str:
    lines = [
        style(message("trace.title", lang, url=chain.request.url, profile=profile_label), "bold")
    ]
    if chain.probes:
        lines += ["", message("trace.probes", lang)]
        lines += [_probe_line(p, lang, style) for p in chain.probes]
    rows = [
        (str(h.index), _status(h, name_of), h.request.method, h.request.url, h) for h in chain.hops
    ]
    width = max([len(r[1]) for r in rows] + [6])
    lines.append("")
    columns = (
        f"{message('trace.col-status', lang):<{width}}",
        f"{message('trace.col-method', lang):<6}",
        message("trace.col-url", lang),
    )
    header = " #  " + "  ".join(columns)
    lines.append(style(header, "dim"))
    for index, status, method, url, hop in rows:
        total = hop.observation.timings.total
        timing = f"{total:.1f} ms" if total is not None else "—"
        digit = hop.status // 100 if hop.status else None
        coloured = style.for_class(f"{status:<{width}}", digit)
        failed = hop.observation.error is not None
        tls = _tls(hop.observation.tls, failed, lang, style)
        # HTTP/1.1 goes without saying; HTTP/2 (or a 1.0 server) is worth a glance.
        version = hop.observation.http_version
        if version and version != "HTTP/1.1" and not hop.synthetic:
            tls += f"  {style(version, 'dim')}"
        lines.append(f"{index:>2}  {coloured}  {method:<6}  {url}  {style(timing, 'dim')}  {tls}")
        lines += _details(hop, lang, style)
    lines += ["", style(_outcome(chain, lang, limit), "bold")]
    return "\n".join(lines) + "\n"
