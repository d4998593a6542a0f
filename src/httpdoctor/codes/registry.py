"""The knowledge base as a lazily loaded, read-only registry.

``explain 307`` must start instantly, so nothing is read until asked for, and a lookup
by number parses only that number's files (``meanings/307-*.toml``). Listing and
searching parse everything once.
"""

from __future__ import annotations

from functools import cache

from httpdoctor import _resources
from httpdoctor.codes.model import (
    CloudflareError,
    Meaning,
    Product,
    StatusClass,
    SubStatus,
)
from httpdoctor.codes.parse import (
    parse_class,
    parse_cloudflare_error,
    parse_meaning,
    parse_product,
    parse_substatus,
)
from httpdoctor.errors import DataError

TYPE_CHECKING = False  # importing typing would cost start-up time; see bench/startup.py
if TYPE_CHECKING:
    from typing import Any

    from httpdoctor.codes.info import RegistryInfo

__all__ = ["Registry", "default_registry"]

_PKG = "codes"


def _sort(meanings: list[Meaning]) -> tuple[Meaning, ...]:
    return tuple(sorted(meanings, key=lambda m: (m.code, m.rank, m.id)))


class Registry:
    """Read-only access to the bundled knowledge base; every table loads at most once."""

    def __init__(self) -> None:
        self._by_code: dict[int, tuple[Meaning, ...]] = {}
        self._files: list[str] | None = None

    def _meaning_files(self) -> list[str]:
        if self._files is None:
            self._files = _resources.list_data(_PKG, "meanings")
        return self._files

    def _load_meaning(self, name: str) -> Meaning:
        meaning = parse_meaning(_resources.load_toml(_PKG, "meanings", name), name)
        if name != f"{meaning.key}.toml":
            raise DataError.of("data.meaning_file_name", name=name, key=meaning.key)
        return meaning

    def meanings(self, code: int) -> tuple[Meaning, ...]:
        """Every meaning of ``code``, most common first; empty when unassigned."""
        if code not in self._by_code:
            prefix = f"{code}-"
            found = [self._load_meaning(n) for n in self._meaning_files() if n.startswith(prefix)]
            self._by_code[code] = _sort(found)
        return self._by_code[code]

    def all_meanings(self) -> tuple[Meaning, ...]:
        codes = sorted({int(n.split("-", 1)[0]) for n in self._meaning_files()})
        return tuple(m for code in codes for m in self.meanings(code))

    def meaning(self, key: str) -> Meaning | None:
        """A meaning by its stable key, e.g. ``307-internal-redirect``."""
        head, _, _ = key.partition("-")
        if not head.isdigit():
            return None
        return next((m for m in self.meanings(int(head)) if m.key == key), None)

    def products(self) -> tuple[Product, ...]:
        return _products()

    def product(self, product_id: str) -> Product | None:
        return next((p for p in _products() if p.id == product_id), None)

    def status_class(self, digit: int) -> StatusClass:
        return _classes()[digit]

    def substatuses(self, code: int) -> tuple[SubStatus, ...]:
        return tuple(s for s in _substatuses() if s.status == code)

    def cloudflare_errors(self) -> tuple[CloudflareError, ...]:
        return _cloudflare_errors()

    def cloudflare_error(self, number: int) -> CloudflareError | None:
        return next((e for e in _cloudflare_errors() if e.code == number), None)

    def constants(self, code: int) -> dict[str, str]:
        return dict(_constants().get(str(code), {}))

    def frameworks(self) -> dict[str, dict[str, str]]:
        return _frameworks()

    def info(self) -> RegistryInfo:
        from httpdoctor.codes.info import registry_info  # rarely needed; kept off start-up

        return registry_info()


@cache
def default_registry() -> Registry:
    return Registry()


@cache
def _products() -> tuple[Product, ...]:
    rows = _resources.load_toml(_PKG, "products.toml").get("product", [])
    return tuple(parse_product(row, f"products.toml[{i}]") for i, row in enumerate(rows))


@cache
def _classes() -> dict[int, StatusClass]:
    table = _resources.load_toml(_PKG, "classes.toml")
    return {int(k): parse_class(int(k), v, f"classes.toml[{k}]") for k, v in table.items()}


@cache
def _substatuses() -> tuple[SubStatus, ...]:
    rows = _resources.load_toml(_PKG, "iis-substatus.toml").get("substatus", [])
    return tuple(parse_substatus(r, f"iis-substatus.toml[{i}]") for i, r in enumerate(rows))


@cache
def _cloudflare_errors() -> tuple[CloudflareError, ...]:
    rows = _resources.load_toml(_PKG, "cloudflare-errors.toml").get("error", [])
    return tuple(
        parse_cloudflare_error(r, f"cloudflare-errors.toml[{i}]") for i, r in enumerate(rows)
    )


@cache
def _constants() -> dict[str, Any]:
    return _resources.load_toml(_PKG, "constants.toml")


@cache
def _frameworks() -> dict[str, dict[str, str]]:
    return _resources.load_toml(_PKG, "frameworks.toml")
