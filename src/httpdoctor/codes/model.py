"""What the registry knows about a status code, as immutable values.

Nothing here reads files; ``codes.parse`` builds these from data tables and
``codes.registry`` decides which tables to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from httpdoctor.i18n import LocalText

__all__ = [
    "STACKS",
    "CloudflareError",
    "Fix",
    "FixTarget",
    "Kind",
    "Lifecycle",
    "Meaning",
    "Product",
    "RedirectSemantics",
    "StatusClass",
    "SubStatus",
]

# The stacks a meaning shows "how to send or test for it" in, in display order.
STACKS: tuple[str, ...] = (
    "python",
    "go",
    "rails",
    "symfony",
    "dotnet",
    "rust",
    "java",
    "node",
    "angular",
)


class Kind(StrEnum):
    STATUS = "status"  # sent by a server on the wire
    LOOK_ALIKE = "look-alike"  # shown to people as a code, never sent by a server
    WARN_CODE = "warn-code"  # a warn-code of the obsolete Warning header


class Lifecycle(StrEnum):
    CURRENT = "current"
    DEPRECATED = "deprecated"
    UNUSED = "unused"
    OBSOLETE = "obsolete"
    UNOFFICIAL = "unofficial"


class FixTarget(StrEnum):
    GENERIC = "generic"
    NGINX = "nginx"
    APACHE = "apache"
    IIS = "iis"
    PANEL = "panel"
    CDN = "cdn"
    CLOUDFLARE = "cloudflare"
    AWS = "aws"
    APP = "app"
    CLIENT = "client"
    BROWSER = "browser"


@dataclass(frozen=True, slots=True, kw_only=True)
class RedirectSemantics:
    """How clients treat a 3xx: the facts behind "will my POST survive this?"."""

    method_preserved: bool
    body_preserved: bool
    permanent: bool
    cacheable_by_default: bool
    followed_by_browsers: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Fix:
    """One way to make the code go away, for one audience (any server, nginx, the panel…)."""

    target: FixTarget
    text: LocalText
    snippet: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Meaning:
    """One meaning of one code: the standard one, or a vendor's reuse of the number."""

    code: int
    id: str
    name: str
    aliases: tuple[str, ...]
    kind: Kind
    origin: str
    source: str
    source_url: str | None
    status: Lifecycle
    rank: int
    headers: tuple[str, ...]
    see_also: tuple[str, ...]
    redirect: RedirectSemantics | None
    summary: LocalText
    details: LocalText | None
    causes: tuple[LocalText, ...]
    fixes: tuple[Fix, ...]
    seo: LocalText | None
    config: tuple[tuple[str, str], ...]
    code_refs: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        if not 100 <= self.code <= 599:
            raise ValueError(f"status code {self.code} is outside 100..599")
        if not self.causes or not self.fixes:
            raise ValueError(f"{self.key}: a meaning needs causes and fixes")

    @property
    def key(self) -> str:
        """The stable name of this meaning, e.g. ``307-internal-redirect``."""
        return f"{self.code}-{self.id}"

    @property
    def status_class(self) -> int:
        return self.code // 100


@dataclass(frozen=True, slots=True, kw_only=True)
class Product:
    """A server, CDN or framework that sends codes; the context for ambiguous codes."""

    id: str
    label: str
    names: tuple[str, ...] = ()
    server: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusClass:
    """One of the five classes of RFC 9110 §15, named by its first digit."""

    digit: int
    name: LocalText
    summary: LocalText
    unknown: LocalText  # what a client does with an unassigned code of this class


@dataclass(frozen=True, slots=True, kw_only=True)
class SubStatus:
    """An IIS detail code such as ``404.3``: in logs and error pages, never on the wire."""

    code: str
    name: str
    summary: LocalText

    @property
    def status(self) -> int:
        return int(self.code.split(".", 1)[0])


@dataclass(frozen=True, slots=True, kw_only=True)
class CloudflareError:
    """A Cloudflare error-page number (1xxx), sent inside a 4xx/5xx response."""

    code: int
    name: str
    status: int | None
    summary: LocalText
    fix: LocalText
