"""``httpdoctor hsts`` and ``httpdoctor preload`` for people, in English or Russian."""

from __future__ import annotations

import re
from collections.abc import Sequence

from httpdoctor.hsts.checker import HeaderJudgement, Issue, Issues
from httpdoctor.hsts.domain import DomainVerdict
from httpdoctor.hsts.header import MAX_AGE_CLAMP, ChromiumReading
from httpdoctor.hsts.preload import PreloadList, PreloadMatch
from httpdoctor.i18n import Lang
from httpdoctor.report.hsts_json import issue_words, not_checked_words
from httpdoctor.report.messages import message
from httpdoctor.report.style import Styler
from httpdoctor.report.wrapping import wrap

__all__ = ["render_domain", "render_header", "render_list_status"]

_COLOUR = {"error": "red", "warning": "yellow"}
# hsts/header.py states why Chrome ignores a header in English; these patterns let the
# report say it in the reader's language (an unknown sentence is shown as it is).
_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"a quoted string is not closed$", "unclosed-quote"),
        (r"(?P<name>.*) is not a valid directive name$", "bad-name"),
        (r"the value of (?P<name>.*) is a malformed quoted string$", "bad-quoted"),
        (r"max-age appears twice$", "max-age-twice"),
        (r"max-age has no numeric value$", "max-age-no-number"),
        (r"max-age=(?P<value>.*) is not a whole number of seconds$", "max-age-not-whole"),
        (r"includeSubDomains appears twice$", "isd-twice"),
        (r"includeSubDomains must not have a value$", "isd-value"),
        (r"max-age is missing$", "max-age-missing"),
        (r"(?P<name>.*) has an empty or invalid value$", "bad-value"),
    )
)


def _issue_lines(issues: Issues, lang: Lang, style: Styler, width: int) -> list[str]:
    lines: list[str] = []
    ordered: Sequence[Issue] = (*issues.errors, *issues.warnings)
    for number, issue in enumerate(ordered, 1):
        summary, text = issue_words(issue, lang)
        label = message(f"hsts.severity-{issue.severity.value}", lang)
        badge = style(f"[{label}]", "bold", _COLOUR[issue.severity.value])
        lines.append(f"  {number}. {badge} {style(summary, 'bold')}  {style(issue.code, 'dim')}")
        lines += wrap(text, width, "     ", break_long_words=False)
    return lines


def _duration(seconds: int, lang: Lang) -> str:
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            return message(f"hsts.unit-{unit}", lang, n=round(seconds / size))
    return message("hsts.unit-seconds", lang, n=seconds)


def _problem(text: str | None, lang: Lang) -> str:
    for pattern, key in _PROBLEMS:
        found = pattern.match(text or "")
        if found:
            return message(f"hsts.chromium-problem.{key}", lang, **found.groupdict())
    return text or "?"


def _yes_no(value: bool, lang: Lang) -> str:
    return message("hsts.yes" if value else "hsts.no", lang)


def _chromium_lines(
    reading: ChromiumReading, asked: int | None, lang: Lang, style: Styler, width: int
) -> list[str]:
    if not reading.valid or reading.max_age is None:
        problem = _problem(reading.problem, lang)
        text = message("hsts.chromium-ignored", lang, problem=problem)
        return [style(line, "red") for line in wrap(text, width, "  ", break_long_words=False)]
    if reading.max_age == 0:
        return ["  " + message("hsts.chromium-zero", lang)]
    age = reading.max_age
    lines = [
        "  "
        + style(
            message("hsts.chromium-valid", lang, max_age=age, duration=_duration(age, lang)),
            "green",
        )
    ]
    if asked is not None and asked > MAX_AGE_CLAMP:
        lines.append("  " + message("hsts.chromium-clamped", lang, clamp=MAX_AGE_CLAMP))
    answer = _yes_no(reading.include_subdomains, lang)
    lines.append("  " + message("hsts.chromium-subdomains", lang, answer=answer))
    return lines


def _verdict(issues: Issues, lang: Lang, style: Styler) -> str:
    if issues.passed:
        return "  " + style(message("hsts.verdict-yes", lang), "bold", "green")
    text = message("hsts.verdict-no", lang, errors=len(issues.errors))
    return "  " + style(text, "bold", "red")


