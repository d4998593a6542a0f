"""nginx configuration text → :class:`Config`, for tests.

Uses the project's loader (``servers.common.loader.load_nginx``) when it exists; until
then a small stand-in runs crossplane on a temporary file and applies nginx's own
unescaping of ``\\"``, ``\\'``, ``\\\\``, ``\\t``, ``\\r``, ``\\n`` (crossplane keeps
most escapes as written; nginx's ``ngx_conf_read_token`` resolves them).
"""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from typing import Any

import crossplane

from httpdoctor.servers.nginx.model import Config, Directive, SourceSpan

__all__ = ["config_from_path", "config_from_text", "nginx_unescape"]

_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "t": "\t", "r": "\r", "n": "\n"}


def nginx_unescape(token: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(token):
        if token[i] == "\\" and i + 1 < len(token) and token[i + 1] in _ESCAPES:
            out.append(_ESCAPES[token[i + 1]])
            i += 2
        else:
            out.append(token[i])
            i += 1
    return "".join(out)


def _convert(items: list[dict[str, Any]], file: str) -> tuple[Directive, ...]:
    result = []
    for item in items:
        block = item.get("block")
        result.append(
            Directive(
                name=nginx_unescape(item["directive"]),
                args=tuple(nginx_unescape(a) for a in item["args"]),
                span=SourceSpan(file=file, line=item["line"]),
                block=_convert(block, file) if block is not None else None,
            )
        )
    return tuple(result)


def _loader() -> Any:
    try:
        module = importlib.import_module("httpdoctor.servers.common.loader")
    except ImportError:
        return None
    return getattr(module, "load_nginx", None)


def config_from_path(path: Path) -> Config:
    """The configuration in ``path`` (no includes needed)."""
    load = _loader()
    if load is not None:
        config: Config = load(str(path))
        return config
    payload = crossplane.parse(
        str(path), single=True, check_ctx=False, check_args=False, catch_errors=False
    )
    parsed = payload["config"][0]["parsed"]
    return Config(
        directives=_convert(parsed, str(path)), files=(str(path),), prefix=str(path.parent)
    )


def config_from_text(text: str, name: str = "nginx.conf") -> Config:
    """Parse ``text`` as a whole nginx.conf (wrap server blocks in ``http {}`` yourself)."""
    with tempfile.TemporaryDirectory(prefix="httpdoctor-nginx-text-") as directory:
        path = Path(directory) / name
        path.write_text(text, encoding="utf-8")
        return config_from_path(path)
