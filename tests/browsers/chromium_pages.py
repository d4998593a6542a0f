"""The pages and the script the recorder shows Chromium to make it send a request.

A POST is a form submitted from about:blank (:func:`form_page`); a request from another
page is a link (:func:`link_page`) or a form on a page at that address; any other method is
a ``fetch()`` (:data:`FETCH_SCRIPT`) from a stub page on the target's origin. Pages at an
address are served by CDP interception (:func:`stub_answer`), so preparing them neither
reaches the server nor changes the browser's HSTS state.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit

__all__ = [
    "FETCH_SCRIPT",
    "PAGE_HEAD",
    "STUB_HTML",
    "STUB_PATH",
    "fetch_body64",
    "form_fields",
    "form_page",
    "link_page",
    "origin",
    "stub_answer",
]

# The page that hosts fetch() for methods other than GET/POST. It is served by CDP
# interception on the target's origin, so preparing it neither reaches the server nor
# changes the browser's HSTS state.
STUB_PATH: Final = "/__httpdoctor_chromium_recorder__"
# An inline icon keeps the browser from asking the server for /favicon.ico.
PAGE_HEAD: Final = (
    '<!doctype html><meta charset=utf-8><link rel=icon href="data:,">'
    "<title>httpdoctor recorder</title>"
)
STUB_HTML: Final = PAGE_HEAD.encode()
FETCH_SCRIPT: Final = """async ([url, method, body64]) => {
  const init = {method, redirect: 'follow', cache: 'no-store'};
  if (body64 !== null) {
    init.body = Uint8Array.from(atob(body64), (c) => c.charCodeAt(0));
  }
  try {
    const response = await fetch(url, init);
    await response.arrayBuffer();
    return null;
  } catch (error) {
    return String(error);
  }
}"""


def origin(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def form_fields(body: Mapping[str, str] | str | bytes | None) -> list[tuple[str, str]]:
    if body is None:
        return []
    if isinstance(body, Mapping):
        return [(str(k), str(v)) for k, v in body.items()]
    text = body.decode() if isinstance(body, bytes) else body
    return parse_qsl(text, keep_blank_values=True)


def form_page(url: str, fields: Sequence[tuple[str, str]]) -> str:
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields
    )
    return (
        f'{PAGE_HEAD}<form method="post" action="{html.escape(url)}" '
        f'enctype="application/x-www-form-urlencoded">{inputs}</form>'
    )


def link_page(url: str) -> str:
    """A page with one link to ``url`` (``id="go"``)."""
    return f'{PAGE_HEAD}<a id="go" href="{html.escape(url)}">go</a>'


def fetch_body64(body: Mapping[str, str] | str | bytes | None) -> str | None:
    """The body argument of :data:`FETCH_SCRIPT`: base64, a mapping urlencoded first."""
    if isinstance(body, Mapping):
        body = urlencode(list(body.items()))
    if isinstance(body, str):
        body = body.encode()
    return None if body is None else base64.b64encode(body).decode()


def stub_answer(
    params: Mapping[str, Any], url: str | None, html_page: bytes
) -> tuple[str, dict[str, Any]]:
    """The CDP command that answers a paused request (``Fetch.requestPaused`` ``params``):
    ``html_page`` if the request is for ``url``, else the request goes on to the network."""
    if params["request"]["url"] == url:
        return (
            "Fetch.fulfillRequest",
            {
                "requestId": params["requestId"],
                "responseCode": 200,
                "responseHeaders": [{"name": "Content-Type", "value": "text/html"}],
                "body": base64.b64encode(html_page).decode(),
            },
        )
    return ("Fetch.continueRequest", {"requestId": params["requestId"]})
