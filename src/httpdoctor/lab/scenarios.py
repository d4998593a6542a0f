"""The classic failures, read from ``data/scenarios.toml``; each runs on loopback with
``httpdoctor lab run NAME``. The comment at the top of that file describes its shape.

Only the lab command imports this module, so reading the file when it is imported
costs ``explain`` and the other commands nothing. Every key is checked: a misspelt
one would otherwise change a scenario silently, not fail.
"""

from __future__ import annotations

from typing import Any

from httpdoctor import _resources
from httpdoctor.errors import DataError, ErrorText, UsageError
from httpdoctor.i18n import LocalText
from httpdoctor.lab.model import Host, Reply, Scenario, Variant
from httpdoctor.trace.urls import parse_target

__all__ = ["SCENARIOS", "scenario_named"]

_FILE = "scenarios.toml"
_HTML = ("Content-Type", "text/html; charset=utf-8")

_TOP_KEYS = frozenset({"hosts", "scenarios"})
_SCENARIO_KEYS = frozenset(
    {"summary", "url", "expected", "variants", "method", "data", "prime", "referrer"}
)
_VARIANT_KEYS = frozenset({"summary", "hosts"})
_HOST_KEYS = frozenset({"name", "slot", "http", "https", "cert_for"})
_REPLY_KEYS = frozenset({"path", "status", "headers", "body", "location"})
_PAGE_KEYS = frozenset({"path", "page"})


def _fail(where: str | ErrorText, problem: ErrorText) -> DataError:
    return DataError.of("lab.scenarios_file", file=f"lab {_FILE}", where=where, problem=problem)


def _table(
    value: Any, where: str | ErrorText, keys: frozenset[str], required: frozenset[str]
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, ErrorText("lab.scenarios.not_table"))
    unknown = sorted(set(value) - keys)
    if unknown:
        raise _fail(
            where, ErrorText("lab.scenarios.unknown_key", keys=", ".join(map(repr, unknown)))
        )
    missing = sorted(required - set(value))
    if missing:
        raise _fail(
            where, ErrorText("lab.scenarios.missing_key", keys=", ".join(map(repr, missing)))
        )
    return value


