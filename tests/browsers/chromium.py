"""Record the hops that Debian's real Chromium makes when it follows redirects.

This is the browser side of httpdoctor's differential tests: ``trace`` predicts, hop by
hop, what Chrome does (including the synthetic ``307 Internal Redirect`` that HSTS
produces without touching the network), and :class:`ChromiumRecorder` drives the real
headless Chromium to find out what it actually did.

How it works:

* Playwright (its pip wheel carries the Node driver) launches ``/usr/bin/chromium``; no
  browser is downloaded. Playwright is used instead of raw CDP because it owns the
  process (pipe transport, no debugging port), gives a fresh browser context per
  :meth:`ChromiumRecorder.reset` (its own network context, so its own HSTS store, cookie
  jar and cache) and still hands out raw CDP sessions for recording.
* The hops are read from CDP ``Network`` events on a dedicated session:
  ``requestWillBeSent`` (``redirectResponse`` closes the previous hop),
  ``responseReceived`` (the final hop) and ``loadingFailed`` (the error).
* A test CA is trusted through an NSS database in a temporary ``$HOME``
  (``$HOME/.pki/nssdb``, made with ``certutil`` from Debian's ``libnss3-tools``).
* Host names go to loopback addresses with ``--host-resolver-rules``; every other name
  is NOTFOUND, so nothing tries to reach the internet.
* Every switch that upgrades http to https outside HSTS is pinned off (HTTPS-Upgrades,
  HTTPS-First Mode in all its flavours, DNS HTTPS records).

Everything lives under one temporary directory that :meth:`ChromiumRecorder.close`
deletes, after making sure that no process it started is left.
"""

from __future__ import annotations

import base64
import html
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Literal, Self
from urllib.parse import parse_qsl, urlencode, urlsplit

from playwright.sync_api import (
    Browser,
    BrowserContext,
    CDPSession,
    Page,
    Playwright,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

DEFAULT_EXECUTABLE: Final = "/usr/bin/chromium"

# Chromium keeps only the last ``--disable-features`` switch, and Playwright puts its own
# list first, so the one passed here must repeat Playwright's (1.65.2,
# server/chromium/chromiumSwitches.ts) and then add ours.
_PLAYWRIGHT_DISABLED_FEATURES: Final = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
)
# Everything that would turn http:// into https:// for a reason other than HSTS
# (chrome/common/chrome_features.cc, net/base/features.cc). Unknown names are ignored
# by Chromium, so the list is safe across versions.
NO_AUTO_UPGRADE_FEATURES: Final = (
    "HttpsUpgrades",
    "HttpsFirstBalancedMode",
    "HttpsFirstBalancedModeAutoEnable",
    "HttpsFirstModeV2ForEngagedSites",
    "HttpsFirstModeV2ForTypicallySecureUsers",
    "HttpsFirstModeIncognito",
    "HttpsFirstModeIncognitoNewSettings",
    "HttpsOnlyModeForAdvancedProtectionUsers",
    "UseDnsHttpsSvcb",
)
# The test hosts live on loopback, which Local Network Access treats as a private
# network: a real site is public, so these checks would only get in the way (they block
# e.g. a fetch() that an HSTS upgrade turns cross-origin, as InsecureLocalNetwork).
LOOPBACK_AS_PUBLIC_FEATURES: Final = (
    "LocalNetworkAccessChecks",
    "LocalNetworkAccessChecksWebSockets",
    "LocalNetworkAccessChecksWebTransport",
    "BlockInsecurePrivateNetworkRequests",
    "PrivateNetworkAccessSendPreflights",
    "PrivateNetworkAccessRespectPreflightResults",
)
DISABLED_FEATURES: Final = tuple(
    dict.fromkeys(
        (*_PLAYWRIGHT_DISABLED_FEATURES, *NO_AUTO_UPGRADE_FEATURES, *LOOPBACK_AS_PUBLIC_FEATURES)
    )
)
# Keep a browser on a machine without network quiet and deterministic.
BASE_SWITCHES: Final = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-pings",
)

