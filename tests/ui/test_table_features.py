"""Pilot tests: filter, sort, copy, export and the sessions date range, as a
user drives them over the sandbox account."""

from __future__ import annotations

import base64
import csv
import io
import json
import stat
from datetime import timedelta

import pytest
from pydantic import SecretStr
from textual import events
from textual.widgets import Input

from ctconsole.sandbox import BIG_CAMPAIGN
from ctconsole.ui.clipboard import row_text
from ctconsole.ui.screens.campaign import CampaignScreen
from ctconsole.ui.screens.account_lists import CampaignListScreen
from ctconsole.ui.screens.date_range import DateRangeDialog
from ctconsole.ui.widgets.export_dialog import ExportDialog
from ctconsole.ui.screens.home import HomeScreen
from ctconsole.ui.screenshots import settle


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """Exports default to ~/ctconsole-exports: keep the real home out of it."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def screen_text(app) -> str:
    return app.export_screenshot().replace("&#160;", " ")


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def open_campaign_sessions(pilot, app, campaign_id: str = BIG_CAMPAIGN) -> CampaignScreen:
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    keys = app.screen.grid.model.view_keys()
    for _ in range(keys.index(campaign_id)):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, CampaignScreen)
    return app.screen


# -- filter -------------------------------------------------------------------


async def test_slash_filters_home_as_you_type_with_a_count(app, sandbox):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert not screen.filter_bar.is_open
        await pilot.press("slash")
        assert screen.filter_bar.is_open
        assert app.focused is screen.filter_bar.input
        await type_text(pilot, "pac_7002")
        await pilot.pause()
        expected = sorted(s for s, r in sandbox.state.subaccounts.items() if r["package"] == "pac_7002")
        assert 0 < len(expected) < len(sandbox.state.subaccounts)
        assert screen.grid.model.view_keys() == expected
        shown = screen_text(app)
        assert f"{len(expected)} of {len(sandbox.state.subaccounts)}" in shown
        assert "sub_2001" not in shown  # pac_7001: filtered out of the screen

        await type_text(pilot, " rossi")  # every word must match
        await pilot.pause()
        assert screen.grid.model.view_keys() == ["sub_2004"]


async def test_escape_in_the_bar_clears_the_filter_and_stays_on_the_pane(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        total = len(screen.grid.model)
        await pilot.press("slash")
        await type_text(pilot, "black")
        await pilot.pause()
        assert screen.grid.model.view_keys() == [BIG_CAMPAIGN]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen  # Escape in the bar is not "back"
        assert len(screen.grid.model.view) == total
        assert not screen.filter_bar.is_open and screen.filter_bar.text == ""
        assert app.focused is screen.grid
        await pilot.press("escape")  # on the grid it is
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_enter_keeps_the_filter_and_returns_to_the_grid(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("slash")
        await type_text(pilot, "gmbh")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is screen.grid
        assert screen.grid.model.view_keys() == ["sub_2003"]
        assert screen.filter_bar.is_open  # still says the list is filtered
        await pilot.press("enter")  # and Enter on the grid opens the row
        await settle(pilot)
        assert "sub_2003" in str(app.screen.crumbs[-1])


async def test_session_filter_narrows_loaded_rows_and_survives_a_view_switch(app):
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_campaign_sessions(pilot, app)
        grid = screen.grid
        loaded = len(grid.model)
        await pilot.press("slash")
        await type_text(pilot, "wallet")
        await pilot.press("enter")
        await pilot.pause()
        records = grid.model.view_records()
        assert 0 < len(records) < loaded
        assert all("wallet" in str(r.values()).lower() for r in records)
        assert f"{len(records):,} of {loaded:,}" in screen_text(app)

        await pilot.press("3")  # claims view: restarts the stream, keeps the filter
        await settle(pilot)
        claims = grid.model.view_records()
        assert claims and all(r["claimtype"] == "wallet" or "wallet" in str(r.values()).lower()
                              for r in claims)
        assert len(grid.model.view) < len(grid.model)


async def test_keys_typed_fast_after_slash_land_in_the_bar(app):
    """A burst of keys (typing fast, or while pages load) is routed before
    any binding runs; `/` must still send the rest to the bar, not to the
    grid's own keys (`v` marks, `s` sorts)."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        for key, char in (("slash", "/"), ("v", "v"), ("s", "s"), ("slash", "/"), ("g", "g")):
            app.post_message(events.Key(key, char))
        await settle(pilot)
        assert screen.filter_bar.text == "vs/g"  # a "/" in the bar is text
        assert not screen.grid.model.marks and screen.grid.model.sort_state is None


