"""URLs as browsers parse them (WHATWG, through ada-url), and Location resolution.

RFC 9110 §10.2.2 and Fetch: a Location is resolved against the response's URL, and when
it has no fragment it inherits the request's. Chromium escapes non-ASCII bytes in the
raw header before parsing (crbug.com/942073), so we do the same with the raw bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import ada_url

from httpdoctor.errors import UsageError

__all__ = ["Origin", "https_upgrade", "origin_of", "parse_target", "resolve_location"]

_DEFAULT_PORT = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """Scheme, host and port: what "same origin" compares."""

    scheme: str
    host: str
    port: int

    @property
    def default_port(self) -> bool:
        return self.port == _DEFAULT_PORT.get(self.scheme)

    @property
    def authority(self) -> str:
        """``host[:port]``, the port only when it is not the scheme's: a Host header."""
        return self.host if self.default_port else f"{self.host}:{self.port}"

    def serialize(self) -> str:
        """``scheme://host[:port]`` as HTML serializes an origin (default port left out):
        the form of an Origin header and of a Referer cut to its origin."""
        return f"{self.scheme}://{self.authority}"


def _parts(url: str) -> dict[str, object]:
    return dict(ada_url.parse_url(url))


def parse_target(text: str) -> str:
    """The URL the user asked to trace, normalised; UsageError when it is not http(s)."""
    candidate = text.strip()
    if "://" not in candidate and candidate and not candidate.startswith("/"):
        candidate = "http://" + candidate  # curl does the same for a bare host
    try:
        parts = _parts(candidate)
    except ValueError:
        raise UsageError.of("trace.url_invalid", text=text) from None
    if parts["protocol"] not in ("http:", "https:"):
        raise UsageError.of("trace.url_scheme", text=text)
    host = str(parts["hostname"])
    if not host:
        raise UsageError.of("trace.url_no_host", text=text)
    # DNS limits (RFC 1035 §2.3.4): resolvers refuse longer names, often with odd errors.
    if len(host) > 253 or any(len(label) > 63 for label in host.split(".")):
        raise UsageError.of("trace.host_too_long")
    return str(parts["href"])


def origin_of(url: str) -> Origin:
    parts = _parts(url)
    scheme = str(parts["protocol"]).rstrip(":")
    port = int(str(parts["port"])) if parts["port"] else _DEFAULT_PORT.get(scheme, 0)
    return Origin(scheme=scheme, host=str(parts["hostname"]), port=port)


def host_of(url: str) -> str:
    return str(_parts(url)["hostname"])


def path_of(url: str) -> str:
    """The path of an absolute URL, without query or fragment ("/" when it has none)."""
    rest = url.split("://", 1)[-1]
    slash = rest.find("/")
    return rest[slash:].split("?", 1)[0].split("#", 1)[0] if slash >= 0 else "/"


def target_of(url: str) -> str:
    """What goes on the request line: path and query, never the fragment."""
    parts = _parts(url)
    return f"{parts['pathname'] or '/'}{parts['search']}"


def strip_for_referrer(url: str) -> str:
    """The URL without credentials or fragment (Referrer Policy §8.4, "strip url")."""
    parsed = ada_url.URL(url)
    parsed.username = ""
    parsed.password = ""
    parsed.hash = ""
    return str(parsed.href)


def fragment_of(url: str) -> str:
    return str(_parts(url)["hash"])


def _escape_non_ascii(raw: bytes) -> str:
    return "".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in raw)


def resolve_location(base: str, raw: bytes) -> str | None:
    """The absolute URL a Location header sends the client to, or None if unparseable."""
    reference = _escape_non_ascii(raw).strip(" \t")
    try:
        resolved = str(ada_url.join_url(base, reference))
    except ValueError:
        return None
    # Only a Location with no fragment at all inherits one; "/z#" has an empty fragment.
    if "#" not in resolved and (fragment := fragment_of(base)):
        resolved = f"{resolved.split('#', 1)[0]}{fragment}"
    return resolved


def https_upgrade(url: str, *, keep_port_80: bool = False) -> str:
    """The https:// URL an HSTS upgrade makes of ``url``.

    Chromium changes only the scheme of an already canonical URL, where ``:80`` was
    dropped as the default: so port 80 becomes 443 and other explicit ports stay. curl
    keeps a ``:80`` that was written out (measured on 7.88.1), hence ``keep_port_80``.
    """
    parsed = ada_url.URL(url)
    parsed.protocol = "https:"
    if keep_port_80 and not parsed.port:
        parsed.port = "80"
    return str(parsed.href)


def names_port_80(raw: str) -> bool:
    """Whether a raw URL or Location spells out port 80 (``http://host:80/…``)."""
    authority = raw.split("://", 1)[1] if "://" in raw else ""
    return authority.split("/", 1)[0].rsplit("@", 1)[-1].endswith(":80")
