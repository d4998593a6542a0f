"""Strict-Transport-Security as the preload list's own checker judges it.

A restatement of the Go library ``chromium/hstspreload`` (header.go, response.go,
issues.go), following hsts-preload-spec.md §1.1-§1.5: the same issue codes, the same
severities, the same order and the same "unique or not" rules, so that our verdict
matches hstspreload.org's code for code. The words of every issue are ours, in English
and Russian, in report/data/messages.toml ``[hsts]``; this module only decides.

Chromium reads headers differently (hsts/header.py); both answers are shown side by side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "EIGHTEEN_WEEKS",
    "HEADER_CODES",
    "ONE_YEAR",
    "RECOMMENDED_MAX_AGE",
    "TEN_YEARS",
    "HeaderJudgement",
    "Issue",
    "Issues",
    "ParsedHeader",
    "Policy",
    "Severity",
    "eligible_header",
    "eligible_header_string",
    "eligible_response",
    "judge_header",
    "parse_header",
    "preloadable_header",
    "preloadable_header_string",
    "preloadable_response",
    "removable_header",
    "removable_header_string",
    "removable_response",
    "sts_values",
    "suggested_header",
]

# header.go constants (§1.3).
EIGHTEEN_WEEKS = 86400 * 7 * 18
ONE_YEAR = 86400 * 365
TEN_YEARS = 10 * ONE_YEAR
RECOMMENDED_MAX_AGE = 2 * ONE_YEAR  # what hstspreload.org suggests copying
_UINT64_MAX = 2**64 - 1
# Go's strings.TrimSpace strips unicode.IsSpace, which is not Python's str.isspace
# (Python also strips U+001C..U+001F).
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"  # noqa: E501


class Severity(StrEnum):
    """Errors prevent preloading; warnings are worth fixing but allowed (issues.go)."""

    ERROR = "error"
    WARNING = "warning"


class Policy(StrEnum):
    """The preload list's policy names (chromium/preloadlist); only 18 weeks lowers the bar."""

    BULK_1_YEAR = "bulk-1-year"
    BULK_18_WEEKS = "bulk-18-weeks"


# Every header-level code with its severity (§1.2-§1.5).
HEADER_CODES: dict[str, Severity] = {
    "header.parse.empty": Severity.WARNING,
    "header.parse.repeated.preload": Severity.WARNING,
    "header.parse.invalid.preload": Severity.WARNING,
    "header.parse.repeated.include_sub_domains": Severity.WARNING,
    "header.parse.invalid.include_sub_domains": Severity.WARNING,
    "header.parse.repeated.max_age": Severity.WARNING,
    "header.parse.invalid.max_age.no_value": Severity.ERROR,
    "header.parse.empty_directive": Severity.WARNING,
    "header.parse.unknown_directive": Severity.WARNING,
    "header.parse.max_age.leading_zero": Severity.WARNING,
    "header.parse.max_age.non_digit_characters": Severity.ERROR,
    "header.parse.max_age.parse_int_error": Severity.ERROR,
    "header.preloadable.include_sub_domains.missing": Severity.ERROR,
    "header.preloadable.preload.missing": Severity.ERROR,
    "header.preloadable.max_age.missing": Severity.ERROR,
    "header.preloadable.max_age.zero": Severity.ERROR,
    "header.preloadable.max_age.below_18_weeks": Severity.ERROR,
    "header.preloadable.max_age.below_1_year": Severity.ERROR,
    "header.preloadable.max_age.over_10_years": Severity.WARNING,
    "header.removable.contains.preload": Severity.ERROR,
    "header.removable.missing.max_age": Severity.ERROR,
    "response.no_header": Severity.ERROR,
    "response.multiple_headers": Severity.ERROR,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    """One verdict of the checker: a stable code, its severity, the variable parts."""

    code: str
    severity: Severity
    params: tuple[tuple[str, str], ...] = ()

    @property
    def fields(self) -> dict[str, str]:
        return dict(self.params)


@dataclass(frozen=True, slots=True, kw_only=True)
class Issues:
    """Errors and warnings, each in the order the reference adds them (issues.go)."""

    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()

    def error(self, code: str, *, unique: bool = False, **params: object) -> Issues:
        """``addErrorf``; with ``unique``, ``addUniqueErrorf`` (skip a code already listed)."""
        if unique and any(i.code == code for i in self.errors):
            return self
        issue = Issue(code=code, severity=Severity.ERROR, params=_params(params))
        return Issues(errors=(*self.errors, issue), warnings=self.warnings)

    def warning(self, code: str, *, unique: bool = False, **params: object) -> Issues:
        """``addWarningf``; with ``unique``, ``addUniqueWarningf``."""
        if unique and any(i.code == code for i in self.warnings):
            return self
        issue = Issue(code=code, severity=Severity.WARNING, params=_params(params))
        return Issues(errors=self.errors, warnings=(*self.warnings, issue))

    def __add__(self, other: Issues) -> Issues:
        """``combineIssues``: concatenation, order kept."""
        return Issues(errors=self.errors + other.errors, warnings=self.warnings + other.warnings)

    @property
    def error_codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.errors)

    @property
    def warning_codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.warnings)

    @property
    def passed(self) -> bool:
        return not self.errors


