"""Files the console writes are its user's alone; the network rules hold.

After a session that uses every writer (the CLI's response cache, the TUI's
cache, an export, a screenshot, the journal of a write), every file under
the platform directories and every file we asked for is mode 0600. The https
rule and the refusal of `verify = false` are checked where a user meets
them (the CLI), and the source is checked for any way to switch TLS
verification off.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import stat
from pathlib import Path

import httpx
import pytest
from textual.widgets import Input

import ctconsole
from ctconsole import cli
from ctconsole.api import Client, Credentials
from ctconsole.cache import ResponseCache
from ctconsole.demo import demo_client_for
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.widgets.export_dialog import ExportDialog
from ctconsole.writes import Journal, WriteContext, apply_write, plan_write

from .conftest import FROZEN_LOCAL, settle, wait_for

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run_cli(argv: list[str], sandbox=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, stdout=out, stderr=err, sandbox_app=sandbox)
    return code, out.getvalue(), err.getvalue()


async def test_every_file_written_in_a_session_is_private(tmp_path, isolated_dirs):
    sandbox = make_sandbox_app(big_sessions=100)
    code, _, _ = await asyncio.to_thread(run_cli, ["--demo", "call", "campaign.list"], sandbox)
    assert code == 0

    db = isolated_dirs / ".cache" / "ctconsole" / "tui" / "responses.sqlite3"
    cache = ResponseCache(db)
    app = CtConsoleApp(demo_client_for(sandbox, cache=cache), local_tz=FROZEN_LOCAL)
    export = tmp_path / "out" / "subaccounts.csv"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#export-path", Input).value = str(export)
        await pilot.press("enter")
        await settle(pilot)
        await wait_for(pilot, export.exists, what="the export")
        shot = Path(app.save_screenshot(filename="home.svg", path=str(tmp_path)))
        # Textual's own screenshot action (the palette's "Save screenshot") too.
        app.action_screenshot(filename="palette.svg", path=str(tmp_path))
        palette_shot = tmp_path / "palette.svg"
        await wait_for(pilot, lambda: palette_shot.exists() and mode(palette_shot) == 0o600,
                       what="the delivered screenshot, private")
    # While the cache is open SQLite keeps its WAL and shared-memory files.
    side_files = [db.with_name(db.name + suffix) for suffix in ("-wal", "-shm")]
    assert {p.name: oct(mode(p)) for p in side_files} == {p.name: "0o600" for p in side_files}
    cache.close()

    async with Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url="http://sandbox",
                      transport=httpx.ASGITransport(app=sandbox)) as client:
        plan = await plan_write(client, "subaccount.update",
                                {"subaccount": "sub_2004", "company_name": "Studio Rossi & Figli"},
                                reason="HYG-1")
        outcome = await apply_write(client, plan, journal=Journal(),
                                    context=WriteContext(profile="demo"))
        assert outcome.ok

    ours = [p for p in isolated_dirs.rglob("*") if p.is_file()]
    names = {p.name for p in ours}
    assert any(n.endswith(".sqlite3") for n in names)
    assert any("journal" in str(p) for p in ours), names
    ours += [export, shot, tmp_path / "palette.svg"]
    assert {str(p.relative_to(tmp_path)): oct(mode(p)) for p in ours if mode(p) != 0o600} == {}
    assert mode(export.parent) == 0o700


def test_plain_http_is_refused_for_a_remote_api(tmp_path):
    code, out, err = run_cli(["--base-url", "http://api.example.com", "call", "auth.check"])
    assert code == 2 and out == ""
    assert "must use https" in err
    # Loopback may be plain http (a local sandbox): the error is then the
    # missing credentials, not the scheme.
    code, _, err = run_cli(["--base-url", "http://127.0.0.1:9", "call", "auth.check"])
    assert "must use https" not in err


def test_tls_verification_cannot_be_switched_off(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[profiles.main]\nclient_id = "x"\nclient_secret = "y"\nverify = false\n')
    config.chmod(0o600)
    code, out, err = run_cli(["--config", str(config), "call", "auth.check"])
    assert code == 2 and out == ""
    assert "ca_bundle" in err
    # Nowhere in the code is verification turned off.
    source = Path(ctconsole.__file__).parent
    off = re.compile(r"verify\s*=\s*False|CERT_NONE|check_hostname\s*=\s*False|_create_unverified")
    hits = [f"{p.relative_to(source)}:{n}" for p in source.rglob("*.py")
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if off.search(line)]
    assert hits == []
