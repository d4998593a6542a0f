"""Quick structural check of meaning files (used while authoring; the test suite checks more)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src/httpdoctor/codes/data"
KINDS = {"status", "look-alike", "warn-code"}
STATUSES = {"current", "deprecated", "unused", "obsolete", "unofficial"}
FIX_FOR = {
    "generic",
    "nginx",
    "apache",
    "iis",
    "panel",
    "cdn",
    "cloudflare",
    "aws",
    "app",
    "client",
    "browser",
}
STACKS = {"python", "go", "rails", "symfony", "dotnet", "rust", "java", "node", "angular"}
REDIRECT = {
    "method_preserved",
    "body_preserved",
    "permanent",
    "cacheable_by_default",
    "followed_by_browsers",
}
ALLOWED = {
    "code",
    "id",
    "name",
    "aliases",
    "kind",
    "origin",
    "source",
    "source_url",
    "status",
    "rank",
    "headers",
    "see_also",
    "redirect",
    "summary",
    "details",
    "causes",
    "fixes",
    "seo",
    "config",
    "code_refs",
}


def text(errs: list[str], where: str, value: object) -> None:
    if not isinstance(value, dict) or set(value) != {"en", "ru"}:
        errs.append(f"{where}: must be a table with exactly en and ru")
        return
    for lang in ("en", "ru"):
        if not isinstance(value[lang], str) or not value[lang].strip():
            errs.append(f"{where}.{lang}: empty")
    ru = value["ru"]
    if isinstance(ru, str) and not any("а" <= ch <= "я" for ch in ru.lower()):
        errs.append(f"{where}.ru: has no Cyrillic letters")


def check(path: Path, origins: set[str]) -> list[str]:
    errs: list[str] = []
    try:
        d = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        return [f"TOML error: {e}"]
    for k in set(d) - ALLOWED:
        errs.append(f"unknown key {k}")
    for k in (
        "code",
        "id",
        "name",
        "kind",
        "origin",
        "source",
        "status",
        "rank",
        "headers",
        "summary",
        "causes",
        "fixes",
    ):
        if k not in d:
            errs.append(f"missing {k}")
    if errs:
        return errs
    if path.name != f"{d['code']}-{d['id']}.toml":
        errs.append(f"file name must be {d['code']}-{d['id']}.toml")
    if not (100 <= d["code"] <= 599):
        errs.append("code out of range")
    if d["kind"] not in KINDS:
        errs.append(f"kind {d['kind']!r}")
    if d["status"] not in STATUSES:
        errs.append(f"status {d['status']!r}")
    if d["origin"] not in origins:
        errs.append(f"origin {d['origin']!r} not in products.toml")
    text(errs, "summary", d["summary"])
    if "details" in d:
        text(errs, "details", d["details"])
    if not 2 <= len(d["causes"]) <= 7:
        errs.append("causes: 2..7 entries")
    for i, c in enumerate(d["causes"]):
        text(errs, f"causes[{i}]", c)
    if not 2 <= len(d["fixes"]) <= 8:
        errs.append("fixes: 2..8 entries")
    for i, f in enumerate(d["fixes"]):
        if f.get("for") not in FIX_FOR:
            errs.append(f"fixes[{i}].for {f.get('for')!r}")
        extra = set(f) - {"for", "en", "ru", "snippet"}
        if extra:
            errs.append(f"fixes[{i}] unknown keys {extra}")
        text(errs, f"fixes[{i}]", {k: f[k] for k in ("en", "ru") if k in f})
    cls = d["code"] // 100
    if cls >= 3 and "seo" not in d:
        errs.append("seo required for 3xx/4xx/5xx")
    if "seo" in d:
        text(errs, "seo", d["seo"])
    if cls == 3 and d["kind"] == "status":
        r = d.get("redirect")
        if (
            not isinstance(r, dict)
            or set(r) != REDIRECT
            or not all(isinstance(v, bool) for v in r.values())
        ):
            errs.append(f"redirect must have bool keys {sorted(REDIRECT)}")
    for k in set(d.get("config", {})) - {"nginx", "apache"}:
        errs.append(f"config.{k} unknown")
    for k in set(d.get("code_refs", {})) - STACKS:
        errs.append(f"code_refs.{k} unknown")
    return errs


def main() -> int:
    origins = {p["id"] for p in tomllib.loads((DATA / "products.toml").read_text())["product"]}
    paths = [Path(a) for a in sys.argv[1:]] or sorted((DATA / "meanings").glob("*.toml"))
    bad = 0
    for p in paths:
        for e in check(p, origins):
            bad += 1
            print(f"{p.name}: {e}")
    print(f"{len(paths)} files, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
