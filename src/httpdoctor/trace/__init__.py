"""Redirect chains as a given client follows them: the sans-IO engine and its values."""

from __future__ import annotations

from httpdoctor.trace.model import (
    Certificate,
    Chain,
    DroppedHeader,
    ErrorKind,
    Hop,
    HopError,
    HopKind,
    HstsSource,
    Observation,
    Outcome,
    Probe,
    Request,
    Timings,
    TlsInfo,
)
from httpdoctor.trace.profiles import ClientProfile, load_profiles, profile_named
from httpdoctor.trace.tracer import Done, Fetch, Tracer

__all__ = [
    "Certificate",
    "Chain",
    "ClientProfile",
    "Done",
    "DroppedHeader",
    "ErrorKind",
    "Fetch",
    "Hop",
    "HopError",
    "HopKind",
    "HstsSource",
    "Observation",
    "Outcome",
    "Probe",
    "Request",
    "Timings",
    "TlsInfo",
    "Tracer",
    "load_profiles",
    "profile_named",
]
