"""The driver's reading of certificates for the SHA-1 check (tls.go checkChain)."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
import trustme

from httpdoctor.fetch.preload_probe import _describe, _self_issued

pytestmark = pytest.mark.unit

SHA1 = Path(__file__).resolve().parents[1] / "cases" / "hsts" / "sha1-certificates.pem"


def _pems(text: str) -> list[str]:
    end = "-----END CERTIFICATE-----"
    return [part.split("-----BEGIN", 1)[1] for part in text.split(end)[:-1]]


def test_sha1_signatures_are_recognised_for_rsa_and_ecdsa() -> None:
    blocks = _pems(SHA1.read_text())
    assert len(blocks) == 2
    described = [
        _describe(ssl.PEM_cert_to_DER_cert(f"-----BEGIN{b}-----END CERTIFICATE-----\n"))
        for b in blocks
    ]
    assert [(d.common_name, d.sha1) for d in described if d] == [
        ("site.test", True),
        ("ecdsa-sha1.test", True),
    ]


def test_a_modern_certificate_is_not_flagged() -> None:
    leaf = trustme.CA().issue_cert("site.test")
    der = ssl.PEM_cert_to_DER_cert(leaf.cert_chain_pems[0].bytes().decode())
    described = _describe(der)
    assert described is not None and described.sha1 is False


def test_garbage_is_not_a_certificate() -> None:
    assert _describe(b"not a certificate") is None


def test_a_self_issued_leaf_is_its_own_root() -> None:
    # Go leaves the root out of checkChain; a self-issued leaf is that root.
    rsa_leaf, self_signed = (
        ssl.PEM_cert_to_DER_cert(f"-----BEGIN{b}-----END CERTIFICATE-----\n")
        for b in _pems(SHA1.read_text())
    )
    assert _self_issued(self_signed) and not _self_issued(rsa_leaf)
