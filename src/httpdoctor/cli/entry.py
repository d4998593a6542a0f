"""The console script and ``python -m httpdoctor``: start fast, then hand over to main."""

from __future__ import annotations

import _thread
import gc
import os
import sys
import time

from httpdoctor._lazy import defer

_GC_HOLD_SECONDS = 1.0


def main() -> int:
    code = dispatch()
    _leave(code)
    return code  # only reached when a stream refused its last flush


def dispatch() -> int:
    """Start lean and run the command line in ``sys.argv``; the exit code."""
    defer("inspect")  # see httpdoctor._lazy: dataclasses would import it for nothing
    _hold_gc()
    from httpdoctor.cli.main import main as run_main

    return run_main()


def _hold_gc() -> None:
    """Keep the cyclic collector off while start-up imports, and give it back after a second.

    Imports create tens of thousands of objects that live as long as the process; the
    collector scans them again and again for nothing (~10 ms of a trace, bench/trace.py).
    A command still running after a second (lab serve, long traces) gets the collector
    back, with the start-up objects frozen out of its scans. A bare ``_thread`` sleeper
    costs nothing to import, unlike ``threading``, which explain does not otherwise load.
    """
    gc.disable()

    def resume() -> None:
        time.sleep(_GC_HOLD_SECONDS)
        gc.freeze()
        gc.enable()

    _thread.start_new_thread(resume, ())


def _leave(code: int) -> None:
    """End the process without the interpreter's tear-down.

    Freeing every module and object one by one costs a trace ~10 ms (bench/trace.py)
    for a process that is about to vanish anyway. Nothing of ours needs it: files are
    written and closed before ``run`` returns, worker threads are daemons that are done,
    and we register no atexit hooks. What must survive is what the user reads, so the
    streams are flushed first; if that fails, the normal exit path reports it.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)
