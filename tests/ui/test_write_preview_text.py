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


LONG_EMAIL = "ada.augusta.lovelace.countess@analytical-engine-society.example.org"
#: Customers type what they like: a value that looks like markup stays literal.
MARKUP_NAME = "[bold red]Augusta[/bold red] [@click=app.quit]Ada Byron King, Countess[/]"


def shown_lines(widget) -> list[str]:
    """The lines a widget paints (what the terminal shows of it)."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_long_values_are_cut_to_the_width_not_wrapped(app, sandbox, size):
    async with app.run_test(size=size) as pilot:
        await open_campaign(app, pilot)
        await press(pilot, "n")
        form = app.screen
        form.query_one("#f-email").value = LONG_EMAIL
        form.query_one("#f-firstname").value = MARKUP_NAME
        form.query_one("#f-customid").value = "CRM-77"
        await press(pilot, "ctrl+o")
        preview = app.screen
        change = preview.query_one("#change")
        lines = shown_lines(change)
        width = change.content_region.width
        assert all(len(line) <= width for line in lines)
        rows = {line.split()[0]: line for line in lines[2:]}
        # One line per field: nothing wrapped onto a line of its own.
        assert set(rows) == {"firstname", "email", "customid"} and len(lines) == 5
        assert rows["customid"].endswith("CRM-77")  # short values whole
        for line, value in ((rows["email"], LONG_EMAIL), (rows["firstname"], MARKUP_NAME)):
            start = line.index(value[:8])
            if start + len(value) > width:  # cut where the screen ends, and says so
                assert line.endswith("…") and len(line) == width
                assert value.startswith(line[start:-1])
            else:
                assert line.endswith(value)
        assert "[bold red]Augusta[/bold red]" in rows["firstname"]  # literal, not markup
        request = preview_text(preview)
        assert LONG_EMAIL in request.replace("\n", "")  # whole in the request block
        assert '"firstname": "' + MARKUP_NAME + '"' in request.replace("\n", " ")


def test_a_value_too_long_for_a_middle_column_is_cut_with_an_ellipsis():
    from rich.cells import cell_len

    from ctconsole.ui.writes.render import beside_content

    lines = beside_content({"customid": "x" * 40, "name": "漢" * 20},
                           {"customid": "CRM-1", "name": "Ada"}).plain.splitlines()
    rows = {line.split()[1]: line for line in lines[1:]}
    assert "x" * 27 + "…" in rows["customid"] and "x" * 28 not in rows["customid"]
    # 13 wide characters fill 26 cells; the half a 14th would take is a space.
    assert "漢" * 13 + " …" in rows["name"] and "漢" * 14 not in rows["name"]
    # The after column starts at the same cell on every row, wide characters or not.
    starts = {cell_len(line[:line.rindex("  ") + 2]) for line in rows.values()}
    assert len(starts) == 1
    assert rows["customid"].endswith("CRM-1") and rows["name"].endswith("Ada")
