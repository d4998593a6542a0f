"""A one-line "waiting for …" status on stderr while hops are slow, on terminals only."""

from __future__ import annotations

import threading
import time

from httpdoctor.cli.env import Environment
from httpdoctor.i18n import Lang
from httpdoctor.report.messages import message
from httpdoctor.trace.tracer import Fetch

__all__ = ["Progress"]

_DELAY = 0.3  # seconds before a hop counts as slow enough to mention
_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Progress:
    def __init__(self, env: Environment, lang: Lang) -> None:
        self._env = env
        self._lang = lang
        self._enabled = env.stderr_isatty and not env.environ.get("CI")
        self._label = ""
        self._since = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._shown = False

    def __enter__(self) -> Progress:
        if self._enabled:
            self._thread = threading.Thread(target=self._spin, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1)
        if self._shown:
            self._env.stderr.write("\r\x1b[2K")
            self._env.stderr.flush()

    def fetching(self, action: Fetch) -> None:
        if not self._enabled:
            return  # the label's text would be loaded and formatted for nobody
        self._label = message("trace.waiting", self._lang, url=action.request.url)
        self._since = time.monotonic()

    def _spin(self) -> None:
        frame = 0
        while not self._stop.wait(0.1):
            if self._label and time.monotonic() - self._since > _DELAY:
                line = f"\r\x1b[2K{_FRAMES[frame % len(_FRAMES)]} {self._label}"
                self._env.stderr.write(line[: self._env.width])
                self._env.stderr.flush()
                self._shown = True
                frame += 1
