"""Record the hops that Debian's real Chromium makes when it follows redirects.

This is the browser side of httpdoctor's differential tests: ``trace`` predicts, hop by
hop, what Chrome does (including the synthetic ``307 Internal Redirect`` that HSTS
produces without touching the network), and :class:`ChromiumRecorder` drives the real
headless Chromium to find out what it actually did.

Playwright (its pip wheel carries the Node driver) launches ``/usr/bin/chromium``; no
browser is downloaded. Playwright is used instead of raw CDP because it owns the process
(pipe transport, no debugging port), gives a fresh browser context per
:meth:`ChromiumRecorder.reset` (its own network context, so its own HSTS store, cookie jar
and cache) and still hands out raw CDP sessions for recording.

The parts (this module re-exports the public names it had): the hops come from CDP
``Network`` events on a dedicated session (:mod:`tests.browsers.chromium_events`); the
command line maps host names to loopback and lets nothing but HSTS upgrade http to https
(:mod:`tests.browsers.chromium_switches`); requests other than a plain GET start from
pages the recorder makes itself (:mod:`tests.browsers.chromium_pages`); a test CA is
trusted through an NSS database in a temporary ``$HOME``
(:mod:`tests.browsers.chromium_trust`). Everything lives under one temporary directory
that :meth:`ChromiumRecorder.close` deletes, after making sure that no process it started
is left (:mod:`tests.browsers.chromium_home`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from playwright.sync_api import (
    Browser,
    BrowserContext,
    CDPSession,
    Page,
    Playwright,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from tests.browsers.chromium_errors import RecorderError
from tests.browsers.chromium_events import (
    RECORDED_EVENTS,
    Hop,
    document_request,
    fetch_request,
    hops_from_events,
    preflight_requests,
    recorder,
    request_ended,
)
from tests.browsers.chromium_home import browser_environment, driver_tmpdir, home_processes, reap
from tests.browsers.chromium_pages import (
    FETCH_SCRIPT,
    STUB_HTML,
    STUB_PATH,
    fetch_body64,
    form_fields,
    form_page,
    link_page,
    origin,
    stub_answer,
)
from tests.browsers.chromium_switches import (
    BASE_SWITCHES,
    DEFAULT_EXECUTABLE,
    DISABLED_FEATURES,
    LOOPBACK_AS_PUBLIC_FEATURES,
    NO_AUTO_UPGRADE_FEATURES,
    switches,
)
from tests.browsers.chromium_trust import trust_ca

__all__ = [
    "BASE_SWITCHES",
    "DEFAULT_EXECUTABLE",
    "DISABLED_FEATURES",
    "LOOPBACK_AS_PUBLIC_FEATURES",
    "NO_AUTO_UPGRADE_FEATURES",
    "ChromiumRecorder",
    "Hop",
    "RecorderError",
    "home_processes",
    "hops_from_events",
]


class ChromiumRecorder:
    """Drive headless Chromium and record the hops of each navigation.

    ``hosts`` maps host names to loopback addresses; ``ca_pem`` is a PEM CA certificate
    that the browser trusts for TLS. Use it as a context manager; :meth:`reset` gives a
    fresh browser state (HSTS, cookies, cache) without restarting the browser.
    """

    def __init__(
        self,
        *,
        hosts: Mapping[str, str],
        ca_pem: str | os.PathLike[str] | None = None,
        executable: str = DEFAULT_EXECUTABLE,
        timeout: float = 15.0,
        disable_cache: bool = True,
        extra_args: Sequence[str] = (),
    ) -> None:
        for host, address in hosts.items():
            if not address.startswith("127."):
                raise ValueError(f"{host} must map to a loopback address, not {address}")
        self.hosts = dict(hosts)
        self.ca_pem = None if ca_pem is None else Path(ca_pem)
        self.executable = executable
        self.timeout = timeout
        self.disable_cache = disable_cache
        self.extra_args = tuple(extra_args)
        self._root: Path | None = None
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._page: Page | None = None
        self._cdp: CDPSession | None = None
        self._frame_id = ""
        self._chain_id = ""
        self._events: list[tuple[str, Mapping[str, Any]]] = []
        self._stub_url: str | None = None
        self._stub_html = STUB_HTML
        self.leftover_pids: list[int] = []  # processes close() had to kill
        self.preflights: list[Hop] = []  # CORS preflights of the last fetch()

    # -- lifecycle ------------------------------------------------------------------

    @property
    def home(self) -> Path:
        if self._root is None:
            raise RecorderError("the recorder is not started")
        return self._root / "home"

    @property
    def args(self) -> list[str]:
        """The switches passed to Chromium after Playwright's own."""
        return switches(self.hosts, self.extra_args)

    @property
    def version(self) -> str:
        return self._require_browser().version

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        if self._root is not None:
            raise RecorderError("the recorder is already started")
        self._root = Path(tempfile.mkdtemp(prefix="httpdoctor-chromium-"))
        try:
            home = self.home
            (home / ".pki" / "nssdb").mkdir(parents=True)
            if self.ca_pem is not None:
                trust_ca(self.ca_pem, home / ".pki" / "nssdb")
            env = browser_environment(home, self._root)
            with driver_tmpdir(self._root):
                self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=self.executable,
                headless=True,
                chromium_sandbox=False,
                args=self.args,
                env=env,
                timeout=self.timeout * 1000,
            )
            self._new_context()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the browser, end any process it left, delete the temporary HOME."""
        root, self._root = self._root, None
        browser, self._browser = self._browser, None
        playwright, self._playwright = self._playwright, None
        self._context = self._page = self._cdp = None
        try:
            if browser is not None:
                with suppress(PlaywrightError):
                    browser.close()
        finally:
            if playwright is not None:
                playwright.stop()
            if root is not None:
                self.leftover_pids = reap(root / "home")
                shutil.rmtree(root, ignore_errors=True)

    def reset(self) -> None:
        """Start over in a new browser context: no HSTS entries, cookies or cache."""
        context = self._context
        self._context = self._page = self._cdp = None
        if context is not None:
            context.close()
        self._new_context()

    # -- recording ------------------------------------------------------------------

    def visit(self, url: str) -> list[Hop]:
        """Load ``url`` (GET, waiting for its load event) to prime the browser's state,
        e.g. so that it stores an HSTS policy. Returns the hops as :meth:`navigate`."""
        return self._navigate_get(url, wait_until="load")

    def navigate(
        self,
        url: str,
        method: str = "GET",
        body: Mapping[str, str] | str | bytes | None = None,
    ) -> list[Hop]:
        """Make ``url`` the target of a request and return every hop that followed.

        GET is a top-level navigation. POST submits an HTML form (``body`` as a mapping
        of fields or an urlencoded string) from about:blank, as a top-level navigation.
        Other methods run ``fetch(url, {method, body, redirect: 'follow'})`` from a page
        on the target's origin (served by CDP interception, not by the server).
        """
        method = method.upper()
        self.preflights = []
        if method == "GET":
            if body is not None:
                raise ValueError("a GET navigation carries no body")
            return self._navigate_get(url, wait_until="commit")
        if method == "POST":
            return self._navigate_post(url, form_fields(body))
        return self._fetch(url, method, body)

    def _navigate_get(self, url: str, *, wait_until: Literal["commit", "load"]) -> list[Hop]:
        page = self._fresh_page()
        self._events.clear()
        # A failed navigation is a result too: loadingFailed says how it failed.
        with suppress(PlaywrightError):
            page.goto(url, wait_until=wait_until, timeout=self.timeout * 1000)
        return self._chain(self._document_request)

    def _navigate_post(self, url: str, fields: Sequence[tuple[str, str]]) -> list[Hop]:
        page = self._fresh_page()
        page.set_content(form_page(url, fields))
        self._events.clear()
        page.evaluate("() => { setTimeout(() => document.forms[0].submit(), 0); }")
        return self._chain(self._document_request)

    def navigate_from(
        self,
        referrer: str,
        url: str,
        method: str = "GET",
        body: Mapping[str, str] | str | bytes | None = None,
    ) -> list[Hop]:
        """Like :meth:`navigate` for GET and POST, but from a page at ``referrer`` (served
        by CDP interception, with the browser's default referrer policy): a link click
        for GET, a form submission for POST. The server sees the Referer and Origin the
        browser derives from that page."""
        method = method.upper()
        if method == "GET":
            html_page = link_page(url)
            action = "() => { setTimeout(() => document.getElementById('go').click(), 0); }"
        elif method == "POST":
            html_page = form_page(url, form_fields(body))
            action = "() => { setTimeout(() => document.forms[0].submit(), 0); }"
        else:
            raise ValueError("navigate_from() makes GET and POST navigations only")
        page = self._fresh_page()
        self._show_stub(page, referrer, html_page.encode())
        self._events.clear()
        page.evaluate(action)
        return self._chain(self._document_request)

    def _show_stub(self, page: Page, url: str, html_page: bytes = STUB_HTML) -> None:
        """Load ``html_page`` as if ``url`` had served it, without asking the server."""
        cdp = self._require_cdp()
        self._stub_url, self._stub_html = url, html_page
        cdp.send(
            "Fetch.enable",
            {"patterns": [{"urlPattern": url, "requestStage": "Request"}]},
        )
        try:
            page.goto(url, timeout=self.timeout * 1000)
        finally:
            cdp.send("Fetch.disable")
            self._stub_url, self._stub_html = None, STUB_HTML

    def _fetch(
        self, url: str, method: str, body: Mapping[str, str] | str | bytes | None
    ) -> list[Hop]:
        page = self._fresh_page()
        self._show_stub(page, origin(url) + STUB_PATH)
        body64 = fetch_body64(body)
        self._events.clear()
        failure = page.evaluate(FETCH_SCRIPT, [url, method, body64])

        def find_fetch() -> str | None:
            return fetch_request(self._events, method)

        if failure is not None:
            # fetch() can reject before any request (a forbidden method, a bad URL).
            deadline = time.monotonic() + 1
            while find_fetch() is None and time.monotonic() < deadline:
                page.wait_for_timeout(20)
            if find_fetch() is None:
                raise RecorderError(f"fetch() made no request: {failure}")
        hops = self._chain(find_fetch)
        self.preflights = self._preflights(self._chain_id)
        return hops

    def _preflights(self, request_id: str) -> list[Hop]:
        """The CORS preflights Chromium sent for the fetch() just recorded (a redirect
        to another origin, an HSTS upgrade included, makes a PUT need one)."""
        page = self._require_page()
        ids = preflight_requests(self._events, request_id)
        deadline = time.monotonic() + self.timeout
        while not all(self._ended(i) for i in ids) and time.monotonic() < deadline:
            page.wait_for_timeout(20)
        return [hop for i in ids for hop in hops_from_events(self._events, i)]

    def _document_request(self) -> str | None:
        return document_request(self._events, self._frame_id)

    def _chain(self, find_request: Callable[[], str | None]) -> list[Hop]:
        """Wait until the request found by ``find_request`` ends, then build its hops."""
        page = self._require_page()
        deadline = time.monotonic() + self.timeout
        request_id: str | None = None
        while request_id is None or not self._ended(request_id):
            if time.monotonic() > deadline:
                if request_id is None:
                    raise RecorderError("Chromium made no request for this navigation")
                partial = hops_from_events(self._events, request_id)
                raise RecorderError(f"the request did not end within {self.timeout} s: {partial}")
            page.wait_for_timeout(20)  # lets Playwright deliver the pending CDP events
            request_id = request_id or find_request()
        self._chain_id = request_id
        return hops_from_events(self._events, request_id)

    def _ended(self, request_id: str) -> bool:
        return request_ended(self._events, request_id)

    # -- internals ------------------------------------------------------------------

    def _new_context(self) -> None:
        browser = self._require_browser()
        self._context = browser.new_context(service_workers="block")
        self._page = self._cdp = None

    def _fresh_page(self) -> Page:
        """A new tab for each navigation, so that nothing left over from the last one
        (an error page still committing, late subresources) can interfere."""
        if self._context is None:
            raise RecorderError("the recorder is not started")
        old = self._page
        self._page = self._cdp = None
        if old is not None:
            old.close()
        page = self._context.new_page()
        cdp = self._context.new_cdp_session(page)
        for name in RECORDED_EVENTS:
            cdp.on(name, recorder(self._events, name))
        cdp.on("Fetch.requestPaused", self._serve_stub)
        cdp.send("Network.enable")
        if self.disable_cache:
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self._frame_id = str(cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"])
        self._page, self._cdp = page, cdp
        return page

    def _serve_stub(self, params: Mapping[str, Any]) -> None:
        cdp = self._require_cdp()
        cdp.send(*stub_answer(params, self._stub_url, self._stub_html))

    def _require_browser(self) -> Browser:
        if self._browser is None:
            raise RecorderError("the recorder is not started")
        return self._browser

    def _require_page(self) -> Page:
        if self._page is None:
            raise RecorderError("the recorder is not started")
        return self._page

    def _require_cdp(self) -> CDPSession:
        if self._cdp is None:
            raise RecorderError("the recorder is not started")
        return self._cdp
