"""Fixtures for UI tests: a fresh in-process sandbox and an app over it.

The sandbox transport is built here (and in `ctconsole.demo`), never in UI
code, which must not import httpx.
"""

from __future__ import annotations

import pytest

from ctconsole.demo import demo_client_for
from ctconsole.sandbox import make_sandbox_app
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.screenshots import FROZEN_LOCAL


@pytest.fixture
def sandbox():
    # 12,000 sessions in cam_1003: three pages of 5000, quick to serve.
    return make_sandbox_app(big_sessions=12000)


@pytest.fixture
def client(sandbox):
    return demo_client_for(sandbox)


@pytest.fixture
def make_app(client):
    def make(**options):
        options.setdefault("local_tz", FROZEN_LOCAL)
        return CtConsoleApp(client, **options)

    return make


@pytest.fixture
def app(make_app):
    return make_app()
