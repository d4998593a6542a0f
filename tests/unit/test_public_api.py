"""The public surface, pinned: changing it is a decision, not an accident (as httpx does)."""

from __future__ import annotations

import importlib

import pytest

pytestmark = pytest.mark.unit

PUBLIC = {
    "httpdoctor": ["__version__"],
    "httpdoctor.codes": [
        "CloudflareError",
        "Context",
        "ContextSource",
        "ExplainedMeaning",
        "Explanation",
        "Fix",
        "FixTarget",
        "Kind",
        "Lifecycle",
        "Meaning",
        "Product",
        "RedirectSemantics",
        "Registry",
        "StatusClass",
        "SubStatus",
        "default_registry",
        "explain",
    ],
    "httpdoctor.errors": [
        "ConfigSyntaxError",
        "DataError",
        "ErrorText",
        "ExitCode",
        "HttpDoctorError",
        "UnsupportedConstruct",
        "UsageError",
    ],
    "httpdoctor.i18n": ["Lang", "LocalText", "lang_from_environ", "parse_lang"],
    "httpdoctor.trace": [
        "Certificate",
        "Chain",
        "ClientProfile",
        "Done",
        "DroppedHeader",
        "ErrorKind",
        "Fetch",
        "Hop",
        "HopError",
        "HopKind",
        "HstsSource",
        "Observation",
        "Outcome",
        "Probe",
        "Request",
        "Timings",
        "TlsInfo",
        "Tracer",
        "load_profiles",
        "profile_named",
    ],
    "httpdoctor.hsts": [
        "ChromiumReading",
        "DynamicEntry",
        "HstsStore",
        "MAX_AGE_CLAMP",
        "PreloadList",
        "PreloadMatch",
        "bundled_list",
        "parse_chromium",
        "parse_chromium_json",
    ],
    "httpdoctor.diagnose": [
        "Evidence",
        "Finding",
        "RULES",
        "Rule",
        "RuleMeta",
        "Severity",
        "Subject",
        "diagnose",
    ],
    "httpdoctor.fetch": [
        "FetchSettings",
        "Fetcher",
        "ResolveRule",
        "TraceSpec",
        "parse_resolve",
        "run_trace",
    ],
    "httpdoctor.servers.nginx.lint": [
        "LintFinding",
        "LintMeta",
        "LintRule",
        "RULES",
        "lint",
        "rule_named",
    ],
}


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_exported_members(module: str) -> None:
    loaded = importlib.import_module(module)
    assert sorted(loaded.__all__) == sorted(PUBLIC[module])
    for name in loaded.__all__:
        assert hasattr(loaded, name), f"{module}.{name} is exported but missing"


def test_every_public_dataclass_has_a_docstring() -> None:
    # dataclasses calls inspect.signature for classes without one, and the CLI defers
    # inspect for start-up time (httpdoctor._lazy); a missing docstring costs ~8 ms.
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "src" / "httpdoctor"
    missing = [
        f"{path.relative_to(root)}:{node.name}"
        for path in root.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and any("dataclass" in ast.unparse(d) for d in node.decorator_list)
        and not ast.get_docstring(node)
    ]
    assert not missing


def _modules_after_explain() -> dict[str, str]:
    """Every module ``httpdoctor explain 307`` leaves loaded, with its type's name, from
    the console script's own start-up path in a fresh interpreter."""
    import json
    import subprocess
    import sys

    code = (
        "import sys, io, json\n"
        "from httpdoctor.cli.entry import dispatch\n"
        "sys.argv = ['httpdoctor', 'explain', '307']\n"
        "sys.stdout = io.StringIO()\n"
        "dispatch()\n"
        "loaded = {name: type(m).__name__ for name, m in list(sys.modules.items())}\n"
        "sys.__stdout__.write(json.dumps(loaded))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded: dict[str, str] = json.loads(done.stdout)
    return loaded


def test_explain_starts_without_inspect_the_network_stack_or_the_lab() -> None:
    loaded = _modules_after_explain()
    assert loaded["inspect"] == "_Deferred"  # dataclasses' import of it stays a stand-in
    heavy = ("ssl", "socket", "h11", "h2", "httpdoctor.fetch", "httpdoctor.lab")
    assert [m for m in loaded if m.split(".")[0] in heavy or m.startswith(heavy)] == []