def _params(params: dict[str, object]) -> tuple[tuple[str, str], ...]:
    return tuple((k, str(v)) for k, v in params.items())


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedHeader:
    """``HSTSHeader``: the checker's reading (max_age None when absent or every one invalid)."""

    max_age: int | None = None
    include_subdomains: bool = False
    preload: bool = False


def _go_lower(text: str) -> str:
    # strings.ToLower maps rune by rune (simple case mapping); Python's full mapping turns
    # U+0130 into two characters, the only unconditional difference.
    return "".join("i" if ch == "\u0130" else ch.lower() for ch in text)


def _equal_fold(text: str, target: str) -> bool:
    return text.casefold() == target.casefold()


def _parse_max_age(directive: str) -> tuple[int | None, Issues]:
    """``parseMaxAge``: the value after ``max-age=``, digits only, no quotes (header.go)."""
    issues = Issues()
    value = directive[8:]
    for index, ch in enumerate(value):
        if index == 0 and ch == "0" and len(value) > 1:
            issues = issues.warning("header.parse.max_age.leading_zero", directive=directive)
        if not "0" <= ch <= "9":
            return None, issues.error(
                "header.parse.max_age.non_digit_characters", directive=directive
            )
    if not value or int(value) > _UINT64_MAX:  # strconv.ParseUint(v, 10, 64)
        return None, issues.error("header.parse.max_age.parse_int_error", value=value)
    return int(value), issues


def parse_header(value: str) -> tuple[ParsedHeader, Issues]:
    """``ParseHeaderString`` (§1.2): syntax issues only, not the preload requirements."""
    directives = [part.strip(_GO_SPACE) for part in value.split(";")]  # a naive split
    issues = Issues()
    if directives == [""]:
        return ParsedHeader(), issues.warning("header.parse.empty")
    max_age: int | None = None
    include_subdomains = preload = False
    for directive in directives:
        lowered = _go_lower(directive)
        if _equal_fold(directive, "preload"):
            if preload:
                issues = issues.warning("header.parse.repeated.preload", unique=True)
            preload = True
        elif lowered.startswith("preload"):
            issues = issues.warning("header.parse.invalid.preload", unique=True)
        elif _equal_fold(directive, "includeSubDomains"):
            if include_subdomains:
                issues = issues.warning("header.parse.repeated.include_sub_domains", unique=True)
            include_subdomains = True
        elif lowered.startswith("includesubdomains"):
            issues = issues.warning("header.parse.invalid.include_sub_domains", unique=True)
        elif lowered.startswith("max-age="):
            seconds, found = _parse_max_age(directive)
            issues = issues + found
            if found.errors:
                continue
            if max_age is None:
                max_age = seconds
            else:
                issues = issues.warning("header.parse.repeated.max_age", unique=True)
        elif lowered.startswith("max-age"):
            issues = issues.error("header.parse.invalid.max_age.no_value", unique=True)
        elif directive == "":
            issues = issues.warning("header.parse.empty_directive", unique=True)
        else:
            issues = issues.warning("header.parse.unknown_directive", directive=directive)
    parsed = ParsedHeader(max_age=max_age, include_subdomains=include_subdomains, preload=preload)
    return parsed, issues


def eligible_header(header: ParsedHeader, policy: Policy) -> Issues:
    """``PreloadableHeader(h, policy)`` (§1.3): includeSubDomains, preload, then max-age."""
    issues = Issues()
    if not header.include_subdomains:
        issues = issues.error("header.preloadable.include_sub_domains.missing")
    if not header.preload:
        issues = issues.error("header.preloadable.preload.missing")
    short = policy is Policy.BULK_18_WEEKS
    minimum = EIGHTEEN_WEEKS if short else ONE_YEAR
    period = "18-weeks" if short else "1-year"
    if header.max_age is None:
        issues = issues.error("header.preloadable.max_age.missing")
    elif header.max_age == 0:
        issues = issues.error("header.preloadable.max_age.zero", minimum=minimum, period=period)
    elif header.max_age < minimum:
        code = "below_18_weeks" if short else "below_1_year"
        issues = issues.error(
            f"header.preloadable.max_age.{code}", minimum=minimum, max_age=header.max_age
        )
    elif header.max_age > TEN_YEARS:
        issues = issues.warning("header.preloadable.max_age.over_10_years", max_age=header.max_age)
    return issues


