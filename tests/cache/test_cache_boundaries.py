"""The cache package stays below the client: no models, no UI."""

from __future__ import annotations

import subprocess
import sys


def test_cache_imports_without_models_or_textual():
    code = (
        "import sys, ctconsole.cache, ctconsole.cache.policy, ctconsole.cache.location;"
        "bad = [m for m in sys.modules if m.startswith(('textual', 'ctconsole.api.models', 'ctconsole.ui'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
