"""The UI package never imports httpx (it is handed a ready client)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import ctconsole.ui


def test_importing_every_ui_module_does_not_import_httpx():
    names = [m.name for m in pkgutil.walk_packages(ctconsole.ui.__path__, "ctconsole.ui.")]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print('httpx' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert len(names) > 10
    assert out.stdout.strip() == "False"
