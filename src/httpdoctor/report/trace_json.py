"""``trace --json``: the chain as data (schema in docs/json/trace.schema.json)."""

from __future__ import annotations

from typing import Any

from httpdoctor.trace.model import Chain, Hop, Probe, TlsInfo

__all__ = ["SCHEMA_VERSION", "chain_json", "hop_json"]

SCHEMA_VERSION = 1


def _tls(tls: TlsInfo | None) -> dict[str, Any] | None:
    if tls is None:
        return None
    cert = tls.certificate
    return {
        "version": tls.version,
        "cipher": tls.cipher,
        "verified": tls.verified,
        "failure": tls.failure,
        "failure_message": tls.failure_message,
        "certificate": None
        if cert is None
        else {
            "subject": cert.subject,
            "sans": list(cert.sans),
            "issuer": cert.issuer,
            "not_before": cert.not_before,
            "not_after": cert.not_after,
            "self_signed": cert.self_signed,
        },
    }


def hop_json(hop: Hop) -> dict[str, Any]:
    obs = hop.observation
    source = hop.hsts_source
    return {
        "index": hop.index,
        "url": hop.request.url,
        "method": hop.request.method,
        "body_sent": hop.request.body is not None,
        "request_headers": [[k, v] for k, v in hop.request.headers],
        "dropped_headers": [{"name": d.name, "reason": d.reason} for d in hop.dropped_headers],
        "status": obs.status,
        "reason": obs.reason,
        "http_version": obs.http_version,
        "peer": obs.peer,
        "response_headers": [[k, v] for k, v in obs.headers],
        "location_raw": hop.location_raw,
        "location": hop.location,
        "timings": {
            "dns": obs.timings.dns,
            "connect": obs.timings.connect,
            "tls": obs.timings.tls,
            "ttfb": obs.timings.ttfb,
            "total": obs.timings.total,
        },
        "tls": _tls(obs.tls),
        "body_bytes": obs.body_bytes,
        "body_truncated": obs.body_truncated,
        "error": None
        if obs.error is None
        else {"kind": obs.error.kind.value, "message": obs.error.message},
        "synthetic": hop.synthetic,
        "synthetic_reason": "hsts" if hop.synthetic else None,
        "hsts_source": None
        if source is None
        else {
            "host": source.host,
            "via": source.via,
            "header": source.header,
            "list_version": source.list_version,
        },
    }


def _probe(probe: Probe) -> dict[str, Any]:
    return {
        "host": probe.host,
        "url": probe.url,
        "status": probe.status,
        "sts_header": probe.sts_header,
        "learned": probe.learned,
        "error": None
        if probe.error is None
        else {"kind": probe.error.kind.value, "message": probe.error.message},
        "tls": _tls(probe.tls),
    }


def chain_json(chain: Chain, *, profile_label: str) -> dict[str, Any]:
    request = chain.request
    return {
        "schema_version": SCHEMA_VERSION,
        "request": {
            "url": request.url,
            "method": request.method,
            "headers": [[k, v] for k, v in request.headers],
            "body_bytes": None if request.body is None else len(request.body),
            "referrer": chain.referrer,
        },
        "profile": {"id": chain.profile, "label": profile_label},
        "probes": [_probe(p) for p in chain.probes],
        "hops": [hop_json(h) for h in chain.hops],
        "outcome": chain.outcome.value,
        "final_status": chain.final_status,
        "loop": list(chain.loop),
        "stop_reason": chain.stop_reason,
    }
