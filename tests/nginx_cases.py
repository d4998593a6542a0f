"""Request/config pairs for the nginx differential suite, and their seeded generator.

A :class:`Group` is one nginx configuration (server blocks with ``{{addr}}`` placeholders,
optional ``http_extra``) and the requests sent to it; the suite starts real nginx once per
group and compares each response with ``evaluate`` on the very same rendered config.
Hand-written groups live in :mod:`tests.nginx_hand_cases`; :func:`generated_groups`
builds random server and location trees from a fixed seed, so every run is the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["GENERATED_SEED", "Group", "Req", "generated_groups"]

GENERATED_SEED = 20240607


@dataclass(frozen=True, slots=True, kw_only=True)
class Req:
    """One request: ``host`` None sends no Host header; ``tls`` uses SNI = host."""

    path: str = "/"
    host: str | None = "site.test"
    method: str = "GET"
    port: int = 80
    tls: bool = False
    version: str = "1.1"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    """A configuration and the requests it is probed with."""

    name: str
    servers: str
    requests: tuple[Req, ...]
    http_extra: str = ""
    notes: tuple[str, ...] = field(default=())


# -- the generator ----------------------------------------------------------------------

_WORDS = ("a", "b", "api", "docs", "img", "x", "old", "new", "v1", "v2", "static", "app")
_EXTS = ("php", "jpg", "html", "PDF", "txt")
_CODES_REDIRECT = (301, 302, 303, 307, 308)
_CODES_OTHER = (200, 204, 403, 404, 410, 418, 500, 503)


def _path(rng: random.Random, depth: int = 3) -> str:
    return "/" + "/".join(rng.choice(_WORDS) for _ in range(rng.randint(1, depth)))


def _target(rng: random.Random) -> str:
    choice = rng.randrange(6)
    if choice == 0:
        return "https://$host$request_uri"
    if choice == 1:
        return "/moved$uri$is_args$args"
    if choice == 2:
        return "http://other.test" + _path(rng)
    if choice == 3:
        return _path(rng)
    if choice == 4:
        return "$scheme://$server_name/s$uri"
    return "https://$http_host/x?a=$arg_a"


def _return(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"return {rng.choice(_CODES_REDIRECT)} {_target(rng)};"
    code = rng.choice(_CODES_OTHER)
    if code >= 400 and rng.random() < 0.5:
        return f"return {code};"
    return f'return {code} "c{code} $uri\\n";'


def _headers(rng: random.Random) -> list[str]:
    lines = []
    if rng.random() < 0.35:
        always = " always" if rng.random() < 0.5 else ""
        age = rng.choice((300, 31536000))
        lines.append(f'add_header Strict-Transport-Security "max-age={age}"{always};')
    if rng.random() < 0.2:
        lines.append("add_header X-Gen $uri;")
    return lines


def _location_body(
    rng: random.Random, paths: list[str], depth: int, parent: tuple[str, str]
) -> list[str]:
    lines = _headers(rng)
    if rng.random() < 0.25:
        lines.append(f"if ($arg_{rng.choice(_WORDS)}) {{ {_return(rng)} }}")
    if rng.random() < 0.35:
        flag = rng.choice(("last", "permanent", "redirect", ""))
        source = rng.choice(("^/(.*)$", f"^{rng.choice(paths)}(.*)$", r"\.(\w+)$"))
        dest = rng.choice(paths) + rng.choice(("", "$1", "/$1", "?r=$1"))
        lines.append(f"rewrite {source} {dest} {flag};".replace(" ;", ";"))
    if depth < 2 and parent[0] != "=" and rng.random() < 0.3:
        used: set[tuple[str, str]] = set()
        for _ in range(rng.randint(1, 2)):
            lines.extend(_location(rng, paths, depth + 1, used, parent))
    lines.append(_return(rng))
    return lines


def _location(
    rng: random.Random,
    paths: list[str],
    depth: int,
    used: set[tuple[str, str]],
    parent: tuple[str, str] | None = None,
) -> list[str]:
    kinds: tuple[str, ...] = ("=", "^~", "", "", "~", "~*")
    if parent is not None and parent[0] in ("~", "~*"):
        kinds = ("~", "~*")  # a prefix cannot nest in a regex location
    kind = rng.choice(kinds)
    base = rng.choice(paths)
    if parent is not None and kind in ("=", "^~", ""):
        base = parent[1] + rng.choice(("", "/", "x", "/" + rng.choice(_WORDS)))
    if kind in ("~", "~*"):
        match = rng.choice(
            (f"^{base}", rf"\.({rng.choice(_EXTS)}|{rng.choice(_EXTS)})$", f"{rng.choice(_WORDS)}/")
        )
    else:
        match = base + (rng.choice(("", "/")) if parent is None else "")
    key = ("=" if kind == "=" else "static" if kind in ("", "^~") else kind, match)
    if key in used:
        return []
    used.add(key)
    head = f"location {kind} {match}".replace("  ", " ")
    body = _location_body(rng, paths, depth, (kind, match))
    return [head + " {", *("    " + line for line in body), "}"]


def _server_names(rng: random.Random, index: int) -> str:
    names = [f"s{index}.test"]
    extra = rng.randrange(5)
    if extra == 1:
        names.append(f"*.s{index}.test")
    elif extra == 2:
        names.append(f"s{index}.*")
    elif extra == 3:
        names.append(rf"~^(?<sub>[a-z]+)\.r{index}\.test$")
    elif extra == 4:
        names.append(f".w{index}.test")
    return " ".join(names)


def _server(rng: random.Random, index: int, paths: list[str], default: bool) -> str:
    lines = [
        f"listen {{{{addr}}}}:80{' default_server' if default else ''};",
        f"server_name {_server_names(rng, index)};",
    ]
    lines.extend(_headers(rng))
    if rng.random() < 0.3:
        lines.append(
            rng.choice(
                ("absolute_redirect off;", "port_in_redirect off;", "server_name_in_redirect on;")
            )
        )
    if rng.random() < 0.3:
        flag = rng.choice(("last", "break", "", "permanent"))
        lines.append(
            f"rewrite ^{rng.choice(paths)}/(.*)$ {rng.choice(paths)}/$1 {flag};".replace(" ;", ";")
        )
    if rng.random() < 0.15:
        lines.append(f"if ($http_x_test = on) {{ {_return(rng)} }}")
    used: set[tuple[str, str]] = {("static", "/")}
    for _ in range(rng.randint(2, 6)):
        lines.extend(_location(rng, paths, 0, used))
    lines.extend(["location / {", f"    {_return(rng)}", "}"])
    return "server {\n" + "\n".join("    " + line for line in lines) + "\n}\n"


def _requests(rng: random.Random, paths: list[str], servers: int, count: int) -> tuple[Req, ...]:
    result = []
    for _ in range(count):
        index = rng.randrange(servers)
        host = rng.choice(
            (
                f"s{index}.test",
                f"a.s{index}.test",
                f"s{index}.example",
                f"q.r{index}.test",
                f"w{index}.test",
                f"x.w{index}.test",
                f"S{index}.TEST.",
                f"s{index}.test:8080",
                "unknown.test",
            )
        )
        path = rng.choice(paths) + rng.choice(
            ("", "/", "/" + rng.choice(_WORDS), "." + rng.choice(_EXTS))
        )
        if rng.random() < 0.3:
            path += "?" + rng.choice(("a=1", "q=x&a=2", "b=", rng.choice(_WORDS) + "=1"))
        method = rng.choice(("GET", "GET", "GET", "POST", "HEAD"))
        result.append(Req(path=path, host=host, method=method))
    return tuple(result)


def generated_groups(count: int = 20, requests: int = 16) -> tuple[Group, ...]:
    """``count`` random configurations with ``requests`` requests each (fixed seed)."""
    rng = random.Random(GENERATED_SEED)
    groups = []
    for number in range(count):
        paths = sorted({_path(rng, 2) for _ in range(rng.randint(3, 6))})
        servers = rng.randint(1, 3)
        default = rng.randrange(servers + 1)  # == servers: no default_server flag
        text = "".join(_server(rng, i, paths, i == default) for i in range(servers))
        groups.append(
            Group(
                name=f"generated-{number:02d}",
                servers=text,
                requests=_requests(rng, paths, servers, requests),
            )
        )
    return tuple(groups)
