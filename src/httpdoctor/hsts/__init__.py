"""HSTS: how browsers read Strict-Transport-Security, what they remember, the preload list."""

from __future__ import annotations

from httpdoctor.hsts.header import MAX_AGE_CLAMP, ChromiumReading, parse_chromium
from httpdoctor.hsts.preload import PreloadList, PreloadMatch, bundled_list, parse_chromium_json
from httpdoctor.hsts.store import DynamicEntry, HstsStore

__all__ = [
    "MAX_AGE_CLAMP",
    "ChromiumReading",
    "DynamicEntry",
    "HstsStore",
    "PreloadList",
    "PreloadMatch",
    "bundled_list",
    "parse_chromium",
    "parse_chromium_json",
]
