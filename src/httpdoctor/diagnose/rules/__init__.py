"""Every diagnosis rule, registered explicitly (no discovery magic), in report order.

Findings are sorted by severity first; within a severity, this order decides: root causes
before their symptoms (a proxy loop before the loop itself), errors of the chain before
header advice.
"""

from __future__ import annotations

from httpdoctor.diagnose.model import Rule
from httpdoctor.diagnose.rules import (
    auth_dropped_on_redirect,
    canonical_host_ping_pong,
    cookie_held_back_by_samesite,
    cookie_never_sticks_loop,
    error_at_end_of_chain,
    first_redirect_changes_host,
    hsts_header_invalid,
    hsts_header_over_http,
    hsts_max_age_too_short,
    hsts_missing,
    hsts_not_on_error_responses,
    hsts_upgrade_to_broken_https,
    http_not_redirected_to_https,
    https_to_http_downgrade,
    https_unreachable,
    location_invalid,
    meta_refresh_redirect,
    multiple_location_headers,
    origin_null_after_redirect,
    post_redirected_as_get,
    proxy_scheme_loop,
    redirect_chain_too_long,
    redirect_loop,
    redirect_without_location,
    temporary_redirect_for_permanent_move,
    tls_certificate_expired,
    tls_certificate_name_mismatch,
    tls_certificate_untrusted,
    too_many_redirects,
    vendor_status,
)

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = tuple(
    Rule(meta=module.META, check=module.check)
    for module in (
        hsts_upgrade_to_broken_https,
        proxy_scheme_loop,
        canonical_host_ping_pong,
        cookie_never_sticks_loop,
        cookie_held_back_by_samesite,
        redirect_loop,
        too_many_redirects,
        tls_certificate_name_mismatch,
        tls_certificate_expired,
        tls_certificate_untrusted,
        https_unreachable,
        https_to_http_downgrade,
        post_redirected_as_get,
        auth_dropped_on_redirect,
        origin_null_after_redirect,
        redirect_without_location,
        location_invalid,
        multiple_location_headers,
        error_at_end_of_chain,
        hsts_header_invalid,
        hsts_header_over_http,
        hsts_missing,
        hsts_max_age_too_short,
        hsts_not_on_error_responses,
        http_not_redirected_to_https,
        first_redirect_changes_host,
        temporary_redirect_for_permanent_move,
        redirect_chain_too_long,
        meta_refresh_redirect,
        vendor_status,
    )
)