_CHAIN_DONE: Final = ("Network.loadingFinished", "Network.loadingFailed")
_RECORDED_EVENTS: Final = (
    "Network.requestWillBeSent",
    "Network.responseReceived",
    *_CHAIN_DONE,
)
# The page that hosts fetch() for methods other than GET/POST. It is served by CDP
# interception on the target's origin, so preparing it neither reaches the server nor
# changes the browser's HSTS state.
_STUB_PATH: Final = "/__httpdoctor_chromium_recorder__"
# An inline icon keeps the browser from asking the server for /favicon.ico.
_PAGE_HEAD: Final = (
    '<!doctype html><meta charset=utf-8><link rel=icon href="data:,">'
    "<title>httpdoctor recorder</title>"
)
_STUB_HTML: Final = _PAGE_HEAD.encode()
_FETCH_SCRIPT: Final = """async ([url, method, body64]) => {
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Hop:
    """One request of a redirect chain, as Chromium reported it over CDP.

    ``status``/``status_text``/``location`` describe the response to this request: for
    a redirect that is the ``redirectResponse`` of the next request, for the last hop
    the final response. When the last request failed, ``error`` holds Chromium's net
    error (``net::ERR_TOO_MANY_REDIRECTS``, ``net::ERR_CERT_COMMON_NAME_INVALID``, ...).
    A request that failed before Chromium accepted a response has no status, whatever
    the server answered (the redirect that broke the limit); one whose response came
    and was then dropped keeps it (a 204 navigation: 204 and ``net::ERR_ABORTED``).

    ``synthetic`` marks the browser's internal redirect (HSTS): status 307 with reason
    phrase ``Internal Redirect`` or a ``Non-Authoritative-Reason`` header, whose value
    is ``reason`` (``HSTS``, ``DNS``, ``HttpsUpgrades``). ``protocol`` is what the
    response came over, in CDP's words (``http/1.1``, ``h2``).
    """

    url: str
    method: str
    status: int | None
    status_text: str | None
    synthetic: bool
    location: str | None
    error: str | None
    reason: str | None = None
    # Left out of ==: the hop tests compare chains; protocols are compared where meant.
    protocol: str | None = field(default=None, compare=False)


class RecorderError(RuntimeError):
    """The recorder could not set up the browser or could not see a navigation end."""


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return str(value)
    return None


@dataclass(slots=True)
class _OpenHop:
    url: str
    method: str
    status: int | None = None
    status_text: str | None = None
    location: str | None = None
    reason: str | None = None
    error: str | None = None
    protocol: str | None = None

    def respond(self, response: Mapping[str, Any]) -> None:
        headers: Mapping[str, Any] = response.get("headers", {})
        self.status = int(response["status"])
        self.status_text = str(response.get("statusText", ""))
        self.location = _header(headers, "Location")
        self.reason = _header(headers, "Non-Authoritative-Reason")
        self.protocol = str(response["protocol"]) if response.get("protocol") else None

    @property
    def synthetic(self) -> bool:
        return self.status == 307 and (
            self.status_text == "Internal Redirect" or self.reason is not None
        )

    def freeze(self) -> Hop:
        return Hop(
            url=self.url,
            method=self.method,
            status=self.status,
            status_text=self.status_text,
            synthetic=self.synthetic,
            location=self.location,
            error=self.error,
            reason=self.reason,
            protocol=self.protocol,
        )


def hops_from_events(events: Iterable[tuple[str, Mapping[str, Any]]], request_id: str) -> list[Hop]:
    """Turn the CDP Network events of one request (and its redirects) into hops."""
    hops: list[_OpenHop] = []
    for name, params in events:
        if params.get("requestId") != request_id:
            continue
        if name == "Network.requestWillBeSent":
            redirect = params.get("redirectResponse")
            if redirect is not None and hops:
                hops[-1].respond(redirect)
            request = params["request"]
            url = str(request["url"]) + str(request.get("urlFragment", ""))
            hops.append(_OpenHop(url=url, method=str(request["method"])))
        elif name == "Network.responseReceived" and hops and hops[-1].status is None:
            hops[-1].respond(params["response"])
        elif name == "Network.loadingFailed" and hops:
            hops[-1].error = str(params.get("errorText") or "net::ERR_FAILED")
    return [hop.freeze() for hop in hops]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def _form_fields(body: Mapping[str, str] | str | bytes | None) -> list[tuple[str, str]]:
    if body is None:
        return []
    if isinstance(body, Mapping):
        return [(str(k), str(v)) for k, v in body.items()]
    text = body.decode() if isinstance(body, bytes) else body
    return parse_qsl(text, keep_blank_values=True)


def _form_page(url: str, fields: Sequence[tuple[str, str]]) -> str:
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields
    )
    return (
        f'{_PAGE_HEAD}<form method="post" action="{html.escape(url)}" '
        f'enctype="application/x-www-form-urlencoded">{inputs}</form>'
    )


@contextmanager
def _driver_tmpdir(path: Path) -> Iterator[None]:
    """Start Playwright's driver with TMPDIR inside the recorder's directory, so that the
    browser profile it creates (``--user-data-dir``) is deleted with that directory."""
    old = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(path)
    try:
        yield
    finally:
        if old is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = old


def home_processes(home: Path) -> list[int]:
    """PIDs of processes whose environment has this HOME: the browser and its children."""
    marker = b"HOME=" + os.fsencode(home)
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


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
        self._stub_html = _STUB_HTML
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
        rules = [f"MAP {host} {address}" for host, address in self.hosts.items()]
        # Everything else is NOTFOUND, except loopback addresses used as literals.
        rules += ["MAP * ~NOTFOUND", "EXCLUDE localhost", "EXCLUDE 127.*"]
        return [
            *BASE_SWITCHES,
            "--host-resolver-rules=" + ", ".join(rules),
            "--disable-features=" + ",".join(DISABLED_FEATURES),
            *self.extra_args,
        ]

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
                self._trust(self.ca_pem, home / ".pki" / "nssdb")
            env: dict[str, str | float | bool] = {
                k: v for k, v in os.environ.items() if k != "CHROMIUM_FLAGS"
            }
            env.update(
                HOME=str(home),
                XDG_CONFIG_HOME=str(home / ".config"),
                XDG_CACHE_HOME=str(home / ".cache"),
                TMPDIR=str(self._root),
            )
            with _driver_tmpdir(self._root):
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
                self.leftover_pids = self._reap(root / "home")
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
            return self._navigate_post(url, _form_fields(body))
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
        page.set_content(_form_page(url, fields))
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
            html_page = f'{_PAGE_HEAD}<a id="go" href="{html.escape(url)}">go</a>'
            action = "() => { setTimeout(() => document.getElementById('go').click(), 0); }"
        elif method == "POST":
            html_page = _form_page(url, _form_fields(body))
            action = "() => { setTimeout(() => document.forms[0].submit(), 0); }"
        else:
            raise ValueError("navigate_from() makes GET and POST navigations only")
        page = self._fresh_page()
        self._show_stub(page, referrer, html_page.encode())
        self._events.clear()
        page.evaluate(action)
        return self._chain(self._document_request)

    def _show_stub(self, page: Page, url: str, html_page: bytes = _STUB_HTML) -> None:
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
            self._stub_url, self._stub_html = None, _STUB_HTML

    def _fetch(
        self, url: str, method: str, body: Mapping[str, str] | str | bytes | None
    ) -> list[Hop]:
        page = self._fresh_page()
        self._show_stub(page, _origin(url) + _STUB_PATH)
        if isinstance(body, Mapping):
            body = urlencode(list(body.items()))
        if isinstance(body, str):
            body = body.encode()
        body64 = None if body is None else base64.b64encode(body).decode()
        self._events.clear()
        failure = page.evaluate(_FETCH_SCRIPT, [url, method, body64])

        def fetch_request() -> str | None:
            for name, params in self._events:
                if (
                    name == "Network.requestWillBeSent"
                    and params.get("type") == "Fetch"
                    and params["request"]["method"] == method
                ):
                    return str(params["requestId"])
            return None

        if failure is not None:
            # fetch() can reject before any request (a forbidden method, a bad URL).
            deadline = time.monotonic() + 1
            while fetch_request() is None and time.monotonic() < deadline:
                page.wait_for_timeout(20)
            if fetch_request() is None:
                raise RecorderError(f"fetch() made no request: {failure}")
        hops = self._chain(fetch_request)
        self.preflights = self._preflights(self._chain_id)
        return hops

    def _preflights(self, request_id: str) -> list[Hop]:
        """The CORS preflights Chromium sent for the fetch() just recorded (a redirect
        to another origin, an HSTS upgrade included, makes a PUT need one)."""
        page = self._require_page()
        ids: list[str] = []
        for name, params in self._events:
            initiator = params.get("initiator", {})
            if (
                name == "Network.requestWillBeSent"
                and initiator.get("type") == "preflight"
                and initiator.get("requestId") == request_id
            ):
                ids.append(str(params["requestId"]))
        deadline = time.monotonic() + self.timeout
        while not all(self._ended(i) for i in ids) and time.monotonic() < deadline:
            page.wait_for_timeout(20)
        return [hop for i in ids for hop in hops_from_events(self._events, i)]

    def _document_request(self) -> str | None:
        for name, params in self._events:
            if (
                name == "Network.requestWillBeSent"
                and params.get("type") == "Document"
                and params.get("frameId") == self._frame_id
                and "redirectResponse" not in params
            ):
                return str(params["requestId"])
        return None

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
        return any(
            name in _CHAIN_DONE and params.get("requestId") == request_id
            for name, params in self._events
        )

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
        for name in _RECORDED_EVENTS:
            cdp.on(name, self._recorder(name))
        cdp.on("Fetch.requestPaused", self._serve_stub)
        cdp.send("Network.enable")
        if self.disable_cache:
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self._frame_id = str(cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"])
        self._page, self._cdp = page, cdp
        return page

    def _recorder(self, name: str) -> Callable[[Mapping[str, Any]], None]:
        def record(params: Mapping[str, Any]) -> None:
            self._events.append((name, params))

        return record

    def _serve_stub(self, params: Mapping[str, Any]) -> None:
        cdp = self._require_cdp()
        if params["request"]["url"] == self._stub_url:
            cdp.send(
                "Fetch.fulfillRequest",
                {
                    "requestId": params["requestId"],
                    "responseCode": 200,
                    "responseHeaders": [{"name": "Content-Type", "value": "text/html"}],
                    "body": base64.b64encode(self._stub_html).decode(),
                },
            )
        else:
            cdp.send("Fetch.continueRequest", {"requestId": params["requestId"]})

    def _trust(self, ca_pem: Path, nssdb: Path) -> None:
        certutil = shutil.which("certutil")
        if certutil is None:
            raise RecorderError("certutil is missing: apt-get install -y libnss3-tools")
        for command in (
            [certutil, "-N", "-d", f"sql:{nssdb}", "--empty-password"],
            [
                certutil,
                "-A",
                "-d",
                f"sql:{nssdb}",
                "-n",
                "httpdoctor CA",
                "-t",
                "C,,",
                "-i",
                str(ca_pem),
            ],
        ):
            subprocess.run(command, check=True, capture_output=True, timeout=30)

    @staticmethod
    def _reap(home: Path) -> list[int]:
        """Kill (by PID) whatever this recorder's browser left behind; return the PIDs."""
        deadline = time.monotonic() + 5
        pids = home_processes(home)
        while pids and time.monotonic() < deadline:
            time.sleep(0.1)  # Chromium's helpers exit on their own shortly after close
            pids = home_processes(home)
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return pids

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
