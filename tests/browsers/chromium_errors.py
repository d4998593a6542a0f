"""The exception of the Chromium recorder (:mod:`tests.browsers.chromium`) and its parts."""

from __future__ import annotations

__all__ = ["RecorderError"]


class RecorderError(RuntimeError):
    """The recorder could not set up the browser or could not see a navigation end."""
