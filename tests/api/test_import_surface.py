"""What importing the API loads at run time: cheap, lazy, and its public names.

The layer rules themselves are import-linter contracts (pyproject.toml, run
by `make test` and `tests/test_layout.py`); these check what the graph cannot
show: a package's `__init__` running on import, and lazy loading.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def modules_after(code: str) -> set[str]:
    """The module names loaded by a fresh interpreter after running `code`."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_importing_the_api_is_cheap_and_free_of_textual():
    loaded = modules_after("import ctconsole.api")
    assert "textual" not in loaded
    assert "ctconsole.api.models" not in loaded
    assert "httpx" not in loaded  # the client loads on first use


def test_using_the_client_still_does_not_import_textual():
    loaded = modules_after("from ctconsole.api import Client, Credentials, RetryPolicy, Result")
    assert "ctconsole.api.client" in loaded
    assert "textual" not in loaded
    assert not any(name.startswith("ctconsole.ui") for name in loaded)


def test_importing_the_sandbox_leaves_the_models_out():
    loaded = modules_after("import ctconsole.sandbox, ctconsole.sandbox.server")
    assert "ctconsole.api.catalogue" in loaded
    assert "ctconsole.api.models" not in loaded
    assert "textual" not in loaded


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