def _text(value: Any, where: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or not (empty or value.strip()):
        problem = "lab.scenarios.not_string" if empty else "lab.scenarios.empty_string"
        raise _fail(where, ErrorText(problem))
    return value


def _int(value: Any, where: str, low: int, high: int) -> int:
    # bool is an int subclass; `slot = true` must not pass as 1.
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _fail(where, ErrorText("lab.scenarios.out_of_range", low=low, high=high))
    return value


def _texts(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _fail(where, ErrorText("lab.scenarios.not_strings"))
    return tuple(_text(item, f"{where}[{i}]") for i, item in enumerate(value))


def _page_url(value: Any, where: str) -> str:
    """A page's absolute http(s) URL, normalised as ``diagnose -e`` normalises it."""
    text = _text(value, where)
    # parse_target takes a bare host for http://, as curl does; a data file says what it
    # means, so "shop.test/cart" is a mistake here, not a page on plain http.
    if text.strip().partition("://")[0].lower() not in ("http", "https"):
        raise _fail(where, ErrorText("lab.scenarios.not_page_url"))
    try:
        return parse_target(text)
    except UsageError:
        raise _fail(where, ErrorText("lab.scenarios.not_page_url")) from None


def _entries(value: Any, where: str) -> list[tuple[str, Any]]:
    """The named sub-tables of a table, in the order the file writes them."""
    if not isinstance(value, dict) or not value:
        raise _fail(where, ErrorText("lab.scenarios.no_tables"))
    return list(value.items())


def _header(value: Any, where: str) -> tuple[str, str]:
    if not isinstance(value, list) or len(value) != 2:
        raise _fail(where, ErrorText("lab.scenarios.header_pair"))
    return _text(value[0], f"{where} name"), _text(value[1], f"{where} value", empty=True)


def _reply(value: Any, where: str) -> tuple[str, Reply]:
    if isinstance(value, dict) and "page" in value:
        row = _table(value, where, _PAGE_KEYS, _PAGE_KEYS)
        text = _text(row["page"], f"{where}.page")
        body = f"<!doctype html><title>{text}</title><p>{text}</p>\n".encode()
        return _text(row["path"], f"{where}.path"), Reply(status=200, headers=(_HTML,), body=body)
    row = _table(value, where, _REPLY_KEYS, frozenset({"path", "status"}))
    headers = row.get("headers", [])
    if not isinstance(headers, list):
        raise _fail(f"{where}.headers", ErrorText("lab.scenarios.headers_list"))
    pairs = tuple(_header(h, f"{where}.headers[{i}]") for i, h in enumerate(headers))
    if "location" in row:
        pairs = (("Location", _text(row["location"], f"{where}.location")), *pairs)
    reply = Reply(
        status=_int(row["status"], f"{where}.status", 100, 599),
        headers=pairs,
        body=_text(row.get("body", ""), f"{where}.body", empty=True).encode(),
    )
    return _text(row["path"], f"{where}.path"), reply


def _replies(value: Any, where: str) -> tuple[tuple[str, Reply], ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise _fail(where, ErrorText("lab.scenarios.no_replies"))
    routes = tuple(_reply(row, f"{where}[{i}]") for i, row in enumerate(value))
    paths = [path for path, _ in routes]
    # The server keeps only the last reply for a path, so a second one is a mistake.
    twice = sorted({p for p in paths if paths.count(p) > 1})
    if twice:
        raise _fail(
            where, ErrorText("lab.scenarios.reply_twice", paths=", ".join(map(repr, twice)))
        )
    return routes


def _host(value: Any, where: str, shared: dict[str, Host]) -> Host:
    if isinstance(value, dict) and "use" in value:
        if set(value) != {"use"}:
            raise _fail(where, ErrorText("lab.scenarios.use_alone"))
        name = value["use"]
        if not isinstance(name, str) or name not in shared:
            if not shared:
                raise _fail(where, ErrorText("lab.scenarios.unknown_shared_none", name=name))
            known = ", ".join(shared)
            raise _fail(where, ErrorText("lab.scenarios.unknown_shared", name=name, known=known))
        return shared[name]
    row = _table(value, where, _HOST_KEYS, frozenset({"name", "slot"}))
    cert_for = row.get("cert_for")
    return Host(
        name=_text(row["name"], f"{where}.name"),
        slot=_int(row["slot"], f"{where}.slot", 0, 99),
        http=_replies(row.get("http"), f"{where}.http"),
        https=_replies(row.get("https"), f"{where}.https"),
        cert_for=None if cert_for is None else _texts(cert_for, f"{where}.cert_for"),
    )


def _variant(name: str, value: Any, where: str, shared: dict[str, Host]) -> Variant:
    row = _table(value, where, _VARIANT_KEYS, _VARIANT_KEYS)
    hosts = row["hosts"]
    if not isinstance(hosts, list) or not hosts:
        raise _fail(f"{where}.hosts", ErrorText("lab.scenarios.variant_no_hosts"))
    built = tuple(_host(h, f"{where}.hosts[{i}]", shared) for i, h in enumerate(hosts))
    names = [h.name for h in built]
    if len(set(names)) != len(names):
        raise _fail(f"{where}.hosts", ErrorText("lab.scenarios.host_twice"))
    return Variant(
        name=name,
        summary=LocalText.from_data(row["summary"], f"lab {_FILE} {where}.summary"),
        hosts=built,
    )


def _scenario(name: str, value: Any, shared: dict[str, Host]) -> Scenario:
    where = f"scenarios.{name}"
    row = _table(
        value, where, _SCENARIO_KEYS, frozenset({"summary", "url", "expected", "variants"})
    )
    data = row.get("data")
    referrer = row.get("referrer")
    return Scenario(
        name=name,
        summary=LocalText.from_data(row["summary"], f"lab {_FILE} {where}.summary"),
        url=_text(row["url"], f"{where}.url"),
        variants=tuple(
            _variant(vname, vrow, f"{where}.variants.{vname}", shared)
            for vname, vrow in _entries(row["variants"], f"{where}.variants")
        ),
        expected=frozenset(_texts(row["expected"], f"{where}.expected")),
        method=_text(row.get("method", "GET"), f"{where}.method"),
        data=None if data is None else _text(data, f"{where}.data", empty=True),
        prime=_texts(row["prime"], f"{where}.prime") if "prime" in row else (),
        referrer=None if referrer is None else _page_url(referrer, f"{where}.referrer"),
    )


def _load() -> tuple[Scenario, ...]:
    table = _resources.load_toml("lab", _FILE)
    _table(table, ErrorText("lab.scenarios.whole_file"), _TOP_KEYS, frozenset({"scenarios"}))
    hosts = table.get("hosts", {})
    if not isinstance(hosts, dict):
        raise _fail("hosts", ErrorText("lab.scenarios.hosts_shape"))
    shared = {hid: _host(row, f"hosts.{hid}", {}) for hid, row in hosts.items()}
    scenarios = _entries(table["scenarios"], "scenarios")
    return tuple(_scenario(name, row, shared) for name, row in scenarios)


SCENARIOS: tuple[Scenario, ...] = _load()


def scenario_named(name: str) -> Scenario:
    for scenario in SCENARIOS:
        if scenario.name == name:
            return scenario
    raise UsageError.of(
        "lab.unknown_scenario", name=name, names=", ".join(s.name for s in SCENARIOS)
    )
