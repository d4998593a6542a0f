"""Lab scenarios as data: virtual hosts, what each answers, and what the diagnosis must find."""

from __future__ import annotations

from dataclasses import dataclass

from httpdoctor.i18n import LocalText

__all__ = ["Host", "Reply", "Scenario", "Variant"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply:
    """One canned response."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


@dataclass(frozen=True, slots=True, kw_only=True)
class Host:
    """A name served on one loopback address; ``slot`` picks the address (0, 1, …).

    ``http`` / ``https`` map paths to replies (``"*"`` answers every other path);
    ``https=None`` means nothing listens on 443. ``cert_for`` names the certificate's
    subject names, which need not be the host's own (the panel default certificate).
    """

    name: str
    slot: int
    http: tuple[tuple[str, Reply], ...] | None
    https: tuple[tuple[str, Reply], ...] | None = None
    cert_for: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Variant:
    """One way a scenario can be broken (``--variant``)."""

    name: str
    hosts: tuple[Host, ...]
    summary: LocalText


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """A classic failure, reproducible on loopback, with the diagnosis it must produce.

    ``referrer`` is the page the navigation starts on, as ``diagnose -e PAGE`` takes it.
    The flow begins as the browser leaves that page, so nothing loads it and no host of
    the scenario serves it; the browser only derives Origin, Referer and its SameSite
    decisions from it.
    """

    name: str
    summary: LocalText
    url: str
    variants: tuple[Variant, ...]
    expected: frozenset[str]
    method: str = "GET"
    data: str | None = None
    prime: tuple[str, ...] = ()  # URLs a returning visitor's browser loaded before
    referrer: str | None = None
