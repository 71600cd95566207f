"""At 80x24 the columns support reads first are on screen without scrolling:
a loyalty user's stamps, a journal entry's outcome, a find match's date."""

from __future__ import annotations

from ctconsole.ui.screenshots import frozen_app, settle, to_find_matches, to_journal

from .test_snapshot_matrix import to_loyalty_users


def screen_lines(app) -> list[str]:
    return ["".join(segment.text for segment in strip)
            for strip in app.screen._compositor.render_strips()]


async def shown_at_80x24(steps, tmp_path=None) -> str:
    app = frozen_app(big_sessions=100)
    if tmp_path is not None:
        from ctconsole.writes import Journal

        app.journal = Journal(tmp_path / "journal.jsonl")
    async with app.run_test(size=(80, 24)) as pilot:
        await steps(pilot)
        await settle(pilot)
        return "\n".join(screen_lines(app))


async def test_loyalty_stamps_are_on_screen():
    shown = await shown_at_80x24(to_loyalty_users)
    assert "Stamps" in shown and "Points" in shown


async def test_the_journal_outcome_is_on_screen(tmp_path):
    shown = await shown_at_80x24(to_journal, tmp_path)
    assert "Outcome" in shown and " ok " in shown and "failed" in shown


async def test_find_matches_show_their_date():
    shown = await shown_at_80x24(to_find_matches)
    assert "Created (UTC)" in shown


async def test_home_at_80_columns_needs_no_horizontal_scrollbar():
    from ctconsole.ui.screenshots import to_home

    app = frozen_app(big_sessions=100)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_home(pilot)
        grid = app.screen.grid
        assert grid.virtual_size.width <= grid.scrollable_content_region.width
        assert not grid.show_horizontal_scrollbar
