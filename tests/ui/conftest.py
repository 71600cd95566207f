"""Fixtures for UI tests: a fresh in-process sandbox and an app over it.

The sandbox transport is built here (and in `ctconsole.demo`), never in UI
code, which must not import httpx.

The sandbox's big campaign (cam_1003) is small by default: streaming and
drawing thousands of sessions is what a UI test pays for most, and only a
test about paging through it needs them. Such a test is marked
`@pytest.mark.big_campaign` and gets 12,000 sessions (three pages of 5000).
"""

from __future__ import annotations

import pytest

from ctconsole.demo import demo_client_for
from ctconsole.sandbox import make_sandbox_app
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.screenshots import FROZEN_LOCAL


#: Sessions of cam_1003 in a UI test's sandbox: one page, and enough rows to
#: filter, sort and scroll.
SMALL_CAMPAIGN = 100
#: ... and for a test marked `big_campaign`: three pages of 5000.
BIG_CAMPAIGN = 12000


@pytest.fixture
def sandbox(request):
    big = request.node.get_closest_marker("big_campaign") is not None
    return make_sandbox_app(big_sessions=BIG_CAMPAIGN if big else SMALL_CAMPAIGN)


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
