"""The single checks of a domain-level preload run (domain.go, tls.go; §1.6, §1.8), pure.

Names: the format checks, the public suffix and eTLD+1 as golang.org/x/net/publicsuffix
computes them, over the Public Suffix List bundled with tldextract (ICANN and private
sections), offline. A name under no listed suffix (``site.test``) falls under the PSL's
default rule ``*``, exactly as in Go: its last label is the suffix, so the last two labels
are the registrable domain. TLS: the SHA-1 and cipher-suite verdicts over what the driver
saw. www: the verdict over checkWWW's two dials.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from typing import Any

from httpdoctor.hsts.checker import Issues, Severity
from httpdoctor.trace.model import TlsInfo

__all__ = [
    "DOMAIN_CODES",
    "ChainCert",
    "ChainFacts",
    "NotChecked",
    "WwwProbe",
    "chain_issues",
    "cipher_issues",
    "etld_plus_one",
    "format_issues",
    "level_issues",
    "normalize_domain",
    "public_suffix",
    "www_applies",
    "www_issues",
]

_WWW_ALLOWED_SUFFIXES = frozenset({"appspot.com"})  # domain.go allowedWWWeTLDs
# tls.go checkCipherSuite: the six ECDHE AEAD suites, by their OpenSSL names.
_MODERN_SUITES = frozenset(
    {
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-RSA-CHACHA20-POLY1305",
    }
)

_E, _W = Severity.ERROR, Severity.WARNING
DOMAIN_CODES: dict[str, Severity] = {
    "domain.format.begins_with_dot": _E,
    "domain.format.ends_with_dot": _E,
    "domain.format.contains_double_dot": _E,
    "domain.format.public_suffix": _E,
    "domain.format.invalid_characters": _E,
    "domain.format.is_ip_address": _E,
    "internal.domain.name.cannot_compute_etld1": _E,
    "domain.is_subdomain": _E,
    "domain.tls.invalid_cert_chain": _E,
    "domain.tls.cannot_connect": _E,
    "domain.tls.sha1": _E,
    "tls.obsolete_cipher_suite": _W,
    "redirects.too_many": _E,
    "redirects.follow_error": _E,
    "redirects.insecure.initial": _E,
    "redirects.insecure.subsequent": _E,
    "redirects.http.does_not_exist": _W,
    "redirects.http.useless_header": _W,
    "redirects.http.no_redirect": _E,
    "redirects.http.first_redirect.invalid": _E,
    "redirects.http.first_redirect.no_hsts": _E,
    "redirects.http.www_first": _E,
    "redirects.http.first_redirect.insecure": _E,
    "domain.www.no_tls": _E,
    "internal.domain.www.first_dial.no_close": _E,
    "internal.domain.www.second_dial.no_close": _E,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainCert:
    """A certificate of the verified chain, root excluded, as checkChain reads it."""

    common_name: str
    sha1: bool  # signed SHA1WithRSA or ECDSAWithSHA1


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainFacts:
    """What the driver could see of the chain; ``complete`` False when only the leaf."""

    certificates: tuple[ChainCert, ...]
    complete: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class WwwProbe:
    """The two dials of checkWWW; None for a step that went fine or did not happen."""

    tcp_connected: bool
    tcp_close_error: str | None = None
    tls_error: str | None = None
    tls_close_error: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NotChecked:
    """A check of the reference we could not run in full here, and why."""

    code: str
    reason: str  # leaf-only | no-chain | no-tls-info


# -- names -----------------------------------------------------------------------------


def normalize_domain(text: str) -> str:
    """What hstspreload.org does before calling the library (§1.9): keep the host of a
    pasted URL, IDNA-encode, lowercase. Dots at either end are kept for the checks."""
    name = text.strip()
    if "://" in name:
        name = name.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0]
    if not name.isascii():
        # Left as is when IDNA refuses it: the character check then names the problem.
        with suppress(UnicodeError):
            name = ".".join(
                label.encode("idna").decode("ascii") if label else "" for label in name.split(".")
            )
    return name.lower()


@cache
def _extractor() -> Any:
    import tldextract

    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


def public_suffix(domain: str) -> str:
    """golang.org/x/net/publicsuffix ``PublicSuffix``: a listed rule, else the last label."""
    listed = str(_extractor()(domain).suffix) if domain else ""
    return listed or domain[domain.rfind(".") + 1 :]


def etld_plus_one(domain: str, suffix_of: Callable[[str], str] = public_suffix) -> str | None:
    """``EffectiveTLDPlusOne``; None where Go returns an error."""
    if domain.startswith(".") or domain.endswith(".") or ".." in domain:
        return None
    suffix = suffix_of(domain)
    if len(domain) <= len(suffix):
        return None
    cut = len(domain) - len(suffix) - 1
    if domain[cut] != ".":
        return None
    return domain[domain.rfind(".", 0, cut) + 1 :]


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def format_issues(domain: str, suffix_of: Callable[[str], str] = public_suffix) -> Issues:
    """``checkDomainFormat`` (§1.6 step 1): the first failure only."""
    issues = Issues()
    if domain.startswith("."):
        return issues.error("domain.format.begins_with_dot")
    if domain.endswith("."):
        return issues.error("domain.format.ends_with_dot")
    if ".." in domain:
        return issues.error("domain.format.contains_double_dot")
    if suffix_of(domain) == domain:
        return issues.error("domain.format.public_suffix", domain=domain)
    if any(not (ch.isascii() and (ch.isalnum() or ch in "-.")) for ch in domain.lower()):
        return issues.error("domain.format.invalid_characters", domain=domain)
    if _is_ip(domain):
        return issues.error("domain.format.is_ip_address", domain=domain)
    return issues


def level_issues(domain: str, suffix_of: Callable[[str], str] = public_suffix) -> Issues:
    """``preloadableDomainLevel``: only whole registrable domains are accepted."""
    top = etld_plus_one(domain, suffix_of)
    if top is None:
        return Issues().error("internal.domain.name.cannot_compute_etld1", domain=domain)
    if top != domain:
        return Issues().error("domain.is_subdomain", domain=domain, etld1=top)
    return Issues()


# -- TLS ---------------------------------------------------------------------------------


def chain_issues(facts: ChainFacts | None) -> tuple[Issues, tuple[NotChecked, ...]]:
    """``checkChain``: SHA-1 anywhere but the root; what could not be seen is said."""
    if facts is None:
        return Issues(), (NotChecked(code="domain.tls.sha1", reason="no-chain"),)
    for cert in facts.certificates:
        if cert.sha1:
            return Issues().error("domain.tls.sha1", common_name=cert.common_name), ()
    missing = () if facts.complete else (NotChecked(code="domain.tls.sha1", reason="leaf-only"),)
    return Issues(), missing


def cipher_issues(domain: str, tls: TlsInfo | None) -> tuple[Issues, tuple[NotChecked, ...]]:
    """``checkCipherSuite``: TLS 1.3 passes; up to 1.2 only the six ECDHE AEAD suites."""
    if tls is None or tls.version is None or tls.cipher is None:
        return Issues(), (NotChecked(code="tls.obsolete_cipher_suite", reason="no-tls-info"),)
    if tls.version == "TLSv1.3" or tls.cipher in _MODERN_SUITES:
        return Issues(), ()
    found = Issues().warning(
        "tls.obsolete_cipher_suite", domain=domain, cipher=tls.cipher, version=tls.version
    )
    return found, ()


def www_applies(domain: str, level: Issues) -> bool:
    """checkWWW is skipped for subdomains and allow-listed suffixes (domain.go)."""
    return not level.errors and public_suffix(domain) not in _WWW_ALLOWED_SUFFIXES


def www_issues(host: str, probe: WwwProbe) -> Issues:
    """``checkWWW`` (§1.8): no issue when nothing answers on www:443."""
    issues = Issues()
    if not probe.tcp_connected:
        return issues
    if probe.tcp_close_error is not None:
        return issues.error(
            "internal.domain.www.first_dial.no_close", host=host, error=probe.tcp_close_error
        )
    if probe.tls_error is not None:
        return issues.error("domain.www.no_tls", host=host, error=probe.tls_error)
    if probe.tls_close_error is not None:
        return issues.error(
            "internal.domain.www.second_dial.no_close", host=host, error=probe.tls_close_error
        )
    return issues
