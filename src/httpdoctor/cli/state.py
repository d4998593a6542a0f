"""User files the trace reads and writes: the HSTS store and the updated preload list.

The only place, with the command modules, that touches the user's disk (ARCHITECTURE.md
principle 1); the formats are parsed by the pure code in ``httpdoctor.hsts``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from httpdoctor.errors import UsageError
from httpdoctor.hsts.preload import PreloadList, bundled_list, parse_chromium_json
from httpdoctor.hsts.store import DynamicEntry, HstsStore

__all__ = ["load_preload_list", "load_store", "preload_cache_path", "save_preload", "save_store"]


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "httpdoctor"


def preload_cache_path() -> Path:
    override = os.environ.get("HTTPDOCTOR_PRELOAD_LIST")
    return (
        Path(override)
        if override
        else _cache_root() / "preload" / "transport_security_state_static.json"
    )


def load_preload_list() -> PreloadList:
    """The user's updated Chromium list when there is one, else the bundled package."""
    path = preload_cache_path()
    if path.is_file():
        version_file = path.with_suffix(".version")
        version = version_file.read_text().strip() if version_file.is_file() else "user"
        return parse_chromium_json(path.read_text(encoding="utf-8"), version=version)
    return bundled_list()


def save_preload(source: Path) -> tuple[Path, PreloadList]:
    """Validate a Chromium list and install it in the cache; returns where and what."""
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError.of("hsts.list_unreadable", path=source, reason=exc) from None
    from datetime import UTC, datetime

    stamp = datetime.fromtimestamp(source.stat().st_mtime, tz=UTC).date().isoformat()
    parsed = parse_chromium_json(text, version=stamp)
    target = preload_cache_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    target.with_suffix(".version").write_text(stamp + "\n")
    return target, parsed


def load_store(path: Path | None) -> HstsStore:
    if path is None or not path.exists():
        return HstsStore()
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["entries"]
        entries = tuple(
            DynamicEntry(
                host=str(r["host"]),
                include_subdomains=bool(r["include_subdomains"]),
                expires_at=float(r["expires_at"]),
                observed_at=float(r["observed_at"]),
                header=str(r["header"]),
            )
            for r in rows
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError.of("hsts.store_invalid", path=path, reason=exc) from None
    return HstsStore(entries=entries)


def save_store(path: Path, store: HstsStore) -> None:
    payload = {
        "format": "httpdoctor-hsts-store/1",
        "entries": [
            {
                "host": e.host,
                "include_subdomains": e.include_subdomains,
                "expires_at": e.expires_at,
                "observed_at": e.observed_at,
                "header": e.header,
            }
            for e in store.entries
        ],
    }
    try:
        path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError.of("hsts.store_unwritable", path=path, reason=exc.strerror) from None
