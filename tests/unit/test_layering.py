"""The sans-IO rule (ARCHITECTURE.md principle 1), enforced by reading the source.

Core packages compute; only drivers touch the network, the terminal or user files.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

SRC = Path(__file__).resolve().parents[2] / "src" / "httpdoctor"

# Packages and modules that must stay pure. Later capabilities join this list.
CORE = ("codes", "report", "i18n.py", "errors.py", "trace", "hsts", "diagnose", "servers")
FORBIDDEN_MODULES = frozenset(
    {
        "socket",
        "ssl",
        "http.client",
        "urllib.request",
        "httpx",
        "httpcore",
        "aiohttp",
        "h11",
        "dns",
        "rich",
        "typer",
        "subprocess",
        "asyncio",
        "shutil",
        "pathlib",
        "tempfile",
        "importlib.resources",
    }
)
# The single, reviewed door to bundled data files.
DATA_READER = "httpdoctor._resources"
# The one driver inside a core package: it reads the user's server configuration files
# (ARCHITECTURE.md principle 1); everything it hands them to stays pure.
FILE_READERS = frozenset({"servers/common/loader.py"})


def _core_files() -> list[Path]:
    files: list[Path] = []
    for name in CORE:
        path = SRC / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(sorted(path.rglob("*.py")))
    return files


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _is_forbidden(module: str) -> bool:
    return any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN_MODULES)


def test_core_files_exist() -> None:
    assert len(_core_files()) > 10


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_core_module_imports_no_io_library(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = [f"line {line}: {mod}" for line, mod in _imports(tree) if _is_forbidden(mod)]
    assert not bad, f"{path.name} imports I/O code: {bad}"


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_core_module_never_opens_files(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = {"open"} if str(path.relative_to(SRC)) in FILE_READERS else set()
    calls = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"open", "print", "input"} - allowed
    ]
    assert not calls, f"{path.name} does I/O itself at lines {calls}; use a driver"


def _uses_data_reader(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "httpdoctor"
            and any(alias.name == "_resources" for alias in node.names)
        ):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == DATA_READER:
            return True
        if isinstance(node, ast.Import) and any(a.name == DATA_READER for a in node.names):
            return True
    return False


def test_only_the_registry_and_the_catalogue_read_bundled_data() -> None:
    users = {
        str(p.relative_to(SRC))
        for p in _core_files()
        if _uses_data_reader(ast.parse(p.read_text(encoding="utf-8")))
    }
    # The registries (codes, client profiles) and the message catalogues (report labels,
    # error texts, the nginx evaluator's reasons for stopping) read bundled data.
    assert users == {
        "codes/info.py",
        "errors.py",
        "codes/registry.py",
        "diagnose/catalogue.py",
        "report/messages.py",
        "servers/nginx/lint/catalogue.py",
        "servers/nginx/reasons.py",
        "trace/profiles.py",
    }


def test_the_checker_catches_a_forbidden_import() -> None:
    tree = ast.parse("import socket\nfrom rich.console import Console\nfrom . import x\n")
    assert [m for _, m in _imports(tree) if _is_forbidden(m)] == ["socket", "rich.console"]
