"""What a certificate says and why a client refuses it.

OpenSSL's verify codes name the failure (X509_V_ERR_*); we translate them into the
words a webmaster acts on: the certificate is for other names, expired, self-signed or
issued by an authority the client does not trust. Certificate fields are read with
``cryptography``.
"""

from __future__ import annotations

import socket
import ssl
from typing import TYPE_CHECKING, Any

from httpdoctor.trace.model import Certificate, TlsInfo

if TYPE_CHECKING:
    from cryptography import x509

__all__ = ["classify_failure", "describe_certificate", "fetch_certificate", "session_info"]

# OpenSSL verify codes (include/openssl/x509_vfy.h).
_FAILURES = {
    9: "not-yet-valid",  # X509_V_ERR_CERT_NOT_YET_VALID
    10: "expired",  # X509_V_ERR_CERT_HAS_EXPIRED
    18: "self-signed",  # X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
    19: "untrusted",  # X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN
    20: "untrusted",  # X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    21: "untrusted",  # X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE
    62: "name-mismatch",  # X509_V_ERR_HOSTNAME_MISMATCH
    64: "name-mismatch",  # X509_V_ERR_IP_ADDRESS_MISMATCH
}


def _name(value: x509.Name) -> str:
    from cryptography.x509.oid import NameOID

    common = value.get_attributes_for_oid(NameOID.COMMON_NAME)
    if common:
        return str(common[0].value)
    return value.rfc4514_string()


def describe_certificate(der: bytes) -> Certificate | None:
    """Read a DER certificate with cryptography (for certificates OpenSSL rejected)."""
    from cryptography import x509
    from cryptography.x509.oid import ExtensionOID

    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return None
    try:
        extension = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
        alt: x509.SubjectAlternativeName = extension.value  # type: ignore[assignment]
        sans = tuple(alt.get_values_for_type(x509.DNSName)) + tuple(
            str(ip) for ip in alt.get_values_for_type(x509.IPAddress)
        )
    except x509.ExtensionNotFound:
        sans = ()
    return Certificate(
        subject=_name(cert.subject),
        sans=sans,
        issuer=_name(cert.issuer),
        not_before=cert.not_valid_before_utc.isoformat(),
        not_after=cert.not_valid_after_utc.isoformat(),
        self_signed=cert.issuer == cert.subject,
    )


def classify_failure(error: BaseException) -> tuple[str, str]:
    """``(failure, message)`` for a TLS error found anywhere in an exception chain."""
    current: BaseException | None = error
    while current is not None:
        if isinstance(current, ssl.SSLCertVerificationError):
            failure = _FAILURES.get(current.verify_code, "other")
            return failure, current.verify_message or str(current)
        if isinstance(current, ssl.SSLError):
            return "other", current.reason or str(current)
        current = current.__cause__ or current.__context__
    return "other", str(error)


def _from_verified(info: dict[str, Any]) -> Certificate | None:
    """The same facts from the dict OpenSSL decodes for a verified peer (no import)."""

    def field(name: str, rdns: Any) -> str:
        for rdn in rdns or ():
            for key, value in rdn:
                if key == name:
                    return str(value)
        return ""

    from datetime import UTC, datetime  # only for https hops; costs ~3 ms to import

    def when(text: str) -> str:
        return datetime.fromtimestamp(ssl.cert_time_to_seconds(text), tz=UTC).isoformat()

    try:
        subject = field("commonName", info.get("subject"))
        issuer = field("commonName", info.get("issuer"))
        sans = tuple(v for k, v in info.get("subjectAltName", ()) if k in ("DNS", "IP Address"))
        return Certificate(
            subject=subject,
            sans=sans,
            issuer=issuer,
            not_before=when(info["notBefore"]),
            not_after=when(info["notAfter"]),
            self_signed=info.get("subject") == info.get("issuer"),
        )
    except (KeyError, ValueError):
        return None


def session_info(ssl_object: Any, *, verified: bool) -> TlsInfo:
    if ssl_object is None:
        return TlsInfo(version=None, cipher=None, certificate=None, verified=verified)
    # Positional arguments: the C-level _SSLSocket takes no keywords, ssl.SSLSocket both.
    decoded = ssl_object.getpeercert(False)
    if decoded:
        certificate = _from_verified(decoded)
    else:
        der = ssl_object.getpeercert(True)
        certificate = describe_certificate(der) if der else None
    cipher = ssl_object.cipher()
    return TlsInfo(
        version=ssl_object.version(),
        cipher=cipher[0] if cipher else None,
        certificate=certificate,
        verified=verified,
    )


def fetch_certificate(address: str, port: int, server_name: str, timeout: float) -> TlsInfo | None:
    """Handshake without verification only to see what the server presents."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((address, port), timeout=max(timeout, 0.1)) as raw,
            context.wrap_socket(raw, server_hostname=server_name) as tls,
        ):
            return session_info(tls, verified=False)
    except (OSError, ssl.SSLError):
        return None