def preloadable_header(header: ParsedHeader) -> Issues:
    """``PreloadableHeader``: the 1-year policy."""
    return eligible_header(header, Policy.BULK_1_YEAR)


def removable_header(header: ParsedHeader) -> Issues:
    """``RemovableHeader`` (§1.4): no ``preload``, and a valid max-age (0 is fine)."""
    issues = Issues()
    if header.preload:
        issues = issues.error("header.removable.contains.preload")
    if header.max_age is None:
        issues = issues.error("header.removable.missing.max_age")
    return issues


def eligible_header_string(value: str, policy: Policy) -> Issues:
    """``EligibleHeaderString``: parse issues, then the requirement issues."""
    parsed, issues = parse_header(value)
    return issues + eligible_header(parsed, policy)


def preloadable_header_string(value: str) -> Issues:
    """``PreloadableHeaderString``."""
    return eligible_header_string(value, Policy.BULK_1_YEAR)


def removable_header_string(value: str) -> Issues:
    """``RemovableHeaderString``: parse *errors* only (warnings dropped), then removal."""
    parsed, issues = parse_header(value)
    return Issues(errors=issues.errors) + removable_header(parsed)


def _single_header(values: Iterable[str]) -> tuple[str | None, Issues]:
    """``checkSingleHeader`` (§1.5): exactly one Strict-Transport-Security field line."""
    found = list(values)
    if not found:
        return None, Issues().error("response.no_header")
    if len(found) > 1:
        return None, Issues().error("response.multiple_headers", count=len(found))
    return found[0], Issues()


def sts_values(headers: Iterable[tuple[str, str]]) -> list[str]:
    """The Strict-Transport-Security field lines of a response (commas are not split)."""
    return [v for k, v in headers if k.lower() == "strict-transport-security"]


def eligible_response(
    headers: Iterable[tuple[str, str]], policy: Policy
) -> tuple[str | None, Issues]:
    """``EligibleResponse``: the single header (or None) and its issues."""
    header, issues = _single_header(sts_values(headers))
    if header is None:
        return None, issues
    return header, issues + eligible_header_string(header, policy)


def preloadable_response(headers: Iterable[tuple[str, str]]) -> tuple[str | None, Issues]:
    """``PreloadableResponse``: the 1-year policy."""
    return eligible_response(headers, Policy.BULK_1_YEAR)


def removable_response(headers: Iterable[tuple[str, str]]) -> tuple[str | None, Issues]:
    """``RemovableResponse``."""
    header, issues = _single_header(sts_values(headers))
    if header is None:
        return None, issues
    return header, issues + removable_header_string(header)


def suggested_header(parsed: ParsedHeader, policy: Policy = Policy.BULK_1_YEAR) -> str:
    """A header that passes every requirement and that Chromium also accepts.

    A max-age the user already has is kept when it meets the policy and is at most
    10 years; otherwise two years, hstspreload.org's own suggestion.
    """
    minimum = EIGHTEEN_WEEKS if policy is Policy.BULK_18_WEEKS else ONE_YEAR
    age = parsed.max_age
    if age is None or not minimum <= age <= TEN_YEARS:
        age = RECOMMENDED_MAX_AGE
    return f"max-age={age}; includeSubDomains; preload"


@dataclass(frozen=True, slots=True, kw_only=True)
class HeaderJudgement:
    """Every verdict of the checker on one header value, as ``httpdoctor hsts`` shows it."""

    header: str
    policy: Policy
    parsed: ParsedHeader
    parse: Issues  # ParseHeaderString
    preloadable: Issues  # PreloadableHeaderString: parse issues, then the 1-year rules
    removable: Issues  # RemovableHeaderString: parse errors, then the removal rules
    eligible: Issues  # EligibleHeaderString(policy)
    requirements: Issues  # the policy's rules alone, without the parse issues
    removal: Issues  # the removal rules alone
    suggested: str


def judge_header(value: str, policy: Policy = Policy.BULK_1_YEAR) -> HeaderJudgement:
    parsed, parse = parse_header(value)
    requirements = eligible_header(parsed, policy)
    removal = removable_header(parsed)
    return HeaderJudgement(
        header=value,
        policy=policy,
        parsed=parsed,
        parse=parse,
        preloadable=parse + preloadable_header(parsed),
        removable=Issues(errors=parse.errors) + removal,
        eligible=parse + requirements,
        requirements=requirements,
        removal=removal,
        suggested=suggested_header(parsed, policy),
    )