# -- sort ---------------------------------------------------------------------


async def test_sort_by_another_column_reorders_the_screen(app, sandbox):
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CampaignListScreen)
        names = {cid: c["name"] for cid, c in sandbox.state.campaigns.items()
                 if c["owner"] == "main"}
        before = screen.grid.model.view_keys()
        await pilot.press("right")  # the Name column
        await pilot.press("s")
        await pilot.pause()
        by_name = sorted(names, key=lambda cid: names[cid].casefold())
        assert by_name != before
        assert screen.grid.model.view_keys() == by_name
        lines = [line for line in screen_text(app).splitlines() if "cam_10" in line]
        order = [next(cid for cid in names if cid in line) for line in lines]
        assert order == by_name
        await pilot.press("s")  # again: reversed
        await pilot.pause()
        assert screen.grid.model.view_keys() == by_name[::-1]


async def test_sort_and_filter_keys_are_listed_in_help(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        shown = screen_text(app)
        for text in ("Sort", "Arrival order", "Filter", "Copy cell", "Copy row", "Copy ID",
                     "Export", "Find"):
            assert text in shown, text


# -- copy ---------------------------------------------------------------------


class ClipboardSpy:
    """Records what the app is asked to copy and what the driver writes."""

    def __init__(self, app):
        self.copied: list[str] = []
        self.written: list[str] = []
        original = app.copy_to_clipboard

        def copy(text: str) -> None:
            self.copied.append(text)
            original(text)

        app.copy_to_clipboard = copy
        driver_write = app._driver.write

        def write(data: str) -> None:
            self.written.append(data)
            driver_write(data)

        app._driver.write = write


async def test_copy_id_cell_and_row_go_out_as_osc52_with_a_notice(app, sandbox):
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        spy = ClipboardSpy(app)
        first = app.screen.grid.model.view_keys()[0]
        record = sandbox.state.subaccounts[first]

        await pilot.press("i")
        assert spy.copied == [first]
        osc = "\x1b]52;c;" + base64.b64encode(first.encode()).decode() + "\a"
        assert osc in spy.written
        assert any(first in m and "ID" in m for m in messages(app))

        await pilot.press("right", "right")  # Company
        await pilot.press("y")
        assert spy.copied[-1] == record["company_name"]
        assert any(f"Company of {first}: {record['company_name']}" in m for m in messages(app))

        await pilot.press("Y")
        cells = spy.copied[-1].split("\t")
        assert cells[:3] == [first, record["username"], record["company_name"]]
        assert len(cells) == len(app.screen.grid.model.columns)


async def test_copy_notice_shows_hostile_text_inert(app):
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_campaign_sessions(pilot, app, "cam_1006")
        spy = ClipboardSpy(app)
        grid = screen.grid
        hostile = next(k for k in grid.model.view_keys()
                       if "\x1b" in str(grid.model.value(k, "name")))
        grid._move_cursor(grid.model.position_of(hostile))
        await pilot.press(*["right"] * 5)  # Name
        await pilot.press("y")
        name = str(grid.model.value(hostile, "name"))
        # The clipboard gets the shown text minus the controls, never an escape.
        payload = spy.copied[-1]
        assert payload == "".join(ch for ch in name if ch not in "\x1b\x07\u202e\u202c")
        assert not any(ch in payload for ch in "\x1b\x07\x9b\u202e")
        osc = "\x1b]52;c;" + base64.b64encode(payload.encode()).decode() + "\a"
        assert osc in spy.written
        notice = messages(app)[-1]
        assert "\x1b" not in notice and "␛" not in notice
        assert payload in notice  # the notice shows what was copied

        await pilot.press("Y")
        row = spy.copied[-1]
        assert not any(ch in row for ch in "\x1b\x07\x9b\u202e\u202c\r\n")
        assert payload in row.split("\t")
        assert base64.b64encode(row.encode()).decode() in "".join(spy.written)


async def test_a_secret_cell_is_never_copied(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        spy = ClipboardSpy(app)
        grid = app.screen.grid
        grid.clear()
        grid.append_rows([{"id": "sub_9", "username": SecretStr("hunter2")}])
        await pilot.press("right", "y")
        assert spy.copied == []
        assert "hunter2" not in "".join(messages(app))
        assert any("secret" in m for m in messages(app))
        await pilot.press("Y")
        assert "hunter2" not in spy.copied[-1]


def test_row_text_is_one_line_per_row_with_secrets_masked():
    text, masked = row_text(["a", "b", "c"], {"a": "x\ty", "b": "line1\nline2",
                                              "c": SecretStr("pw")})
    assert text == "x y\tline1 line2\t********" and masked


# -- export -------------------------------------------------------------------


async def test_export_writes_the_filtered_view_guarded_and_private(app, client, tmp_path):
    formula = '=HYPERLINK("http://evil.example","Garcia")'
    await client.call("subaccount.update", subaccount="sub_2002", company_name=formula)
    target = tmp_path / "out" / "subs.csv"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "pac_7002")
        await pilot.press("enter")
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path_input = dialog.query_one("#export-path", Input)
        assert path_input.value.startswith("~/ctconsole-exports/subaccount-list-")
        assert path_input.value.endswith(".csv")
        path_input.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "username", "company_name"]
    assert [r[0] for r in rows[1:]] == ["sub_2002", "sub_2004"]  # the filtered view only
    assert rows[1][2] == "'" + formula
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert any(str(target) in m and "2 rows" in m for m in messages(app))


