"""Single-use URL writes from the campaign pane, end to end against the
sandbox: `n` creates one (prefilled), `N` creates many (the count typed to
confirm; the codes listed and exported), `D` removes the cursor's session."""

from __future__ import annotations

import csv
import io

import pytest
from textual.widgets import Button, Input, Select

from ctconsole.ui.widgets.export_dialog import ExportDialog
from ctconsole.ui.writes.form import WriteForm
from ctconsole.ui.writes.preview import PreviewScreen
from ctconsole.ui.writes.takeaway import CreatedCodesResult, SingleUseResult
from ctconsole.ui.writes.result import ResultScreen
from ctconsole.writes import Journal

from .writes_support import notifications, open_campaign, preview_text, press, sent, text_of

CAMPAIGN = "cam_1001"


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "journal.jsonl")


@pytest.fixture
def app(make_app, journal):
    return make_app(journal=journal)


def fill(form: WriteForm, **values: object) -> None:
    for name, value in values.items():
        form.query_one(f"#f-{name}").value = value  # type: ignore[attr-defined]


def codes_of(sandbox, campaign: str = CAMPAIGN) -> list[str]:
    return list(sandbox.state.sessions.order[campaign])


async def test_create_one_prefilled_url_shown_copied_and_listed(app, sandbox, journal):
    before = codes_of(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_campaign(app, pilot, CAMPAIGN)
        await press(pilot, "n")
        form = app.screen
        assert isinstance(form, WriteForm)
        assert form.focused is form.query_one("#f-firstname", Input)
        names = [p.name for p in app.client.operation("singleuse.create").params]
        assert all(form.query_one(f"#f-{n}") for n in names)
        fill(form, firstname="Ada", lastname="Lovelace", email="ada@example.org",
             customid="CRM-77", customvalcode="VAL-0077", expiry_date="2027-01-31:23:59:59")
        await press(pilot, "ctrl+o")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        shown = preview_text(preview)
        assert "POST /v3/singleuse/create" in shown and "main account" in shown
        assert '"firstname": "Ada"' in shown and '"customid": "CRM-77"' in shown
        assert sent(sandbox, "singleuse.create") == 0
        await press(pilot, "a")
        result = app.screen
        assert isinstance(result, SingleUseResult) and "Applied" in text_of(result, "#headline")
        [code] = [c for c in codes_of(sandbox) if c not in before]
        record = sandbox.session(code)
        assert (record["firstname"], record["email"], record["customid"],
                record["customvalcode"]) == ("Ada", "ada@example.org", "CRM-77", "VAL-0077")
        url, shown_code, valcode = (t.value for t in result.items)
        assert url == record["single_use_url"] and shown_code == code and valcode == "VAL-0077"
        assert url in text_of(result, "#takeaways")
        assert "CRM-77" in text_of(result, "#now")  # the session, read again
        await press(pilot, "c")
        assert app.clipboard == url
        await press(pilot, "escape")
        assert app.screen is pane
        assert code in pane.grid.model.view_keys()  # the sessions were fetched again
    [entry] = journal.entries()
    assert (entry.operation, entry.outcome) == ("singleuse.create", "ok")
    assert entry.params["customid"] == "CRM-77" and entry.after["customid"] == "CRM-77"


async def test_create_many_with_automated_codes_needs_the_count_typed_and_exports(
        app, sandbox, journal, tmp_path):
    before = set(codes_of(sandbox))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_campaign(app, pilot, CAMPAIGN)
        await press(pilot, "N")
        form = app.screen
        amount = form.query_one("#f-amount", Input)
        assert form.focused is amount and amount.value == "10"
        await press(pilot, *"100001")
        assert "100000" in text_of(form, "#p-amount")  # checked as you type
        amount.value = "25"
        form.query_one("#f-automated_codes", Select).value = True
        await pilot.pause()
        await press(pilot, "ctrl+o")
        assert app.screen is form  # prefix, length and type are needed with automated codes
        fill(form, code_prefix="XMAS-", code_length="12", code_type="numeric")
        await pilot.pause()
        await press(pilot, "ctrl+o")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        assert "25 new single-use URLs" in preview_text(preview)
        assert "Type 25 to confirm" in text_of(preview, "#confirm-label")
        assert "POST /v3/multiplesingleuse/create" in text_of(preview, "#request")
        apply = preview.query_one("#preview-apply", Button)
        await press(pilot, "2", "4", "enter")
        assert apply.disabled and app.screen is preview
        assert sent(sandbox, "singleuse.create_many") == 0
        preview.query_one("#confirm", Input).value = ""
        await press(pilot, "2", "5")
        assert not apply.disabled
        await press(pilot, "enter")
        result = app.screen
        assert isinstance(result, CreatedCodesResult)
        new = [c for c in codes_of(sandbox) if c not in before]
        assert len(new) == 25
        assert all(sandbox.session(c)["customvalcode"].startswith("XMAS-") for c in new)
        grid = result.query_one("#codes")
        assert sorted(grid.model.view_keys()) == sorted(new)
        assert "25 codes created" in text_of(result, "#codes-note")
        await press(pilot, "e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        target = tmp_path / "codes.csv"
        dialog.query_one("#export-path", Input).value = str(target)
        await press(pilot, "enter")
        assert app.screen is result
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [r["code"] for r in rows] == new  # every created code, in the API's order
    assert all(r["customvalcode"] == sandbox.session(r["code"])["customvalcode"] for r in rows)
    [entry] = journal.entries()
    assert entry.operation == "singleuse.create_many" and entry.reach == 25
    assert entry.outcome == "ok"


async def test_remove_the_cursor_session(app, sandbox, journal):
    code = codes_of(sandbox)[3]
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_campaign(app, pilot, CAMPAIGN)
        pane.grid.cursor = pane.grid.model.view_keys().index(code)
        await press(pilot, "D")
        form = app.screen
        assert form.values() == {"campaign": CAMPAIGN, "couponsession": code}
        await press(pilot, "enter")  # from the reason field to the preview
        shown = preview_text(app.screen)
        assert "→  exists" in shown and "POST /v3/singleuse/remove" in shown
        await press(pilot, "a")
        assert isinstance(app.screen, ResultScreen) and "Applied" in text_of(app.screen, "#headline")
        assert sandbox.session(code) is None
        await press(pilot, "escape")
        assert code not in pane.grid.model.view_keys()  # fetched again
    [entry] = journal.entries()
    assert entry.before["exists"] is True and entry.after == {"exists": False}


async def test_removing_a_session_already_gone_is_refused(app, sandbox, journal):
    code = codes_of(sandbox)[4]
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_campaign(app, pilot, CAMPAIGN)
        sandbox.state.sessions.remove(code)  # removed elsewhere; the row is still shown
        pane.grid.cursor = pane.grid.model.view_keys().index(code)
        await press(pilot, "D", "enter")
        preview = app.screen
        assert "does not exist (already removed?)" in text_of(preview, "#refusals")
        assert preview.query_one("#preview-apply", Button).disabled
        await press(pilot, "a")
    assert sent(sandbox, "singleuse.remove") == 0 and journal.entries() == []


async def test_cancel_sends_nothing(app, sandbox, journal):
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_campaign(app, pilot, CAMPAIGN)
        await press(pilot, "n", "escape")
        await press(pilot, "N", "ctrl+o", "escape", "escape")
        await press(pilot, "D", "enter", "escape", "escape")
        assert app.screen is pane
    for operation in ("singleuse.create", "singleuse.create_many", "singleuse.remove"):
        assert sent(sandbox, operation) == 0
    assert journal.entries() == []


async def test_a_failed_create_many_keeps_the_form_and_is_journaled(app, sandbox, journal):
    count = len(codes_of(sandbox))
    sandbox.faults.add("api_error", operation="singleuse.create_many", code=300,
                       message="Codes could not be created")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_campaign(app, pilot, CAMPAIGN)
        await press(pilot, "N", "3", "ctrl+o", "3", "enter")
        form = app.screen
        assert isinstance(form, WriteForm)
        assert "could not be created" in text_of(form, "#form-error")
        assert form.values()["amount"] == "3"
    assert len(codes_of(sandbox)) == count
    [entry] = journal.entries()
    assert entry.outcome == "failed" and entry.operation == "singleuse.create_many"


@pytest.mark.parametrize("mode", ["read_only", "offline"])
async def test_every_single_use_key_is_refused(make_app, sandbox, journal, mode):
    app = make_app(journal=journal, **{mode: True})
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_campaign(app, pilot, CAMPAIGN)
        for key in ("n", "N", "D"):
            await press(pilot, key)
            assert app.screen is pane, key
        word = "read-only" if mode == "read_only" else "offline"
        assert sum(word in n for n in notifications(app)) >= 3
    for operation in ("singleuse.create", "singleuse.create_many", "singleuse.remove"):
        assert sent(sandbox, operation) == 0
    assert journal.entries() == []
