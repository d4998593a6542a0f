"""Test certificates: one trusted session CA (trustme) plus deliberately broken certificates.

Every ``issue_*`` method writes two PEM files and returns them as :class:`CertFiles`:
``cert_path`` holds what the server sends (leaf first, then any intermediates) and
``key_path`` the leaf's private key. Clients trust exactly :attr:`PKI.ca_pem_path`
(or use :meth:`PKI.client_context`).

What each kind does to a client that trusts the session CA and verifies ``site.test``
(OpenSSL ``verify_code`` in brackets, as ``ssl.SSLCertVerificationError`` reports it):

========================  =====================================================  ======
method                    certificate                                            result
========================  =====================================================  ======
``issue``                 session CA, the requested names                        OK
``issue_wrong_name``      session CA, *other* names                              [62]
``issue_expired``         session CA, the requested names, notAfter in the past  [10]
``issue_not_yet_valid``   session CA, the requested names, notBefore ahead       [9]
``issue_self_signed``     self-signed leaf (cryptography), the requested names   [18]
``issue_untrusted``       a second CA nobody trusts, the requested names         [20]
``issue_incomplete_chain``  session CA -> intermediate -> leaf, chain file
                          without the intermediate                               [20]
========================  =====================================================  ======
"""

from __future__ import annotations

