"""Status-code knowledge: every code and meaning in scope, in English and Russian."""

from __future__ import annotations

from httpdoctor.codes.context import Context, ContextSource
from httpdoctor.codes.explain import ExplainedMeaning, Explanation, explain
from httpdoctor.codes.model import (
    CloudflareError,
    Fix,
    FixTarget,
    Kind,
    Lifecycle,
    Meaning,
    Product,
    RedirectSemantics,
    StatusClass,
    SubStatus,
)
from httpdoctor.codes.registry import Registry, default_registry

__all__ = [
    "CloudflareError",
    "Context",
    "ContextSource",
    "ExplainedMeaning",
    "Explanation",
    "Fix",
    "FixTarget",
    "Kind",
    "Lifecycle",
    "Meaning",
    "Product",
    "RedirectSemantics",
    "Registry",
    "StatusClass",
    "SubStatus",
    "default_registry",
    "explain",
]