def render_header(
    judged: HeaderJudgement,
    chromium: ChromiumReading,
    *,
    lang: Lang,
    style: Styler,
    width: int,
    asked_max_age: int | None = None,
) -> str:
    """Chrome's reading, then the preload checker's: syntax, requirements, removal."""
    width = max(40, min(width, 100))

    def heading(text: str) -> str:
        return style(text, "bold")

    parsed = judged.parsed
    absent = message("hsts.absent", lang)
    lines = [heading(f"Strict-Transport-Security: {judged.header}"), ""]
    lines += wrap(message("hsts.intro", lang), width, "", break_long_words=False)
    lines += ["", heading(message("hsts.chromium-heading", lang))]
    lines += _chromium_lines(chromium, asked_max_age, lang, style, width)
    lines += ["", heading(message("hsts.checker-heading", lang))]
    reading = message(
        "hsts.checker-parsed",
        lang,
        max_age=absent if parsed.max_age is None else parsed.max_age,
        include_subdomains=_yes_no(parsed.include_subdomains, lang),
        preload=_yes_no(parsed.preload, lang),
    )
    lines.append("  " + reading)
    parse = judged.parse
    if parse.errors or parse.warnings:
        lines += _issue_lines(parse, lang, style, width)
    else:
        lines.append("  " + message("hsts.checker-syntax-ok", lang))
    policy = message(f"hsts.policy.{judged.policy.value}", lang)
    sections = (
        (
            message("hsts.requirements-heading", lang, policy=policy),
            judged.requirements,
            judged.eligible,
        ),
        (message("hsts.removal-heading", lang), judged.removal, judged.removable),
    )
    for title, own, full in sections:
        lines += ["", heading(title)]
        lines += _issue_lines(own, lang, style, width)
        lines.append(_verdict(full, lang, style))
        if parse.errors and not full.passed:
            lines.append("  " + message("hsts.verdict-parse-blocks", lang))
    lines += ["", heading(message("hsts.suggested-heading", lang))]
    lines.append("  " + style(judged.suggested, "bold", "cyan"))
    lines += wrap(message("hsts.suggested-note", lang), width, "  ", break_long_words=False)
    return "\n".join(lines) + "\n"


def _list_lines(
    domain: str, listing: PreloadList, found: PreloadMatch | None, lang: Lang, style: Styler
) -> list[str]:
    title = message("hsts.list-heading", lang, source=listing.source, version=listing.version)
    lines = [style(title, "bold")]
    if found is None:
        text = message("hsts.list-absent", lang, domain=domain)
    elif found.exact:
        key = "hsts.list-subdomains" if found.include_subdomains else "hsts.list-no-subdomains"
        text = message("hsts.list-exact", lang, domain=domain, subdomains=message(key, lang))
    else:
        text = message("hsts.list-parent", lang, domain=domain, entry=found.entry)
    return [*lines, "  " + text]


def render_list_status(
    domain: str, listing: PreloadList, found: PreloadMatch | None, *, lang: Lang, style: Styler
) -> str:
    return "\n".join(_list_lines(domain, listing, found, lang, style)) + "\n"


def render_domain(
    verdict: DomainVerdict,
    listing: PreloadList,
    found: PreloadMatch | None,
    *,
    lang: Lang,
    style: Styler,
    width: int,
) -> str:
    """A domain-level run: the issues in the reference's order, the verdict, what was
    not checked here, and the domain's place on the list."""
    width = max(40, min(width, 100))
    domain, issues = verdict.domain, verdict.issues
    removal = verdict.check == "removable"
    title = message("hsts.removable-title" if removal else "hsts.domain-title", lang, domain=domain)
    lines = [
        style(title, "bold"),
        *wrap(message("hsts.domain-intro", lang), width, "", break_long_words=False),
        "",
    ]
    if not removal:
        policy = message(f"hsts.policy.{verdict.policy.value}", lang)
        lines.append(message("hsts.requirements-heading", lang, policy=policy))
    lines.append("")
    if issues.errors or issues.warnings:
        lines += _issue_lines(issues, lang, style, width)
    else:
        lines.append("  " + message("hsts.domain-none", lang))
    lines.append("")
    if removal:
        key = "hsts.removable-yes" if issues.passed else "hsts.removable-no"
        text = message(key, lang, errors=len(issues.errors))
    elif issues.passed:
        key = "hsts.domain-eligible-warnings" if issues.warnings else "hsts.domain-eligible"
        text = message(key, lang, domain=domain, count=len(issues.warnings))
    else:
        text = message("hsts.domain-not-eligible", lang, errors=len(issues.errors))
    lines.append(style(text, "bold", "green" if issues.passed else "red"))
    if verdict.header is not None:
        lines.append(message("hsts.header-seen", lang, domain=domain, header=verdict.header))
    if verdict.not_checked:
        lines += ["", style(message("hsts.not-checked-heading", lang), "bold")]
        for item in verdict.not_checked:
            lines += wrap(
                not_checked_words(item, lang), width, "    ", first="  • ", break_long_words=False
            )
    lines += ["", *_list_lines(domain, listing, found, lang, style)]
    return "\n".join(lines) + "\n"
