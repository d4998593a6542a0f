"""``httpdoctor explain`` for people: the explanation laid out as wrapped, styled text."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from httpdoctor.codes.explain import ExplainedMeaning, Explanation
from httpdoctor.codes.model import Meaning
from httpdoctor.i18n import Lang, LocalText
from httpdoctor.report.messages import message
from httpdoctor.report.style import Styler

__all__ = ["render_explanations"]

_HEAD = "  "
_BODY = "    "
_MIN_WIDTH = 40
_MAX_WIDTH = 100
_REDIRECT_FIELDS = (
    "method_preserved",
    "body_preserved",
    "permanent",
    "cacheable_by_default",
    "followed_by_browsers",
)


class _Writer:
    def __init__(self, lang: Lang, style: Styler, width: int, stacks: dict[str, str]) -> None:
        self.stacks = stacks
        self.lang = lang
        self.style = style
        self.width = max(_MIN_WIDTH, min(width, _MAX_WIDTH))
        self.lines: list[str] = []

    def msg(self, key: str, **fields: object) -> str:
        return message(key, self.lang, **fields)

    def text(self, value: LocalText) -> str:
        return value.get(self.lang)

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def heading(self, key: str, **fields: object) -> None:
        self.blank()
        self.lines.append(_HEAD + self.style(self.msg(f"heading.{key}", **fields), "bold"))

    def para(self, text: str, indent: str = _BODY, first: str | None = None) -> None:
        self.lines.extend(
            textwrap.wrap(
                text,
                width=self.width,
                initial_indent=first if first is not None else indent,
                subsequent_indent=indent,
                break_on_hyphens=False,
            )
        )

    def bullet(self, text: str, label: str | None = None) -> None:
        lead = f"{_BODY}• "
        if label:
            text = f"[{label}] {text}"
        self.para(text, indent=" " * len(lead), first=lead)

    def code(self, snippet: str, indent: str) -> None:
        for line in snippet.splitlines():
            self.lines.append(indent + self.style(line, "dim") if line else "")


def _origin_label(meaning: Meaning, w: _Writer, labels: dict[str, str]) -> str:
    if meaning.origin in ("standard", "unofficial", "webdav-draft"):
        return w.msg(f"origin.{meaning.origin}")
    return labels.get(meaning.origin, meaning.origin)


def _title(em: ExplainedMeaning, exp: Explanation, w: _Writer, labels: dict[str, str]) -> None:
    m = em.meaning
    title = w.style.for_class(f"{m.code} {m.name}", m.status_class)
    tags = [_origin_label(m, w, labels), w.msg(f"status.{m.status.value}")]
    if m.kind.value != "status":
        tags.append(w.msg(f"kind.{m.kind.value}"))
    w.blank()
    w.lines.append(f"{title}  {w.style(' · '.join(tags), 'dim')}")
    source = f"{w.msg('heading.source')}: {m.source}"
    if m.source_url:
        source += f"  {m.source_url}"
    w.lines.append(_HEAD + w.style(source, "dim"))


def _meaning(em: ExplainedMeaning, exp: Explanation, w: _Writer, labels: dict[str, str]) -> None:
    m = em.meaning
    _title(em, exp, w, labels)
    w.heading("summary")
    w.para(w.text(m.summary))
    if m.details:
        w.heading("details")
        w.para(w.text(m.details))
    if m.redirect is not None:
        w.heading("redirect")
        answer = {True: w.msg("redirect.yes"), False: w.msg("redirect.no")}
        facts = [
            f"{w.msg(f'redirect.{f}')}: {answer[getattr(m.redirect, f)]}" for f in _REDIRECT_FIELDS
        ]
        w.para(" · ".join(facts))
    if m.headers:
        w.heading("headers")
        w.para(", ".join(m.headers))
    w.heading("causes")
    for cause in m.causes:
        w.bullet(w.text(cause))
    w.heading("fixes")
    for fix in em.fixes:
        w.bullet(w.text(fix.text), label=w.msg(f"fix.{fix.target.value}"))
        if fix.snippet:
            w.code(fix.snippet, _BODY + "    ")
    if m.seo:
        w.heading("seo")
        w.para(w.text(m.seo))
    if m.config:
        w.heading("config")
        for server, snippet in m.config:
            w.lines.append(f"{_BODY}{'Apache' if server == 'apache' else server}:")
            w.code(snippet, _BODY + "  ")
    if em.code_refs:
        w.heading("code")
        label_width = max(len(w.stacks.get(s, s)) for s, _ in em.code_refs) + 2
        for stack, snippet in em.code_refs:
            first, *rest = snippet.splitlines() or [""]
            label = w.stacks.get(stack, stack).ljust(label_width)
            w.lines.append(f"{_BODY}{label}{w.style(first, 'dim')}")
            w.code("\n".join(rest), _BODY + " " * label_width)
    if m.see_also:
        w.blank()
        w.lines.append(f"{_HEAD}{w.msg('heading.see_also')}: {', '.join(m.see_also)}")


def _notes(exp: Explanation, w: _Writer) -> None:
    if exp.context is not None and exp.meanings:
        via = w.msg(f"note.via-{exp.context.via.value}")
        w.para(w.msg("note.context", product=exp.context.product.label, via=via), indent="")
    elif len(exp.meanings) > 1:
        w.para(w.msg("note.several", count=len(exp.meanings)), indent="")


def _class_block(exp: Explanation, w: _Writer) -> None:
    cls = exp.status_class
    if cls is None:
        return
    if exp.code is not None:
        w.lines.append(w.style.for_class(str(exp.code), cls.digit))
        w.para(w.msg("note.unassigned", code=exp.code), indent="")
    w.heading("summary")
    w.para(
        w.msg("heading.class", digit=cls.digit, name=w.text(cls.name)) + ". " + w.text(cls.summary)
    )
    if exp.code is not None:
        w.para(w.text(cls.unknown))
    if exp.class_members:
        w.heading("members")
        for m in exp.class_members:
            w.lines.append(f"{_BODY}{w.style.for_class(str(m.code), m.status_class)}  {m.name}")


def _extras(exp: Explanation, w: _Writer) -> None:
    if exp.cloudflare is not None:
        cf = exp.cloudflare
        w.lines.append(w.style(w.msg("heading.cloudflare", code=cf.code) + f": {cf.name}", "bold"))
        w.para(w.text(cf.summary))
        w.bullet(w.text(cf.fix))
        if cf.status is not None:
            w.para(w.msg("note.cloudflare-status", status=cf.status))
        w.blank()
    if exp.substatus_asked is not None:
        sub = exp.substatus
        if sub is not None:
            line = f"{w.msg('heading.substatus')} {sub.code}: {sub.name}"
            w.lines.append(w.style(line, "bold"))
            w.para(w.text(sub.summary))
        else:
            w.para(
                w.msg("note.substatus-unknown", code=exp.substatus_asked, status=exp.code),
                indent="",
            )
        w.para(w.msg("note.substatus-wire", status=exp.code))
        others = [s for s in exp.substatus_family if s is not sub]
        if others:
            w.heading("family", code=exp.code)
            for s in others:
                w.lines.append(f"{_BODY}{s.code:<8}{s.name}")
        w.blank()


def render_explanations(
    explanations: Sequence[Explanation],
    *,
    lang: Lang,
    style: Styler,
    width: int,
    product_labels: Iterable[tuple[str, str]] = (),
    stack_labels: Iterable[tuple[str, str]] = (),
) -> str:
    w = _Writer(lang, style, width, dict(stack_labels))
    labels = dict(product_labels)
    for index, exp in enumerate(explanations):
        if index:
            w.blank()
            w.lines.append(style("─" * w.width, "dim"))
        _extras(exp, w)
        if not exp.meanings:
            _class_block(exp, w)
            continue
        _notes(exp, w)
        for number, em in enumerate(exp.meanings):
            if number:
                w.blank()
                w.lines.append(style("·" * min(w.width, 40), "dim"))
            _meaning(em, exp, w, labels)
    return "\n".join(w.lines).strip("\n") + "\n"
