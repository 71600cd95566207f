"""The session pane names its campaign's status and run dates: a coupon of
an inactive or ended campaign is a common reason it "does not work"."""

from __future__ import annotations

from .writes_support import open_session, session_where, text_of


async def test_the_session_pane_shows_its_campaigns_status_and_run_dates(make_app, sandbox):
    code = session_where(sandbox, claimed="1")
    campaign = sandbox.state.campaigns["cam_1001"]
    campaign.update(status="inactive", start_date="2025-03-01", end_date="2025-04-30")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_session(app, pilot, code)
        await app.workers.wait_for_complete()
        await pilot.pause()
        line = text_of(pane, "#campaign-run")
        assert "cam_1001" in line and "status: inactive" in line
        assert "2025-03-01 → 2025-04-30" in line
