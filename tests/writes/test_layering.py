"""`ctconsole.writes` is UI-free, and light enough for the UI to import: no
textual (the forms are built on it, not in it) and no httpx (the UI package
must not load it; writes are handed a ready client)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import ctconsole.writes


def test_importing_every_writes_module_loads_neither_textual_nor_httpx():
    names = [m.name for m in pkgutil.walk_packages(ctconsole.writes.__path__, "ctconsole.writes.")]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in ('textual', 'httpx') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert len(names) >= 9
    assert out.stdout.strip() == "[]"