import datetime
import re
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["PKI", "CertFiles"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CertFiles:
    """A certificate chain and its key on disk, as a server configuration needs them."""

    cert_path: Path
    """PEM: the leaf certificate first, then the intermediates the server should send."""
    key_path: Path
    """PEM: the leaf's unencrypted private key."""
    hostnames: tuple[str, ...]
    """The subjectAltName entries actually in the leaf."""
    kind: str
    """``valid``, ``wrong-name``, ``expired``, ``not-yet-valid``, ``self-signed``,
    ``untrusted-ca`` or ``incomplete-chain``."""


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class PKI:
    """One trusted CA for a test session and the certificates issued from it.

    Thread-safe; files are written once under ``directory`` and never removed by this
    class (the pytest fixture puts ``directory`` in pytest's temporary tree).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.ca = trustme.CA(organization_name="httpdoctor tests")
        self.ca_pem_path = self.directory / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_pem_path))
        self._lock = threading.Lock()
        self._counter = 0
        self._valid: dict[tuple[str, ...], CertFiles] = {}
        self._untrusted_ca: trustme.CA | None = None
        self._intermediate_ca: trustme.CA | None = None

    # -- clients ------------------------------------------------------------------------

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts only the session CA and verifies host names."""
        return ssl.create_default_context(cafile=str(self.ca_pem_path))

    # -- good certificates --------------------------------------------------------------

    def issue(self, *hostnames: str) -> CertFiles:
        """A valid certificate for ``hostnames`` (cached: same names, same files)."""
        names = _check_names(hostnames)
        with self._lock:
            cached = self._valid.get(names)
            if cached is None:
                leaf = self.ca.issue_cert(*names, common_name=names[0])
                cached = self._write_leaf("valid", names, leaf)
                self._valid[names] = cached
            return cached

    # -- bad certificates ---------------------------------------------------------------

    def issue_wrong_name(
        self, *served_for: str, actual_names: tuple[str, ...] = ("other.test",)
    ) -> CertFiles:
        """A certificate with a valid chain, but for ``actual_names`` instead of the names
        it will be served for (``served_for`` only guards against an accidental match)."""
        actual = _check_names(actual_names)
        overlap = set(served_for) & set(actual)
        if overlap:
            raise ValueError(f"wrong-name certificate would cover {sorted(overlap)}")
        leaf = self.ca.issue_cert(*actual, common_name=actual[0])
        with self._lock:
            return self._write_leaf("wrong-name", actual, leaf)

    def issue_expired(self, *hostnames: str, days_ago: int = 1) -> CertFiles:
        """Trusted chain and right names, but notAfter lies ``days_ago`` days in the past."""
        names = _check_names(hostnames)
        now = _utcnow()
        leaf = self.ca.issue_cert(
            *names,
            common_name=names[0],
            not_before=now - datetime.timedelta(days=days_ago + 30),
            not_after=now - datetime.timedelta(days=days_ago),
        )
        with self._lock:
            return self._write_leaf("expired", names, leaf)

    def issue_not_yet_valid(self, *hostnames: str, days_ahead: int = 1) -> CertFiles:
        """Trusted chain and right names, but notBefore lies ``days_ahead`` days ahead."""
        names = _check_names(hostnames)
        now = _utcnow()
        leaf = self.ca.issue_cert(
            *names,
            common_name=names[0],
            not_before=now + datetime.timedelta(days=days_ahead),
            not_after=now + datetime.timedelta(days=days_ahead + 30),
        )
        with self._lock:
            return self._write_leaf("not-yet-valid", names, leaf)

    def issue_self_signed(self, *hostnames: str) -> CertFiles:
        """A self-signed leaf (no CA involved) for the right names."""
        names = _check_names(hostnames)
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "httpdoctor tests (self-signed)"),
                x509.NameAttribute(NameOID.COMMON_NAME, names[0]),
            ]
        )
        now = _utcnow()
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.SubjectAlternativeName([x509.DNSName(name) for name in names]),
                critical=False,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(key, hashes.SHA256())
        )
        cert_pem = cert.public_bytes(serialization.Encoding.PEM)
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        with self._lock:
            return self._write("self-signed", names, cert_pem, key_pem)

    def issue_untrusted(self, *hostnames: str) -> CertFiles:
        """Right names, but signed by a second CA that no client trusts."""
        names = _check_names(hostnames)
        with self._lock:
            if self._untrusted_ca is None:
                self._untrusted_ca = trustme.CA(organization_name="httpdoctor untrusted CA")
            leaf = self._untrusted_ca.issue_cert(*names, common_name=names[0])
            return self._write_leaf("untrusted-ca", names, leaf)

    def issue_incomplete_chain(self, *hostnames: str) -> CertFiles:
        """Leaf signed by an intermediate of the session CA; the chain file leaves the
        intermediate out (the classic "works in my browser" misconfiguration)."""
        names = _check_names(hostnames)
        with self._lock:
            leaf = self._intermediate().issue_cert(*names, common_name=names[0])
            return self._write(
                "incomplete-chain",
                names,
                leaf.cert_chain_pems[0].bytes(),
                leaf.private_key_pem.bytes(),
            )

    def issue_with_intermediate(self, *hostnames: str) -> CertFiles:
        """The correct counterpart of :meth:`issue_incomplete_chain`: leaf + intermediate."""
        names = _check_names(hostnames)
        with self._lock:
            leaf = self._intermediate().issue_cert(*names, common_name=names[0])
            return self._write_leaf("valid-intermediate", names, leaf)

    # -- internals ----------------------------------------------------------------------

    def _intermediate(self) -> trustme.CA:
        if self._intermediate_ca is None:
            self._intermediate_ca = self.ca.create_child_ca()
        return self._intermediate_ca

    def _write_leaf(self, kind: str, names: tuple[str, ...], leaf: trustme.LeafCert) -> CertFiles:
        chain = b"".join(blob.bytes() for blob in leaf.cert_chain_pems)
        return self._write(kind, names, chain, leaf.private_key_pem.bytes())

    def _write(self, kind: str, names: tuple[str, ...], chain: bytes, key: bytes) -> CertFiles:
        self._counter += 1
        stem = f"{self._counter:03d}-{kind}-{_slug(names[0])}"
        cert_path = self.directory / f"{stem}.crt.pem"
        key_path = self.directory / f"{stem}.key.pem"
        cert_path.write_bytes(chain)
        key_path.touch(mode=0o600)
        key_path.write_bytes(key)
        return CertFiles(cert_path=cert_path, key_path=key_path, hostnames=names, kind=kind)


def _check_names(hostnames: tuple[str, ...]) -> tuple[str, ...]:
    names = tuple(name.strip() for name in hostnames)
    if not names or not all(names):
        raise ValueError("a certificate needs at least one non-empty host name")
    return names


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "_", name).strip("_") or "name"
