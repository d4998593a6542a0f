"""Findings and what rules look at: the vocabulary of ``diagnose``.

A rule sees a ``Subject`` (the traces and probes of one URL) and yields ``Finding``s.
Findings carry parameters, not sentences: the words live in ``data/rules/<id>.toml``, in
English and Russian, and the report fills them in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from httpdoctor.trace.model import Chain

__all__ = ["Evidence", "Finding", "Rule", "RuleMeta", "Severity", "Subject", "evidence", "params"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


Params = tuple[tuple[str, str], ...]


def params(values: Mapping[str, object]) -> Params:
    """Freeze a mapping of template fields into a sorted tuple of strings."""
    return tuple(sorted((k, "" if v is None else str(v)) for k, v in values.items()))


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """One observed fact behind a finding, worded by the rule's ``evidence.<key>`` text."""

    key: str
    params: Params = ()
    hops: tuple[int, ...] = ()


def evidence(key: str, *, hops: tuple[int, ...] = (), **fields: object) -> Evidence:
    return Evidence(key=key, params=params(fields), hops=hops)


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """A named problem (or fact worth knowing) about the URL, with its evidence."""

    rule: str
    severity: Severity
    params: Params = ()
    evidence: tuple[Evidence, ...] = ()
    hops: tuple[int, ...] = ()

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name)


@dataclass(frozen=True, slots=True, kw_only=True)
class Subject:
    """Everything the rules may look at for one URL; nothing here touches the network.

    ``chain`` is the trace as the chosen client (Chrome by default, as a returning
    visitor); ``curl`` the same URL as curl sees it; ``fresh`` as a browser that never
    visited; ``https_variant`` / ``http_variant`` the other scheme of the same URL.
    """

    url: str
    chain: Chain
    curl: Chain | None = None
    fresh: Chain | None = None
    https_variant: Chain | None = None
    http_variant: Chain | None = None
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleMeta:
    """A rule's stable identity: its id (kebab-case) and how serious its findings are."""

    id: str
    severity: Severity

    def finding(
        self,
        *,
        evidence: tuple[Evidence, ...] = (),
        hops: tuple[int, ...] = (),
        severity: Severity | None = None,
        **fields: object,
    ) -> Finding:
        return Finding(
            rule=self.id,
            severity=severity or self.severity,
            params=params(fields),
            evidence=evidence,
            hops=hops,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """A registered rule: its identity and its pure check."""

    meta: RuleMeta
    check: Callable[[Subject], Iterator[Finding]]
