"""The batch preview warns on each row whose session's campaign is not
running, judged by the app's clock (frozen here), and counts those rows as
"will change, with a warning"."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ctconsole.writes import Journal

from .test_batch_pane import FRESH, codes, open_batch, summary
from .writes_support import press, sent


async def test_the_preview_warns_per_row_of_a_campaign_ended_by_the_apps_clock(
        make_app, sandbox, tmp_path):
    ended, running = sandbox.state.campaigns["cam_1005"], sandbox.state.campaigns["cam_1001"]
    assert ended["status"] == running["status"] == "active"
    # The day after cam_1005's end, while cam_1001 still runs.
    now = datetime.fromisoformat(ended["end_date"]).replace(tzinfo=timezone.utc) + timedelta(days=1)
    assert now.date().isoformat() <= running["end_date"]
    app = make_app(journal=Journal(tmp_path / "journal.jsonl"), clock=lambda: now)
    off, on = codes(sandbox, "cam_1005", n=2, **FRESH), codes(sandbox, "cam_1001", n=2, **FRESH)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_batch(app, pilot, "\n".join([*off, *on]))
        await press(pilot, "p")
        assert "Validate 4 sessions — 2 will change, 2 will change, with a warning" in summary(
            screen)
        assert "Type 4" in summary(screen)
        rows = {r["input"]: r for r in screen.grid.model.view_records()}
        for code in off:
            assert rows[code]["status"] == "⚠ change"
            assert rows[code]["note"] == (
                f"⚠ Session {code[:6]} belongs to campaign cam_1005 ({ended['name']}), which "
                f"ended on {ended['end_date']} (status active, runs {ended['start_date']} to "
                f"{ended['end_date']}); check that the merchant still honours its coupons")
        for code in on:
            assert (rows[code]["status"], rows[code]["note"]) == ("change", "")
    assert sent(sandbox, "campaign.info") == 2  # one read per campaign
