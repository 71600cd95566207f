"""What the write preview says: a single-use URL's removal is for good and
may take a coupon from a customer; the "now → after" table fits the screen
(long values cut with "…", whole in the request)."""

from __future__ import annotations

import pytest

from ctconsole.writes import Journal

from .writes_support import open_campaign, preview_text, press, session_where, text_of


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(journal=Journal(tmp_path / "journal.jsonl"))


def change_rows(preview) -> dict[str, list[str]]:
    """The "now → after" table: field → [now, after] (cells split on 2+ spaces)."""
    import re

    rows = {}
    for line in text_of(preview, "#change").splitlines()[2:]:
        cells = re.split(r" {2,}", line.strip().lstrip("→").strip())
        rows[cells[0]] = cells[1:]
    return rows


async def test_removing_a_validated_session_previews_the_loss(app, sandbox):
    code = session_where(sandbox, validated="1", voided="0")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_campaign(app, pilot)
        pane.grid.move_cursor_to(code)
        await press(pilot, "D", "enter")
        preview = app.screen
        warnings = text_of(preview, "#warnings")
        assert "a customer may hold this coupon" in warnings
        assert "removed for good: it cannot be undone" in warnings
        rows = change_rows(preview)
        assert rows["exists"] == ["yes", "no"]
        assert rows["validated"] == ["yes", "(removed)"]
        assert rows["claimed"] == ["yes", "(removed)"]
        assert all(after == "(removed)" for name, (_, after) in rows.items() if name != "exists")
        assert code not in text_of(preview, "#change")  # the session's own ID is in the title
        assert "POST /v3/singleuse/remove" in preview_text(preview)
