"""A narrow terminal cuts the breadcrumbs in the middle: where you are (the
last crumb) and where you started stay; names give way before IDs."""

from __future__ import annotations

from ctconsole.ui.screenshots import frozen_app, to_session_timeline
from ctconsole.ui.widgets.breadcrumbs import fit_crumbs

TRAIL = ("Account", "Campaigns", "cam_1003 Loyal coffee drinkers — big", "nnoim7")


def test_the_trail_is_cut_in_the_middle():
    assert str(fit_crumbs(TRAIL, 200)) == " › ".join(TRAIL)
    assert str(fit_crumbs(TRAIL, 45)) == "Account › Campaigns › cam_1003 › nnoim7"
    assert str(fit_crumbs(TRAIL, 25)) == "Account › … › nnoim7"
    assert str(fit_crumbs(TRAIL, 12)) == "… › nnoim7"
    assert str(fit_crumbs(TRAIL, 5)) == "…oim7"


async def test_at_60_columns_the_session_pane_says_where_you_are():
    app = frozen_app(big_sessions=12000)
    async with app.run_test(size=(60, 24)) as pilot:
        await to_session_timeline(pilot)
        code = app.screen.session_code
        first_line = "".join(s.text for s in app.screen._compositor.render_strips()[0])
        assert first_line.strip().startswith("Account › ")
        assert f"› {code[:6]}" in first_line and "…" not in first_line.replace(" › … › ", "")