async def test_export_json_follows_the_sort_order(app, tmp_path):
    import json

    target = tmp_path / "subs.json"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("right", "right", "s", "s")  # company name, descending
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("shift+tab")  # from the path back to the format
        await pilot.press("down", "enter")  # JSON
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path_input = dialog.query_one("#export-path", Input)
        assert path_input.value.endswith(".json")
        path_input.value = str(target)
        path_input.focus()
        await pilot.press("enter")
        await settle(pilot)
        shown = app.screen.grid.model.view_keys()
    data = json.loads(target.read_text())
    assert [row["id"] for row in data] == shown
    assert data[0]["lastlogin"] is None or "T" in data[0]["lastlogin"]  # ISO dates


async def test_export_replaces_a_file_only_after_asking(app, tmp_path):
    target = tmp_path / "taken.csv"
    target.write_text("keep")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        path_input = dialog.query_one("#export-path", Input)
        path_input.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog  # not written: the dialog asks
        assert target.read_text() == "keep"
        warning = str(dialog.query_one("#export-error").render())
        assert "exists" in warning and "Enter again replaces it" in warning
        await pilot.press("end", "backspace", "v")  # an edit clears the question
        await pilot.pause()
        assert str(dialog.query_one("#export-error").render()) == ""
        path_input.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert "exists" in str(dialog.query_one("#export-error").render())
        await pilot.press("enter")  # asked and confirmed
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert target.read_text("utf-8-sig").startswith("id,username")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


async def test_a_stray_key_in_the_export_dialog_keeps_the_path(app, tmp_path):
    """`e q Tab Enter` edits the pre-selected path, not replaces it by "q"."""
    home = tmp_path / "home"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        default = app.screen.query_one("#export-path", Input).value
        await pilot.press("q", "tab", "enter")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, HomeScreen)
    assert not (home / "q").exists()
    written = list((home / "ctconsole-exports").iterdir())
    assert [p.name for p in written] == [default.rsplit("/", 1)[1].replace(".csv", "q.csv")]


async def test_export_adds_the_extension_and_files_a_bare_name_with_the_exports(app, tmp_path):
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = "report"
        await pilot.press("enter")
        await settle(pilot)
    assert (tmp_path / "home" / "ctconsole-exports" / "report.csv").is_file()
    assert not (tmp_path / "report").exists() and not (tmp_path / "home" / "report").exists()


# -- date range ---------------------------------------------------------------


def session_requests(sandbox):
    return [r for r in sandbox.requests if r.operation == "campaign.sessions"]


async def test_date_range_is_sent_as_start_and_end_date(app, sandbox):
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_campaign_sessions(pilot, app)
        before = len(session_requests(sandbox))
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DateRangeDialog)
        await type_text(pilot, "2026-11-02")
        await pilot.press("enter")
        await type_text(pilot, "2026-11-03 12:00")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        sent = session_requests(sandbox)[before:]
        assert sent and all(r.body["start_date"] == "2026-11-02" for r in sent)
        assert all(r.body["end_date"] == "2026-11-03 12-00" for r in sent)
        created = [r["created"] for r in screen.grid.model.view_records()]
        assert created and min(created).strftime("%Y-%m-%d") >= "2026-11-02"
        assert max(created).strftime("%Y-%m-%d %H:%M") <= "2026-11-03 12:00"
        assert "2026-11-02 → 2026-11-03 12:00 UTC" in screen_text(app)

        await pilot.press("2")  # another view keeps the range
        await settle(pilot)
        last = session_requests(sandbox)[-1]
        assert last.body.get("start_date") == "2026-11-02"

        await pilot.press("d", "ctrl+r")  # clear
        await settle(pilot)
        last = session_requests(sandbox)[-1]
        assert "start_date" not in last.body and "end_date" not in last.body


