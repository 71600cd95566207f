"""The investigation modules stay outside the UI: no Textual, no httpx."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_explain_imports_neither_textual_nor_httpx():
    script = ("import ctconsole.explain.rules, ctconsole.explain.facts\n"
              "import json, sys\nprint(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=True)
    loaded = set(json.loads(out.stdout.splitlines()[-1]))
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "httpx", "rich")}
