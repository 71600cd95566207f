"""A write that got a 5xx shows the one "outcome unknown" sentence (the CLI
prints the same one), once, with the cause beside it and no "try again"."""

from __future__ import annotations

import pytest

from ctconsole.api.errors import OUTCOME_UNKNOWN
from ctconsole.ui.writes.result import ResultScreen
from ctconsole.writes import Journal

from .writes_support import open_session, press, sent, session_where, text_of


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "journal.jsonl")


async def test_a_write_that_got_a_5xx_reads_outcome_unknown_once(make_app, sandbox, journal):
    app = make_app(journal=journal)
    code = session_where(sandbox, claimed="1", validated="0", voided="0", locked="0")
    sandbox.faults.add("status", operation="session.update", status=500)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_session(app, pilot, code)
        await press(pilot, "V", "ctrl+o", "a")
        result = app.screen
        assert isinstance(result, ResultScreen)
        assert "Outcome unknown" in text_of(result, "#headline")
        facts = " ".join(text_of(result, "#facts").split())
        assert facts.count(OUTCOME_UNKNOWN) == 1
        assert "Server error (HTTP 500): The server failed (HTTP 500) after the write was sent." \
            in facts
        assert "try again in a moment" not in facts
    assert sent(sandbox, "session.update") == 1
    [entry] = journal.entries()
    assert entry.outcome == "unknown" and entry.outcome_note == OUTCOME_UNKNOWN
