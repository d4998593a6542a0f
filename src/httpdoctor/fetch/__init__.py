"""The network driver: the only package that opens sockets."""

from __future__ import annotations

from httpdoctor.fetch.driver import TraceSpec, run_trace
from httpdoctor.fetch.fetcher import Fetcher, FetchSettings
from httpdoctor.fetch.resolve import ResolveRule, parse_resolve

__all__ = ["FetchSettings", "Fetcher", "ResolveRule", "TraceSpec", "parse_resolve", "run_trace"]
