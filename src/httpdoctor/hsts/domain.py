"""Preload eligibility of a whole domain, as the preload checker runs it (domain.go, §1.6-§1.8).

Sans-IO: ``eligible_domain`` and ``removable_domain`` are generators. They yield the
probes they need (``GetOnce``, ``ReadChain``, ``DialWww``), receive what the network
driver saw (fetch/preload_probe.py), and return a ``DomainVerdict``. The order of the
checks, and where a run stops, is decided here only, so tests can drive the same logic
with fabricated observations. The single checks live in hsts/domain_checks.py.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from httpdoctor.hsts.checker import (
    Issues,
    Policy,
    eligible_response,
    preloadable_response,
    removable_response,
)
from httpdoctor.hsts.domain_checks import (
    ChainFacts,
    NotChecked,
    WwwProbe,
    chain_issues,
    cipher_issues,
    format_issues,
    level_issues,
    www_applies,
    www_issues,
)
from httpdoctor.hsts.preload_redirects import (
    MAX_REDIRECTS,
    RedirectChain,
    RedirectError,
    hostname_of,
    insecure_hop_issues,
    redirect_target,
    scheme_of,
)
from httpdoctor.trace.model import Observation

__all__ = [
    "PROBE_TIMEOUT",
    "USER_AGENT",
    "Answer",
    "DialWww",
    "DomainVerdict",
    "GetOnce",
    "Probe",
    "ReadChain",
    "Steps",
    "eligible_domain",
    "follow_redirects",
    "removable_domain",
]

USER_AGENT = "hstspreload-bot"  # response.go getFirstResponseWithTransport
PROBE_TIMEOUT = 10.0  # domain.go dialTimeout, per client
# -- what the core asks the driver for -----------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class GetOnce:
    """One GET with the checker's User-Agent, redirects not followed.

    Requests with the same ``client`` share one client and its 10 s budget, as one
    Go ``http.Client.Do`` with its redirects does; None means a client of its own.
    """

    url: str
    verify: bool = True
    client: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadChain:
    """The verified certificate chain of ``host``:443 (answered by ``ChainFacts | None``)."""

    host: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DialWww:
    """checkWWW's TCP dial, then TLS handshake, to ``host``:443 (answered by ``WwwProbe``)."""

    host: str


Probe = GetOnce | ReadChain | DialWww


Answer = Observation | ChainFacts | WwwProbe | None


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainVerdict:
    """The outcome of one domain-level run, in the reference's order."""

    domain: str
    check: str  # preloadable | removable
    policy: Policy
    issues: Issues
    header: str | None = None
    not_checked: tuple[NotChecked, ...] = ()


Steps = Generator[Probe, Answer, DomainVerdict]


# -- the steps ---------------------------------------------------------------------------


def _get(
    url: str, *, verify: bool = True, client: str | None = None
) -> Generator[Probe, Answer, Observation]:
    answer = yield GetOnce(url=url, verify=verify, client=client)
    if not isinstance(answer, Observation):
        raise TypeError(f"GetOnce({url}) needs an Observation, got {type(answer).__name__}")
    return answer


def _failed(observation: Observation) -> bool:
    # Go's client.Do fails without a status line; a broken body is never read.
    return observation.status is None


def _error_text(observation: Observation) -> str:
    return observation.error.message if observation.error else "no response"


def _get_response(domain: str) -> Generator[Probe, Answer, tuple[Observation | None, Issues]]:
    """``getResponse``: two tries, then one without certificate checks (§1.6 step 3)."""
    url = f"https://{domain}"
    for _ in range(2):
        seen = yield from _get(url)
        if not _failed(seen):
            return seen, Issues()
    seen = yield from _get(url, verify=False)
    if not _failed(seen):
        return seen, Issues().error("domain.tls.invalid_cert_chain", domain=domain)
    failed = Issues().error("domain.tls.cannot_connect", domain=domain, error=_error_text(seen))
    return None, failed


def follow_redirects(start: str, client: str) -> Generator[Probe, Answer, RedirectChain]:
    """``preloadableRedirects``: follow from ``start`` and record every target."""
    targets: list[str] = []
    url = start
    while True:
        seen = yield from _get(url, client=client)
        if _failed(seen):
            return RedirectChain(
                start=start, targets=tuple(targets), error=f'Get "{url}": {_error_text(seen)}'
            )
        step = redirect_target(url, seen)
        if step is None:
            return RedirectChain(start=start, targets=tuple(targets))
        if isinstance(step, RedirectError):
            return RedirectChain(start=start, targets=tuple(targets), error=step.message)
        targets.append(step)  # CheckRedirect records the target before the limit check
        if len(targets) > MAX_REDIRECTS:
            return RedirectChain(start=start, targets=tuple(targets), too_many=True)
        if scheme_of(step) not in ("http", "https"):
            message = f'Get "{step}": unsupported protocol scheme "{scheme_of(step)}"'
            return RedirectChain(start=start, targets=tuple(targets), error=message)
        url = step


