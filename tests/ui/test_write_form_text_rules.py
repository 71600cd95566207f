"""A write form holds free text to its parameter's rules as it is typed or
pasted: the reason shows under the field, and nothing is sent."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from ctconsole.writes import Journal

from .writes_support import open_session, press, sent, session_where, text_of


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(journal=Journal(tmp_path / "journal.jsonl"))


@pytest.mark.parametrize("pasted, reason", [
    ("ord-\x1b]2;PWNED\x07-1", "must be one line of text without control characters (found ESC)"),
    ("ord\u202e1-dro", "must be one line of text without control characters "
                       "(found U+202E RIGHT-TO-LEFT OVERRIDE)"),
    ("x" * 300, "must be at most 255 characters long (got 300)"),
])
async def test_a_pasted_customid_breaking_its_rule_is_refused_with_the_reason(app, sandbox, pasted,
                                                                              reason):
    code = session_where(sandbox, claimed="1")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_session(app, pilot, code)
        await press(pilot, "w")
        form = app.screen
        field = form.query_one("#f-customid", Input)
        field.focus()
        field.post_message(events.Paste(pasted))
        await pilot.pause()
        await pilot.pause()
        assert text_of(form, "#p-customid") == reason
        await press(pilot, "ctrl+o")  # ask for the preview anyway
        assert app.screen is form  # no preview: the form stays, the reason with it
        assert text_of(form, "#p-customid") == reason
        assert any("nothing was sent" in n.message for n in app._notifications)
    assert sent(sandbox, "session.update") == 0
