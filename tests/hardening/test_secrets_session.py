"""A whole working session, then a search of everything it left behind for
the secrets it handled.

The session: CLI calls (`ctconsole --demo call …`, subaccount.list with and
without `--show-secrets`, subaccount.sso), the TUI (home → a subaccount,
secrets revealed and hidden again → its campaigns → a session → an export of
a list → screenshots), writes through `ctconsole.writes` with the journal,
the response cache, error texts of failed calls, and every log record at
DEBUG. All platform directories point into the test's tmp dir.

The secrets are not guessed: a recorder between the client and the sandbox
collects every credential the API *sent* (subaccount keys and secrets, SSO
tokens and login URLs, reset URLs), plus the demo client secret the console
sent. Only the file the test itself wrote from `--show-secrets` output may
contain them, and it must (so the search is shown to find them).
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
from pathlib import Path

import httpx
import pytest
from textual.widgets import Input

from ctconsole import cli
from ctconsole.api import Client, Credentials
from ctconsole.api.errors import CtError
from ctconsole.cache import ResponseCache
from ctconsole.demo import demo_client_for
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.screens.campaign import CampaignScreen
from ctconsole.ui.widgets.export_dialog import ExportDialog
from ctconsole.ui.screens.session import SessionScreen
from ctconsole.ui.screens.subaccount import SubaccountScreen
from ctconsole.writes import Journal, WriteContext, apply_write, plan_write

from .conftest import FROZEN_LOCAL, settle, wait_for

SECRET_FIELDS = {"api_key", "api_secret", "token", "url", "url_whitelabel"}


class Recorder:
    """ASGI middleware: the sandbox, plus a copy of every response body."""

    def __init__(self, app) -> None:
        self.app = app
        self.bodies: list[bytes] = []

    def __getattr__(self, name):
        return getattr(self.app, name)

    async def __call__(self, scope, receive, send):
        async def recording(message):
            if message["type"] == "http.response.body":
                self.bodies.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, recording)

    def secrets(self) -> set[str]:
        """Every credential value the API handed out in this session."""
        found: set[str] = set()

        def walk(value, key=None):
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(v, k)
            elif isinstance(value, list):
                for v in value:
                    walk(v, key)
            elif isinstance(value, str) and key in SECRET_FIELDS and len(value) >= 12:
                if key in ("url", "url_whitelabel") and "token=" not in value \
                        and "reset-password" not in value:
                    return  # a campaign's public URL, not a login link
                found.add(value)

        for body in self.bodies:
            try:
                walk(json.loads(body))
            except ValueError:
                continue
        return found


async def run_cli(argv: list[str], recorder: Recorder) -> tuple[int, str, str]:
    """`ctconsole ARGV` in a thread (the CLI runs its own event loop)."""
    return await asyncio.to_thread(_run_cli, argv, recorder)


def _run_cli(argv: list[str], recorder: Recorder) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, stdout=out, stderr=err, sandbox_app=recorder)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def debug_log(tmp_path):
    path = tmp_path / "session.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(args)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield path
    root.removeHandler(handler)
    root.setLevel(level)
    handler.close()


async def test_a_full_session_leaves_no_secret_anywhere(tmp_path, debug_log, monkeypatch):
    recorder = Recorder(make_sandbox_app(big_sessions=100))
    outputs: list[str] = []

    # -- the CLI --------------------------------------------------------------
    code, masked_list, err = await run_cli(["--demo", "call", "subaccount.list"], recorder)
    assert code == 0
    outputs += [masked_list, err]
    code, shown, err = await run_cli(["--demo", "call", "--show-secrets", "subaccount.list"], recorder)
    assert code == 0
    outputs.append(err)
    code, sso_masked, err = await run_cli(["--demo", "call", "subaccount.sso", "subaccount=sub_2001"],
                                    recorder)
    assert code == 0
    outputs += [sso_masked, err]
    code, sso_shown, err = await run_cli(["--demo", "call", "--show-secrets", "subaccount.sso",
                                    "subaccount=sub_2002"], recorder)
    assert code == 0
    outputs.append(err)
    code, out, err = await run_cli(["--demo", "call", "subaccount.reset_url", "subaccount=sub_2003"],
                             recorder)
    outputs += [out, err]
    code, out, err = await run_cli(["--demo", "call", "campaign.info", "campaign=cam_0000"], recorder)
    assert code == 1
    outputs += [out, err]
    # The one file that may hold secrets: written on purpose, from --show-secrets.
    shown_file = tmp_path / "shown-secrets.json"
    shown_file.write_text(shown + sso_shown, encoding="utf-8")

    # -- the TUI, with the profile's response cache ----------------------------
    cache = ResponseCache(tmp_path / "home" / ".cache" / "ctconsole" / "tui.sqlite3")
    client = demo_client_for(recorder, cache=cache)
    app = CtConsoleApp(client, local_tz=FROZEN_LOCAL)
    shots = tmp_path / "screenshots"
    shots.mkdir()
    export = tmp_path / "exports" / "sub_2001-campaigns.csv"
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # sub_2001
        await settle(pilot)
        sub = app.screen
        assert isinstance(sub, SubaccountScreen)
        await pilot.press("x")  # reveal…
        await pilot.pause()
        assert sub.revealed
        await pilot.press("x")  # …and hide again
        await pilot.pause()
        app.save_screenshot(filename="subaccount.svg", path=str(shots))
        await pilot.press("y")  # copy a cell: a notification
        await pilot.press("e")  # export the subaccount's campaign list
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#export-path", Input).value = str(export)
        await pilot.press("enter")
        await settle(pilot)
        await wait_for(pilot, export.exists, what="the export")
        await pilot.press("enter")  # its first campaign
        await settle(pilot)
        assert isinstance(app.screen, CampaignScreen)
        await pilot.press("enter")  # a session
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("j")
        await pilot.pause()
        app.save_screenshot(filename="session.svg", path=str(shots))
        notes = [f"{n.title} {n.message}" for n in app._notifications]
    outputs += notes
    cache.close()

    # -- writes with the journal, and errors -------------------------------------
    async with Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url="http://sandbox",
                      transport=httpx.ASGITransport(app=recorder)) as writer:
        journal = Journal()
        listed = await writer.call("subaccount.list")
        for name, params in (
            ("subaccount.update", {"subaccount": "sub_2004", "company_name": "Studio Rossi & Co"}),
            ("subaccount.reset_url", {"subaccount": "sub_2004"}),
            ("subaccount.sso", {"subaccount": "sub_2004"}),
        ):
            plan = await plan_write(writer, name, params, reason="SEC-1")
            outcome = await apply_write(writer, plan, journal=journal,
                                        context=WriteContext(profile="demo"))
            outputs += [repr(plan), repr(outcome), str(outcome.status)]
        outputs += [repr(listed.data), str(listed.data), repr(writer)]
        sub = listed.data.items[0]
        as_sub = writer.for_subaccount(sub.api_key.get_secret_value(),
                                       sub.api_secret.get_secret_value())
        # A subaccount client's repr shows neither its client_id (= the
        # api_key) nor its secret but masked.
        assert sub.api_secret.get_secret_value() not in repr(as_sub)
        assert sub.api_key.get_secret_value() not in repr(as_sub)
        for bad in (Client(Credentials(DEMO_CLIENT_ID, "wrong" + DEMO_CLIENT_SECRET),
                           base_url="http://sandbox", transport=httpx.ASGITransport(app=recorder)),
                    writer.for_subaccount(sub.api_key.get_secret_value(), "x")):
            try:
                await bad.call("subaccount.list")
            except CtError as error:
                outputs += [str(error), repr(error), error.title, error.message]
            else:
                pytest.fail("a bad credential was accepted")
    assert journal.path.exists()

    # -- the search ----------------------------------------------------------------
    secrets = recorder.secrets() | {DEMO_CLIENT_SECRET}
    assert len(secrets) >= 13  # 5 subaccounts x (key, secret) + SSO tokens/URLs + reset URLs
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    names = {p.name for p in written}
    assert {"session.log", "subaccount.svg", "session.svg", export.name} <= names
    assert any(n.endswith(".sqlite3") for n in names), names  # the TUI's cache
    assert any("journal" in str(p) for p in written), names
    assert any("cache" in str(p) and p.name != "tui.sqlite3" for p in written), names  # CLI cache

    # The search finds secrets where they are: in the --show-secrets output.
    shown_bytes = shown_file.read_bytes()
    credentials = recorder.app.subaccount_credentials()
    assert len(credentials) == 5
    for key, secret in credentials.values():
        assert key in secrets and secret in secrets
        assert key.encode() in shown_bytes and secret.encode() in shown_bytes
    token = json.loads(sso_shown)["subaccount"]["token"]
    assert token in secrets and token.encode() in shown_bytes
    leaks = {}
    for path in written:
        if path == shown_file:
            continue
        data = path.read_bytes()
        found = sorted(s[:6] + "…" for s in secrets if s.encode() in data)
        if found:
            leaks[str(path.relative_to(tmp_path))] = found
    assert leaks == {}
    for text in outputs:
        assert not [s for s in secrets if s in text], text[:300]