def _following_issues(chain: RedirectChain) -> Issues:
    if chain.too_many:
        return Issues().error("redirects.too_many", max=MAX_REDIRECTS, url=chain.start)
    if chain.error is not None:
        return Issues().error("redirects.follow_error", error=chain.error)
    return Issues()


def _http_redirects(domain: str) -> Generator[Probe, Answer, tuple[Issues, Issues]]:
    """``preloadableHTTPRedirects`` (§1.7): the general issues and the first-redirect HSTS."""
    initial, secure = f"http://{domain}", f"https://{domain}"
    first = yield from _get(initial)
    if _failed(first):
        found = Issues().warning(
            "redirects.http.does_not_exist", url=initial, error=_error_text(first)
        )
        return found, Issues()
    general = Issues()
    if any(k.lower() == "strict-transport-security" for k, _ in first.headers):
        general = general.warning("redirects.http.useless_header", url=initial)
    chain = yield from follow_redirects(initial, "http-redirects")
    general = general + _following_issues(chain)
    if not chain.targets:
        return general.error("redirects.http.no_redirect", url=initial, https=secure), Issues()
    target = chain.targets[0]
    host = hostname_of(target)
    if scheme_of(target) == "https" and host == domain:
        landed = yield from _get(target)
        if _failed(landed):
            invalid = Issues().error(
                "redirects.http.first_redirect.invalid",
                url=initial,
                target=target,
                error=_error_text(landed),
            )
            return general, invalid
        # Always the 1-year rule, whatever the policy (§1.7 parity quirks).
        _, hsts = preloadable_response(landed.headers)
        first_hsts = Issues()
        if hsts.errors:
            first_hsts = first_hsts.error(
                "redirects.http.first_redirect.no_hsts",
                url=initial,
                target=target,
                first_error=hsts.errors[0].code,
            )
        return general + insecure_hop_issues(initial, chain), first_hsts
    if host == f"www.{domain}":
        www = general.error("redirects.http.www_first", url=initial, https=secure, target=target)
        return www, Issues()
    insecure = general.error(
        "redirects.http.first_redirect.insecure", url=initial, target=target, https=secure
    )
    return insecure, Issues()


def _https_redirects(domain: str) -> Generator[Probe, Answer, Issues]:
    """``preloadableHTTPSRedirects``: limit, follow errors, any http:// hop."""
    initial = f"https://{domain}"
    chain = yield from follow_redirects(initial, "https-redirects")
    return _following_issues(chain) + insecure_hop_issues(initial, chain)


def eligible_domain(domain: str, policy: Policy = Policy.BULK_1_YEAR) -> Steps:
    """``EligibleDomain(domain, policy)``; ``PreloadableDomain`` with the default policy."""

    def done(
        issues: Issues, header: str | None = None, missing: tuple[NotChecked, ...] = ()
    ) -> DomainVerdict:
        return DomainVerdict(
            domain=domain,
            check="preloadable",
            policy=policy,
            issues=issues,
            header=header,
            not_checked=missing,
        )

    issues = format_issues(domain)
    if issues.errors:
        return done(issues)  # the scan stops at a malformed name
    level = level_issues(domain)
    issues = issues + level
    response, reached = yield from _get_response(domain)
    issues = issues + reached
    if response is None or reached.errors:
        return done(issues)
    facts = yield ReadChain(host=domain)
    if facts is not None and not isinstance(facts, ChainFacts):
        raise TypeError("ReadChain needs ChainFacts or None")
    sha1, missing_chain = chain_issues(facts)
    cipher, missing_tls = cipher_issues(domain, response.tls)
    issues = issues + sha1 + cipher
    # The four checks Go runs concurrently, combined in its fixed order (§1.6 step 6).
    header, main = eligible_response(response.headers, policy)
    general, first_hsts = yield from _http_redirects(domain)
    https = yield from _https_redirects(domain)
    www = Issues()
    if www_applies(domain, level):
        probe = yield DialWww(host=f"www.{domain}")
        if not isinstance(probe, WwwProbe):
            raise TypeError("DialWww needs a WwwProbe")
        www = www_issues(f"www.{domain}", probe)
    issues = issues + main + general
    if not main.errors:
        issues = issues + first_hsts
    return done(issues + https + www, header, missing_chain + missing_tls)


def removable_domain(domain: str) -> Steps:
    """``RemovableDomain``: only the HTTPS response and its header (§1.6)."""
    response, issues = yield from _get_response(domain)
    header: str | None = None
    if response is not None and not issues.errors:
        header, removal = removable_response(response.headers)
        issues = issues + removal
    return DomainVerdict(
        domain=domain,
        check="removable",
        policy=Policy.BULK_1_YEAR,
        issues=issues,
        header=header,
    )