async def test_a_bad_date_is_explained_in_the_form(app, sandbox):
    async with app.run_test(size=(120, 36)) as pilot:
        await open_campaign_sessions(pilot, app, "cam_1001")
        before = len(session_requests(sandbox))
        await pilot.press("d")
        await type_text(pilot, "2026-13-01")
        await pilot.press("enter", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DateRangeDialog)
        error = str(dialog.query_one("#range-error").render())
        hint = str(dialog.query_one(".range-hint").render())
        # One format, the same in the hint and in the error.
        assert "From: 2026-13-01 is not a real date" in error
        assert "yyyy-mm-dd hh:mm" in error and "yyyy-mm-dd hh:mm" in hint
        assert "hh-mm" not in error and "MM" not in error + hint
        assert len(session_requests(sandbox)) == before  # nothing was sent
        await pilot.press("shift+tab", "backspace")  # editing clears the error
        await pilot.pause()
        assert str(dialog.query_one("#range-error").render()) == ""
        await pilot.press("escape")
        assert isinstance(app.screen, CampaignScreen)


@pytest.mark.parametrize(("typed", "sent"), [
    ("2026/11/2", "2026-11-02"),
    ("2026-11-02T09:30", "2026-11-02 09-30"),
    ("2026-11-02 9:30", "2026-11-02 09-30"),
    ("2026-11-02 09-30", "2026-11-02 09-30"),
    ("yesterday", None),  # the app clock's yesterday, UTC
])
async def test_the_date_range_takes_the_obvious_spellings(app, sandbox, typed, sent):
    sent = sent or (app.clock().date() - timedelta(days=1)).isoformat()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_campaign_sessions(pilot, app, "cam_1001")
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#range-start", Input).value = typed
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert session_requests(sandbox)[-1].body["start_date"] == sent
        await pilot.press("d")  # shown again as people write it
        await pilot.pause()
        shown = app.screen.query_one("#range-start", Input).value
        assert shown == sent[:11] + sent[11:].replace("-", ":")


async def test_the_date_range_placeholders_do_not_look_like_dates(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await open_campaign_sessions(pilot, app, "cam_1001")
        await pilot.press("d")
        await pilot.pause()
        for field in ("#range-start", "#range-end"):
            placeholder = app.screen.query_one(field, Input).placeholder
            assert not any(char.isdigit() for char in placeholder), placeholder


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_export_of_hostile_sessions_holds_no_terminal_control(app, tmp_path, fmt):
    target = tmp_path / f"hostile.{fmt}"
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_campaign_sessions(pilot, app, "cam_1006")
        hostile = [k for k in screen.grid.model.view_keys()
                   if "\x1b" in str(screen.grid.model.value(k, "name"))]
        assert hostile  # the sandbox campaign holds escapes to export
        count = len(screen.grid.model.view_keys())
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        if fmt == "json":
            await pilot.press("shift+tab", "down", "enter")
            await pilot.pause()
        path_input = dialog.query_one("#export-path", Input)
        path_input.value = str(target)
        path_input.focus()
        await pilot.press("enter")
        await settle(pilot)
    data = target.read_bytes()
    text = data.decode("utf-8-sig")
    for bad in ("\x1b", "\x00", "\x07", "\x9b", "\u202e", "\u202c"):
        assert bad not in text, repr(bad)
    assert "\\u001b" not in text  # removed, not JSON-escaped
    assert "]2;pwned" in text  # the rest of the customer's text is kept
    if fmt == "json":
        names = [row["name"] for row in json.loads(text)]
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
        names = [row["name"] for row in rows]
    assert len(names) == count


async def test_the_sessions_export_has_the_validation_date(app, sandbox, tmp_path):
    target = tmp_path / "sessions.csv"
    async with app.run_test(size=(120, 36)) as pilot:
        await open_campaign_sessions(pilot, app, "cam_1001")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    records = sandbox.state.sessions.records
    validated = [r for r in rows if records[r["session"]]["validated"] == "1"]
    assert validated and all(r["validated"] for r in validated)
    assert all(r["validated"] == records[r["session"]]["validation_date_utc"] for r in validated)
    assert all(not r["validated"] for r in rows if records[r["session"]]["validated"] != "1")
