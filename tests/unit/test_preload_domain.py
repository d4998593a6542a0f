"""The domain-level preload checks (hsts-preload-spec.md §1.6-§1.8) over a fabricated network.

Each scenario states the observations and the exact, ordered error and warning codes
the reference reports for them. The same checks run end to end against nginx in
tests/integration/test_preload_domain.py; here are also the codes no real server can
be made to cause (closing a socket fails, the eTLD+1 cannot be computed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pytest

from httpdoctor.hsts.checker import HEADER_CODES, Policy, parse_header
from httpdoctor.hsts.domain import DialWww, GetOnce, ReadChain, eligible_domain, removable_domain
from httpdoctor.hsts.domain_checks import (
    DOMAIN_CODES,
    ChainCert,
    ChainFacts,
    NotChecked,
    WwwProbe,
    format_issues,
    level_issues,
)
from httpdoctor.trace.model import Observation, TlsInfo
from tests.unit.preload_fakes import GOOD, FakeNet, drive, page, redirect

pytestmark = pytest.mark.unit

D = "site.test"
HTTPS, HTTP, ROOT = f"https://{D}", f"http://{D}", f"https://{D}/"
SHORT = "max-age=10886400; includeSubDomains; preload"


_CHAIN = ChainFacts(certificates=(ChainCert(common_name=D, sha1=False),), complete=True)


def site(
    pages: Mapping[str, Observation | None] | None = None,
    *,
    insecure: Mapping[str, Observation] | None = None,
    verify_fails: frozenset[str] = frozenset(),
    chain: ChainFacts | None = _CHAIN,
    www: WwwProbe | None = None,
) -> FakeNet:
    """A fully eligible site, with some answers replaced (None removes one)."""
    answers = {HTTPS: page(), HTTP: redirect(ROOT), ROOT: page()}
    for url, value in (pages or {}).items():
        if value is None:
            answers.pop(url, None)
        else:
            answers[url] = value
    return FakeNet(
        pages=answers,
        insecure=insecure or {},
        verify_fails=verify_fails,
        chain=chain,
        www=www or WwwProbe(tcp_connected=True),
    )


@dataclass(frozen=True)
class Scenario:
    """A domain, its fabricated network and the codes the reference reports."""

    net: Callable[[], FakeNet]
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    domain: str = D
    policy: Policy = Policy.BULK_1_YEAR


TLS12_CBC = TlsInfo(
    version="TLSv1.2", cipher="ECDHE-ECDSA-AES128-SHA256", certificate=None, verified=True
)
TLS12_GCM = TlsInfo(
    version="TLSv1.2", cipher="ECDHE-RSA-AES128-GCM-SHA256", certificate=None, verified=True
)

SCENARIOS: dict[str, Scenario] = {
    "eligible": Scenario(site),
    "tls12-modern-suite-passes": Scenario(lambda: site(pages={HTTPS: page(tls=TLS12_GCM)})),
    # §1.6 step 3: getResponse, and the scan stops on its errors.
    "invalid-cert-chain": Scenario(
        lambda: site(verify_fails=frozenset({HTTPS}), insecure={HTTPS: page()}),
        errors=("domain.tls.invalid_cert_chain",),
    ),
    "cannot-connect": Scenario(
        lambda: site(pages={HTTPS: None}), errors=("domain.tls.cannot_connect",)
    ),
    # §1.6 steps 4-5.
    "sha1-in-chain": Scenario(
        lambda: site(
            chain=ChainFacts(certificates=(ChainCert(common_name="i", sha1=True),), complete=True)
        ),
        errors=("domain.tls.sha1",),
    ),
    "obsolete-cipher": Scenario(
        lambda: site(pages={HTTPS: page(tls=TLS12_CBC)}), warnings=("tls.obsolete_cipher_suite",)
    ),
    # §1.5 on the initial response; the first-redirect issues are then left out.
    "no-header": Scenario(
        lambda: site(pages={HTTPS: page(sts=None), ROOT: page(sts=None)}),
        errors=("response.no_header",),
    ),
    "multiple-headers": Scenario(
        lambda: site(pages={HTTPS: page(sts=(GOOD, GOOD))}), errors=("response.multiple_headers",)
    ),
    "header-requirements": Scenario(
        lambda: site(pages={HTTPS: page(sts="max-age=300")}),
        errors=(
            "header.preloadable.include_sub_domains.missing",
            "header.preloadable.preload.missing",
            "header.preloadable.max_age.below_1_year",
        ),
    ),
    # §1.7, http side.
    "http-unavailable": Scenario(
        lambda: site(pages={HTTP: None}), warnings=("redirects.http.does_not_exist",)
    ),
    "http-sends-hsts": Scenario(
        lambda: site(pages={HTTP: redirect(ROOT, sts=GOOD)}),
        warnings=("redirects.http.useless_header",),
    ),
    "no-redirect": Scenario(
        lambda: site(pages={HTTP: page(sts=None)}), errors=("redirects.http.no_redirect",)
    ),
    "first-redirect-unreachable": Scenario(
        lambda: site(pages={HTTP: redirect(f"https://{D}:8443/")}),
        errors=("redirects.follow_error", "redirects.http.first_redirect.invalid"),
    ),
    "first-redirect-without-hsts": Scenario(
        lambda: site(pages={ROOT: page(sts=None)}),
        errors=("redirects.http.first_redirect.no_hsts",),
    ),
    "first-redirect-uses-one-year-rule": Scenario(
        lambda: site(pages={HTTPS: page(sts=SHORT), ROOT: page(sts=SHORT)}),
        errors=("redirects.http.first_redirect.no_hsts",),
        policy=Policy.BULK_18_WEEKS,
    ),
    "www-first": Scenario(
        lambda: site(pages={HTTP: redirect(f"https://www.{D}/"), f"https://www.{D}/": page()}),
        errors=("redirects.http.www_first",),
    ),
    "http-to-www-over-http": Scenario(
        lambda: site(
            pages={HTTP: redirect(f"http://www.{D}/"), f"http://www.{D}/": redirect(ROOT)}
        ),
        errors=("redirects.http.www_first",),
    ),
    "first-redirect-to-http": Scenario(
        lambda: site(pages={HTTP: redirect(f"{HTTP}/path"), f"{HTTP}/path": redirect(ROOT)}),
        errors=("redirects.http.first_redirect.insecure",),
    ),
    "first-redirect-to-other-host": Scenario(
        lambda: site(pages={HTTP: redirect("https://other.test/"), "https://other.test/": page()}),
        errors=("redirects.http.first_redirect.insecure",),
    ),
    "host-compared-case-sensitively": Scenario(
        lambda: site(pages={HTTP: redirect("https://SITE.test/"), "https://SITE.test/": page()}),
        errors=("redirects.http.first_redirect.insecure",),
    ),
    "http-too-many": Scenario(
        lambda: site(
            pages={
                ROOT: redirect(f"{ROOT}1", sts=GOOD),
                f"{ROOT}1": redirect(f"{ROOT}2"),
                f"{ROOT}2": redirect(f"{ROOT}3"),
                f"{ROOT}3": page(),
            }
        ),
        errors=("redirects.too_many",),
    ),
    "http-insecure-later-hop": Scenario(
        lambda: site(
            pages={ROOT: redirect(f"{HTTP}/plain", sts=GOOD), f"{HTTP}/plain": page(sts=None)}
        ),
        errors=("redirects.insecure.subsequent",),
    ),
    "bad-location": Scenario(
        lambda: site(pages={ROOT: redirect(f"https://{D}:abc/", sts=GOOD)}),
        errors=("redirects.follow_error",),
    ),
    "unsupported-scheme": Scenario(
        lambda: site(pages={HTTP: redirect("ftp://files.test/")}),
        errors=("redirects.follow_error", "redirects.http.first_redirect.insecure"),
    ),
    # §1.7, https side.
    "https-insecure-initial": Scenario(
        lambda: site(pages={HTTPS: redirect(f"{HTTP}/", sts=GOOD), f"{HTTP}/": page(sts=None)}),
        errors=("redirects.insecure.initial",),
    ),
    "https-too-many": Scenario(
        lambda: site(
            pages={
                HTTPS: redirect(f"{HTTPS}/a", sts=GOOD),
                f"{HTTPS}/a": redirect(f"{HTTPS}/b"),
                f"{HTTPS}/b": redirect(f"{HTTPS}/c"),
                f"{HTTPS}/c": redirect(f"{HTTPS}/d"),
            }
        ),
        errors=("redirects.too_many",),
    ),
    # §1.8.
    "www-without-tls": Scenario(
        lambda: site(www=WwwProbe(tcp_connected=True, tls_error="certificate verify failed")),
        errors=("domain.www.no_tls",),
    ),
    "www-absent": Scenario(lambda: site(www=WwwProbe(tcp_connected=False))),
    "www-first-close-fails": Scenario(
        lambda: site(www=WwwProbe(tcp_connected=True, tcp_close_error="bad file descriptor")),
        errors=("internal.domain.www.first_dial.no_close",),
    ),
    "www-second-close-fails": Scenario(
        lambda: site(www=WwwProbe(tcp_connected=True, tls_close_error="bad file descriptor")),
        errors=("internal.domain.www.second_dial.no_close",),
    ),
    # §1.6 steps 1-2 and the combination order.
    "subdomain-keeps-going-in-order": Scenario(
        lambda: FakeNet(
            pages={
                f"https://www.{D}": page(sts=None, tls=TLS12_CBC),
                f"http://www.{D}": page(sts=None),
                f"https://www.{D}/": page(),
            }
        ),
        errors=("domain.is_subdomain", "response.no_header", "redirects.http.no_redirect"),
        warnings=("tls.obsolete_cipher_suite",),
        domain=f"www.{D}",
    ),
    "appspot-skips-www": Scenario(
        lambda: FakeNet(
            pages={
                "https://x.appspot.com": page(),
                "http://x.appspot.com": redirect("https://x.appspot.com/"),
                "https://x.appspot.com/": page(),
            }
        ),
        domain="x.appspot.com",
    ),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_domain_checks_report_the_references_codes_in_order(name: str) -> None:
    scenario = SCENARIOS[name]
    verdict = drive(eligible_domain(scenario.domain, scenario.policy), scenario.net())
    assert verdict.issues.error_codes == scenario.errors
    assert verdict.issues.warning_codes == scenario.warnings


def test_a_broken_certificate_stops_the_scan_after_three_tries() -> None:
    net = site(verify_fails=frozenset({HTTPS}), insecure={HTTPS: page()})
    drive(eligible_domain(D), net)
    assert [(p.url, p.verify) for p in net.asked if isinstance(p, GetOnce)] == [
        (HTTPS, True),
        (HTTPS, True),
        (HTTPS, False),
    ]


def test_the_eligible_run_asks_for_the_probes_in_the_references_order() -> None:
    net = site()
    verdict = drive(eligible_domain(D), net)
    assert net.urls() == [HTTPS, HTTP, HTTP, ROOT, ROOT, HTTPS]
    assert isinstance(net.asked[1], ReadChain) and isinstance(net.asked[-1], DialWww)
    assert net.asked[-1].host == f"www.{D}"
    assert verdict.header == GOOD and verdict.not_checked == ()
    # Redirect chains share one client each, as one Go http.Client.Do.
    clients = [p.client for p in net.asked if isinstance(p, GetOnce)]
    assert clients == [None, None, "http-redirects", "http-redirects", None, "https-redirects"]


def test_the_first_redirect_message_names_the_first_error_there() -> None:
    verdict = drive(eligible_domain(D), site(pages={ROOT: page(sts=None)}))
    assert verdict.issues.errors[0].fields["first_error"] == "response.no_header"


def test_too_many_records_four_targets_and_fetches_only_three() -> None:
    net = SCENARIOS["https-too-many"].net()
    drive(eligible_domain(D), net)
    assert f"{HTTPS}/d" not in net.urls()


def test_a_malformed_name_asks_the_network_nothing() -> None:
    net = FakeNet()
    verdict = drive(eligible_domain(".site.test"), net)
    assert verdict.issues.error_codes == ("domain.format.begins_with_dot",) and net.asked == []


def test_a_leaf_only_chain_is_reported_as_not_fully_checked() -> None:
    leaf = ChainFacts(certificates=(ChainCert(common_name=D, sha1=False),), complete=False)
    verdict = drive(eligible_domain(D), site(chain=leaf))
    assert verdict.issues.passed
    assert verdict.not_checked == (NotChecked(code="domain.tls.sha1", reason="leaf-only"),)
    unread = drive(eligible_domain(D), site(chain=None))
    assert unread.not_checked == (NotChecked(code="domain.tls.sha1", reason="no-chain"),)


# -- removal -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("net", "errors"),
    [
        (FakeNet(pages={HTTPS: page(sts="max-age=0")}), ()),
        (FakeNet(pages={HTTPS: page(sts=GOOD)}), ("header.removable.contains.preload",)),
        (FakeNet(pages={HTTPS: page(sts=None)}), ("response.no_header",)),
        (FakeNet(), ("domain.tls.cannot_connect",)),
    ],
)
def test_removal_checks_only_the_https_answer(net: FakeNet, errors: tuple[str, ...]) -> None:
    verdict = drive(removable_domain(D), net)
    assert verdict.issues.error_codes == errors
    assert all(isinstance(p, GetOnce) for p in net.asked)


# -- every code of the spec has a test that produces it ------------------------------------


SPEC_CODES = {
    *HEADER_CODES,
    *DOMAIN_CODES,
}


def test_the_code_registries_are_the_specs_list() -> None:
    assert len(HEADER_CODES) == 23 and len(DOMAIN_CODES) == 26
    assert not set(HEADER_CODES) & set(DOMAIN_CODES)


def test_every_code_is_produced_by_a_vector_or_a_scenario() -> None:
    import tomllib
    from pathlib import Path

    from httpdoctor.hsts.checker import eligible_header_string, removable_header_string

    vectors = Path(__file__).resolve().parents[1] / "cases" / "hsts" / "preload-header.toml"
    produced: set[str] = set()
    for case in tomllib.loads(vectors.read_text(encoding="utf-8")).values():
        for issues in (
            parse_header(case["header"])[1],
            eligible_header_string(case["header"], Policy.BULK_1_YEAR),
            eligible_header_string(case["header"], Policy.BULK_18_WEEKS),
            removable_header_string(case["header"]),
        ):
            produced |= {*issues.error_codes, *issues.warning_codes}
    for scenario in SCENARIOS.values():
        verdict = drive(eligible_domain(scenario.domain, scenario.policy), scenario.net())
        produced |= {*verdict.issues.error_codes, *verdict.issues.warning_codes}
    for domain in (".a.test", "a.test.", "a..test", "test", "a_b.test", "1.1.1.1"):
        produced |= set(format_issues(domain).error_codes)
    produced |= set(level_issues("site.test", suffix_of=lambda name: name).error_codes)
    assert produced == SPEC_CODES
