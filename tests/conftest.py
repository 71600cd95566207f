"""Test isolation shared by every test: nothing reads or writes the developer's
real config, cache or journal, and no CTCONSOLE_* variable leaks in."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Point every platform directory (XDG on Linux) into the test's tmp dir."""
    for var in list(os.environ):
        if var.startswith("CTCONSOLE_"):
            monkeypatch.delenv(var)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    return home
