"""Reads the package's own data files (the ``data/`` folders beside the code).

This is the single place where core packages get bytes from disk, and only their own
bundled tables. Two choices here are made for start-up time, which ``httpdoctor
explain`` cannot spend (measured in ``bench/startup.py``):

* ``importlib.resources`` would be the textbook reader, but importing it costs about
  twice a bare interpreter start; pip always installs this package unzipped, so a path
  relative to ``__file__`` is equivalent.
* TOML is what people edit, but ``tomllib`` is pure Python: parsing the tables for one
  code costs more than the rest of the command. Each parsed file is therefore cached as
  ``marshal`` data (a C codec, no import cost) in the user's cache folder, keyed by the
  file's path, size and modification time, so an edited file is re-read at once. When
  the cache cannot be written, everything still works, only slower.
"""

from __future__ import annotations

import marshal
import os

from httpdoctor.errors import DataError

TYPE_CHECKING = False  # importing typing would cost start-up time; see bench/startup.py
if TYPE_CHECKING:
    from typing import Any

__all__ = ["cache_dir", "data_dir", "list_data", "load_toml"]

_ROOT = os.path.dirname(os.path.abspath(__file__))
# Bump when the cached shape changes; old entries are then ignored.
_CACHE_FORMAT = "1"


def data_dir(package: str, *parts: str) -> str:
    """Absolute path of ``<package>/data/<parts…>`` inside httpdoctor (``""``: its own)."""
    return os.path.join(_ROOT, *package.split("."), "data", *parts)


def list_data(package: str, folder: str, suffix: str = ".toml") -> list[str]:
    """Names of the files in a data folder ending with ``suffix``, sorted."""
    try:
        names = os.listdir(data_dir(package, folder))
    except OSError as exc:
        raise DataError.of("data.folder_missing", folder=f"{package}/data/{folder}") from exc
    return sorted(n for n in names if n.endswith(suffix))


def cache_dir() -> str | None:
    """Where parsed data is cached, or None when caching is switched off.

    ``HTTPDOCTOR_CACHE_DIR`` overrides the location; setting it empty disables the cache.
    """
    configured = os.environ.get("HTTPDOCTOR_CACHE_DIR")
    if configured is not None:
        return configured or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "httpdoctor", "data")


def _cache_path(path: str, stat: os.stat_result) -> str | None:
    folder = cache_dir()
    if folder is None:
        return None
    relative = os.path.relpath(path, _ROOT).replace(os.sep, "%")
    return os.path.join(
        folder, f"{relative}.{_CACHE_FORMAT}.{stat.st_size}.{stat.st_mtime_ns}.marshal"
    )


def _read_cached(cached: str | None) -> dict[str, Any] | None:
    if cached is None:
        return None
    try:
        with open(cached, "rb") as fh:
            value = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if isinstance(value, dict) else None


def _write_cached(cached: str | None, value: dict[str, Any]) -> None:
    if cached is None:
        return
    try:
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        temporary = f"{cached}.{os.getpid()}.tmp"
        with open(temporary, "wb") as fh:
            marshal.dump(value, fh)
        os.replace(temporary, cached)  # atomic: a concurrent reader never sees half a file
    except (OSError, ValueError):
        pass  # a read-only home or exotic values only cost speed


def _parse(path: str) -> dict[str, Any]:
    import tomllib  # only on a cache miss

    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise DataError.of("data.not_toml", path=path, reason=exc) from exc


def load_toml(package: str, *parts: str) -> dict[str, Any]:
    """Parse one bundled TOML file; a broken file is a DataError naming it."""
    path = data_dir(package, *parts)
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise DataError.of("data.unreadable", path=path, reason=exc.strerror) from exc
    cached = _cache_path(path, stat)
    value = _read_cached(cached)
    if value is None:
        value = _parse(path)
        _write_cached(cached, value)
    return value
