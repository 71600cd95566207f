"""`q` while a write is in flight asks first ("a write is in flight: wait /
quit anyway") instead of quitting under it; with no write out it quits."""

from __future__ import annotations

import asyncio

import pytest

from ctconsole.ui.writes.quit_dialog import QUESTION, QuitWhileWriting
from ctconsole.ui.writes.preview import PreviewScreen
from ctconsole.ui.writes.result import ResultScreen
from ctconsole.writes import Journal

from ctconsole.ui.screenshots import settle

from .writes_support import notifications, open_session, press, session_where, text_of


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "journal.jsonl")


@pytest.fixture
def app(make_app, journal):
    return make_app(journal=journal)


async def wait_for(pilot, condition, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not reached"
        await pilot.pause(0.02)


async def send_validate(app, pilot, sandbox, seconds: float) -> PreviewScreen:
    """Open a session, preview "Validate" and apply it against a slow API."""
    code = session_where(sandbox, claimed="1", validated="0", voided="0", locked="0")
    await open_session(app, pilot, code)
    await press(pilot, "V", "ctrl+o")
    preview = app.screen
    assert isinstance(preview, PreviewScreen)
    sandbox.faults.add("latency", operation="session.update", seconds=seconds)
    await pilot.press("a")
    await wait_for(pilot, lambda: app.writes_in_flight == 1)
    return preview


async def test_q_during_a_write_asks_and_waits_unless_told_to_quit(app, sandbox):
    async with app.run_test(size=(80, 24)) as pilot:
        await send_validate(app, pilot, sandbox, seconds=60)
        await pilot.press("q")
        await pilot.pause(0.05)
        dialog = app.screen
        assert isinstance(dialog, QuitWhileWriting)
        assert text_of(dialog, "#quit-question") == QUESTION
        assert app.return_code is None  # still running

        await pilot.press("q")  # a second q waits: a double tap never quits
        await pilot.pause(0.05)
        assert isinstance(app.screen, PreviewScreen) and app.return_code is None

        await pilot.press("q")
        await pilot.pause(0.05)
        assert isinstance(app.screen, QuitWhileWriting)
        await pilot.press("Q")  # quit anyway
        await pilot.pause(0.05)
        assert app.return_code == 0


async def test_the_dialog_closes_when_the_answer_arrives_then_q_quits(app, sandbox, journal):
    async with app.run_test(size=(80, 24)) as pilot:
        await send_validate(app, pilot, sandbox, seconds=2.5)
        await pilot.press("q")
        await pilot.pause(0.05)
        assert isinstance(app.screen, QuitWhileWriting)

        await wait_for(pilot, lambda: not isinstance(app.screen, QuitWhileWriting))
        await pilot.pause(0.05)
        assert app.return_code is None
        assert "The write's answer arrived; q quits now." in notifications(app)
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        [entry] = journal.entries()
        assert entry.outcome == "ok"  # the write finished and was journaled as such

        await pilot.press("q")
        await pilot.pause(0.05)
        assert app.return_code == 0


async def test_q_with_no_write_out_quits_at_once(app, sandbox):
    async with app.run_test(size=(80, 24)) as pilot:
        code = session_where(sandbox, claimed="1", validated="0", voided="0", locked="0")
        await open_session(app, pilot, code)
        await pilot.press("q")
        await pilot.pause(0.05)
        assert app.return_code == 0


async def test_q_during_a_batch_asks_too(app, sandbox):
    from textual.widgets import Input, TextArea

    from ctconsole.ui.batch.screen import BatchScreen

    todo = [c for c in sandbox.state.sessions.order["cam_1001"]
            if sandbox.session(c)["claimed"] == "1" and sandbox.session(c)["validated"] == "0"
            and sandbox.session(c)["voided"] == "0" and sandbox.session(c)["locked"] == "0"][:2]
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "B")
        batch = app.screen
        assert isinstance(batch, BatchScreen)
        batch.query_one("#batch-action").value = "validate"
        batch.query_one("#batch-paste", TextArea).text = " ".join(todo)
        await press(pilot, "ctrl+r", "p")
        batch.query_one("#batch-confirm", Input).value = "2"
        sandbox.faults.add("latency", operation="session.update_many", seconds=60)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.writes_in_flight == 1)
        await pilot.press("q")
        await pilot.pause(0.05)
        assert isinstance(app.screen, QuitWhileWriting) and app.return_code is None
