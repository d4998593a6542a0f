"""A page that sends visitors on by itself: ``<meta http-equiv="refresh">`` or ``Refresh:``.

Evidence: the final hop of the main chain answered 2xx, and either its ``Refresh``
response header or the first refresh ``<meta>`` of its HTML (``observation.body_head``,
the first 64 KiB) names another http(s) address with a short delay. The content is parsed
as HTML's "shared declarative refresh steps" do (``5;url='/x'``, ``0,URL=/x``, ``0; /x``);
comments and ``<script>``/``<noscript>``/``<template>``/``<style>``/``<textarea>``
are skipped (a refresh in ``<noscript>`` only reaches clients without JavaScript).
A refresh without a URL or back to the page itself is a reload, and one after more than
``MAX_DELAY`` seconds is a timeout (session expiry, a kiosk page), not a redirect.
Non-HTML and binary bodies are never searched; nothing here can raise on odd bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from httpdoctor.diagnose.facts import header, network_hops
from httpdoctor.diagnose.model import Finding, RuleMeta, Severity, Subject, evidence
from httpdoctor.trace.model import Hop
from httpdoctor.trace.urls import origin_of, path_of, resolve_location

META = RuleMeta(id="meta-refresh-redirect", severity=Severity.WARNING)

MAX_DELAY = 30  # seconds; beyond this a refresh is a timeout, not a stand-in redirect

_SKIPPED = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|noscript|template|style|textarea)\b.*?(?:</\1\s*>|\Z)",
    re.I | re.S,
)
# No "<" inside a tag and bounded lengths: linear time on any body, however hostile.
_META_TAG = re.compile(r"<meta\b((?:[^<>\"']|\"[^\"<]{0,2048}\"|'[^'<]{0,2048}'){0,512})>", re.I)
_ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_REFRESH = re.compile(r"\s*(\d*)(?:\.[\d.]*)?(?:(?:\s*[;,]\s*|\s+)(.*))?\Z", re.S)
_URL_PREFIX = re.compile(r"url\s*=\s*", re.I)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def parse_refresh(content: str) -> tuple[int, str] | None:
    """``(delay, url)`` of a refresh value; url "" for a plain reload; None if invalid."""
    match = _REFRESH.match(content)
    if match is None or (not match[1] and not content.lstrip().startswith(".")):
        return None
    delay = int(match[1] or "0")
    rest = (match[2] or "").strip()
    if prefix := _URL_PREFIX.match(rest):
        rest = rest[prefix.end() :]
    if rest[:1] in ("'", '"'):
        quote, rest = rest[0], rest[1:]
        rest = rest.split(quote, 1)[0]
    return delay, rest.strip()


def _looks_like_html(hop: Hop) -> bool:
    kind = (header(hop, "content-type") or "").split(";", 1)[0].strip().lower()
    if kind:
        return kind in _HTML_TYPES
    head = hop.observation.body_head[:1024]
    return b"\x00" not in head and b"<" in head


def _first_meta_refresh(body: bytes) -> tuple[str, tuple[int, str]] | None:
    """The first valid refresh ``<meta>``, the one a browser acts on: the tag, its value."""
    text = _SKIPPED.sub(" ", body.decode("utf-8", errors="replace"))
    for tag in _META_TAG.finditer(text):
        attributes: dict[str, str] = {}
        for name, double, single, bare in _ATTRIBUTE.findall(tag[1]):
            attributes.setdefault(name.lower(), double or single or bare)
        if attributes.get("http-equiv", "").strip().lower() != "refresh":
            continue
        parsed = parse_refresh(attributes["content"]) if "content" in attributes else None
        if parsed is not None:
            return " ".join(tag[0].split())[:300], parsed
    return None


def _target(page: str, url: str) -> str | None:
    """The absolute address a refresh goes to, if it leaves the page."""
    if not url:
        return None
    resolved = resolve_location(page, url.encode("utf-8", errors="replace"))
    if resolved is None or origin_of(resolved).scheme not in ("http", "https"):
        return None
    if resolved.split("#", 1)[0] == page.split("#", 1)[0]:
        return None
    return resolved


def check(subject: Subject) -> Iterator[Finding]:
    hops = network_hops(subject.chain)
    if not hops or hops[-1] is not subject.chain.hops[-1]:
        return
    page = hops[-1]
    status = page.status
    if page.observation.error is not None or status is None or not 200 <= status <= 299:
        return
    url = page.request.url
    value = header(page, "refresh")
    parsed = parse_refresh(value) if value is not None else None
    # A valid Refresh header wins: browsers then ignore every refresh <meta>.
    if value is not None and parsed is not None:
        source, item = "header", evidence("header", hops=(page.index,), value=value.strip()[:300])
    elif _looks_like_html(page) and (meta := _first_meta_refresh(page.observation.body_head)):
        tag, parsed = meta
        source, item = "meta", evidence("meta", hops=(page.index,), tag=tag)
    else:
        return
    delay, address = parsed
    target = _target(url, address)
    if target is None or delay > MAX_DELAY:
        return
    kind = "instant" if delay == 0 else "delayed"
    items = (
        item,
        evidence(kind, hops=(page.index,), url=url, status=status, delay=delay, target=target),
    )
    path = path_of(url)
    yield META.finding(
        evidence=items,
        hops=(page.index,),
        url=url,
        target=target,
        delay=delay,
        source=source,
        kind=kind,
        status=status,
        path=path,
        path_regex=re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", path),
    )
