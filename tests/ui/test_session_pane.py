"""The session pane: the lifecycle timeline, the facts, and the raw view."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from ctconsole.ui.screens.session import SessionScreen
from ctconsole.ui.timefmt import duration_text
from ctconsole.ui.screenshots import settle

STEP_FIELDS = (
    ("created", None, "created_date_utc"),
    ("opened", "opened", "open_date_utc"),
    ("played", "played", "played_date_utc"),
    ("claimed", "claimed", "claim_date_utc"),
    ("validated", "validated", "validation_date_utc"),
    ("voided", "voided", "voided_date_utc"),
)


async def open_session(app, pilot, pick):
    """Home → campaigns → cam_1001 → the first session `pick(record)` likes."""
    await settle(pilot)
    await pilot.press("c", "enter")
    await settle(pilot)
    campaign = app.screen
    sandbox = app.client.sandbox
    code = next(c for c in campaign.grid.model.view_keys() if pick(sandbox.state.sessions.read(c)))
    campaign.grid.cursor = campaign.grid.model.view_keys().index(code)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, SessionScreen)
    return code, sandbox.state.sessions.read(code)


def timeline_lines(app) -> list[str]:
    return app.screen.query_one("#timeline").render().plain.splitlines()


async def test_timeline_shows_each_reached_step_in_utc_local_and_gap(app):
    async with app.run_test(size=(120, 36)) as pilot:
        code, record = await open_session(
            app, pilot, lambda r: r["validated"] == "1" and r["voided"] == "0" and r["played"] == "1")
        lines = timeline_lines(app)
        assert [line.split()[1] for line in lines[1:]] == [
            "created", "opened", "played", "claimed", "validated"]  # no voided row
        previous = None
        for line, (step, _flag, field) in zip(lines[1:], STEP_FIELDS):
            utc = datetime.strptime(record[field], "%Y-%m-%d %H:%M:%S")
            assert line.startswith("●")
            assert f"{record[field]} UTC" in line
            assert f"{utc + timedelta(hours=1):%Y-%m-%d %H:%M:%S} CET" in line  # FROZEN_LOCAL
            if previous is not None:
                assert line.rstrip().endswith("+" + duration_text(utc - previous))
            previous = utc
        assert "state: validated" in app.screen.query_one("#state").render().plain
        assert app.screen.crumbs[-1] == code[:6]


async def test_voided_session_shows_the_void_and_unreached_steps_hollow(app):
    async with app.run_test(size=(120, 36)) as pilot:
        _, record = await open_session(
            app, pilot, lambda r: r["voided"] == "1" and r["validated"] == "0")
        lines = timeline_lines(app)
        rows = {line.split()[1]: line for line in lines[1:]}
        assert rows["voided"].startswith("●") and record["voided_date_utc"] in rows["voided"]
        assert rows["validated"].startswith("○") and "—" in rows["validated"]
        assert "state: voided" in app.screen.query_one("#state").render().plain


async def test_facts_show_claim_type_wallet_and_custom_id(app):
    async with app.run_test(size=(120, 36)) as pilot:
        _, record = await open_session(app, pilot, lambda r: r["claimtype"] != "" and r["customid"])
        facts = app.screen.query_one("#facts").text
        assert f"claim type              {record['claimtype']}" in facts
        wallet = "yes" if record["saved_to_passbook"] == "1" else "no"
        assert f"saved to wallet         {wallet}" in facts
        assert record["customid"] in facts


async def test_raw_view_shows_every_field_including_unknown_ones(app, sandbox):
    sandbox.faults.add("wrong_shape", operation="session.info", times=None,
                       field="loyalty_tier", value="gold")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_session(app, pilot, lambda r: True)
        raw = app.screen.query_one("#raw")
        assert not raw.display
        await pilot.press("j")
        assert raw.display
        assert '"loyalty_tier": "gold"' in app.screen.query_one("#raw-text").render().plain
        await pilot.press("j")
        assert not raw.display


@pytest.mark.parametrize("zone", ["Europe/Brussels", "UTC"])
async def test_the_second_time_column_is_named_by_its_zone_and_left_out_for_utc(
        make_app, zone):
    from zoneinfo import ZoneInfo

    app = make_app(local_tz=ZoneInfo(zone))
    async with app.run_test(size=(120, 36)) as pilot:
        await open_session(app, pilot, lambda record: True)
        header = str(app.screen.query_one("#timeline").render()).splitlines()[0]
        assert "local" not in header
        if zone == "UTC":  # a jump host in UTC: the column would repeat the UTC one
            assert header.split() == ["step", "UTC", "gap"]
        else:
            assert header.split() == ["step", "UTC", zone, "gap"]


def test_display_zone_from_config_then_tz():
    from zoneinfo import ZoneInfo

    from ctconsole.ui.timefmt import display_zone, is_utc, zone_label

    assert display_zone("Europe/Brussels", {"TZ": "Asia/Tokyo"}) == ZoneInfo("Europe/Brussels")
    assert display_zone(None, {"TZ": ":Asia/Tokyo"}) == ZoneInfo("Asia/Tokyo")
    assert display_zone(None, {"TZ": "Nowhere/Land"}) is None
    assert display_zone(None, {}) is None
    with pytest.raises(ValueError, match="unknown time zone 'Europe/Bruxelles'"):
        display_zone("Europe/Bruxelles", {})
    assert zone_label(ZoneInfo("America/New_York")) == "America/New_York"
    assert is_utc(ZoneInfo("UTC")) and not is_utc(ZoneInfo("Europe/Brussels"))
