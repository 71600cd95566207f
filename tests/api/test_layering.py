"""The layering rules of DESIGN.md, checked on the real import graph and sources."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ctconsole"


def modules_after(code: str) -> set[str]:
    """The module names loaded by a fresh interpreter after running `code`."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_importing_the_api_is_cheap_and_free_of_textual():
    loaded = modules_after("import ctconsole.api")
    assert "textual" not in loaded
    assert "ctconsole.api.models" not in loaded
    assert "httpx" not in loaded  # the client loads on first use


def test_using_the_client_still_does_not_import_textual():
    loaded = modules_after("from ctconsole.api import Client, Credentials, RetryPolicy, Result")
    assert "httpx" in loaded
    assert "textual" not in loaded
    assert not any(name.startswith("ctconsole.ui") for name in loaded)


def test_importing_the_sandbox_leaves_the_models_out():
    loaded = modules_after("import ctconsole.sandbox, ctconsole.sandbox.server")
    assert "ctconsole.api.catalogue" in loaded
    assert "ctconsole.api.models" not in loaded
    assert "textual" not in loaded


@pytest.mark.parametrize("folder", ["api", "cache", "sandbox"])
def test_library_sources_never_import_textual_or_the_ui(folder):
    offenders = [
        str(path.relative_to(ROOT)) for path in (PACKAGE / folder).rglob("*.py")
        if any(n == "textual" or n.startswith(("textual.", "ctconsole.ui")) for n in imported_names(path))
    ]
    assert offenders == []


def test_no_ui_source_imports_httpx():
    files = list((PACKAGE / "ui").rglob("*.py"))
    offenders = [str(p.relative_to(ROOT)) for p in files
                 if any(n == "httpx" or n.startswith("httpx.") for n in imported_names(p))]
    assert offenders == []


def test_the_scan_sees_imports_in_every_form(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import os\nimport httpx as h\nfrom textual.app import App\n"
                     "def f():\n    from ctconsole.ui import x\n")
    assert {"httpx", "textual.app", "ctconsole.ui"} <= imported_names(probe)


def test_the_public_surface_is_pinned():
    import ctconsole.api as api

    assert api.__all__ == [
        "CATALOGUE", "Catalogue", "Operation", "Param", "Client", "Credentials", "Result",
        "RetryPolicy", "CtError", "InvalidParams", "OfflineError", "ApiError", "HttpStatusError",
        "RateLimited", "ServerError", "UnexpectedPayload", "AnswerTooLarge", "TransportError", "ConnectFailed",
        "TimedOut",
    ]
    for name in api.__all__:
        assert getattr(api, name) is not None
