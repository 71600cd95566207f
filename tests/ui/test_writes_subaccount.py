"""Subaccount writes, end to end against the sandbox: `N` on home creates one,
`w` / `R` / `L` on the subaccount pane update it and create login links.
The links are shown and copied but never journaled nor put in a notice."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from ctconsole.ui.screens.home import HomeScreen
from ctconsole.ui.writes.form import WriteForm
from ctconsole.ui.writes.preview import PreviewScreen
from ctconsole.ui.writes.result import ResultScreen
from ctconsole.ui.writes.takeaway import LoginUrlResult
from ctconsole.writes import Journal

from .test_panes_subaccount import open_sub
from .writes_support import notifications, preview_text, press, sent, text_of

PASSWORD = "Tulip-Meadow-8812"
SUB = "sub_2001"


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "journal.jsonl")


@pytest.fixture
def app(make_app, journal):
    return make_app(journal=journal)


def fill(form: WriteForm, **values: object) -> None:
    for name, value in values.items():
        widget = form.query_one(f"#f-{name}")
        widget.value = value  # type: ignore[attr-defined]


def journal_text(journal: Journal) -> str:
    return journal.path.read_text(encoding="utf-8")


async def test_create_a_subaccount_from_home_with_a_masked_password(app, sandbox, journal):
    before = set(sandbox.state.subaccounts)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        await press(pilot, "N")
        form = app.screen
        assert isinstance(form, WriteForm)
        names = [p.name for p in app.client.operation("subaccount.create").params]
        assert all(form.query_one(f"#f-{n}") for n in names)  # every S3 field
        assert form.focused is form.query_one("#f-email", Input)
        password = form.query_one("#f-password", Input)
        assert password.password  # typed characters are not shown
        fill(form, email="nora@nails.example", password=PASSWORD, first_name="Nora",
             company_name="Nora's Nails", status="customer", country="BE",
             expiry_date="2027-12-31")
        await press(pilot, "ctrl+o")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        shown = preview_text(preview)
        assert PASSWORD not in shown and '"password": "…"' in shown
        assert "POST /v4/subaccount/create" in shown and "main account" in shown
        change = {line.split()[0]: line.split("  ")[-1].strip() for line in shown.splitlines()
                  if line.startswith(" ") and len(line.split()) >= 3}
        assert change["company_name"] == "Nora's Nails" and change["email"] == "nora@nails.example"
        assert sent(sandbox, "subaccount.create") == 0
        await press(pilot, "a")
        result = app.screen
        assert isinstance(result, ResultScreen) and "Applied" in text_of(result, "#headline")
        [new_id] = set(sandbox.state.subaccounts) - before
        created = sandbox.state.subaccounts[new_id]
        assert (created["email"], created["company_name"], created["status"]) == \
            ("nora@nails.example", "Nora's Nails", "customer")
        assert created["password_set"] is True
        assert "nora@nails.example" in text_of(result, "#now")  # read again from the API
        assert new_id in text_of(result, "#takeaways")
        await press(pilot, "c")
        assert app.clipboard == new_id
        await press(pilot, "escape")
        assert app.screen is home
        assert new_id in home.grid.model.view_keys()  # the list was fetched again
    [entry] = journal.entries()
    assert (entry.operation, entry.outcome) == ("subaccount.create", "ok")
    assert entry.params["password"] == "…" and entry.credentials == "main account"
    assert PASSWORD not in journal_text(journal)


async def test_create_with_a_taken_email_keeps_the_form_and_journals_the_failure(
        app, sandbox, journal):
    taken = sandbox.state.subaccounts["sub_2002"]["email"]
    count = len(sandbox.state.subaccounts)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "N")
        form = app.screen
        fill(form, email=taken, password=PASSWORD)
        await press(pilot, "ctrl+o", "a")
        assert app.screen is form
        assert "Not applied" in text_of(form, "#form-error")
        assert form.values()["email"] == taken
        assert form.query_one("#f-password", Input).value == PASSWORD  # kept for the retry
    assert len(sandbox.state.subaccounts) == count
    [entry] = journal.entries()
    assert entry.outcome == "failed" and PASSWORD not in journal_text(journal)


async def test_update_uses_the_main_account_and_shows_the_subaccount_again(
        app, sandbox, journal):
    record = sandbox.state.subaccounts[SUB]
    old = record["company_name"]
    async with app.run_test(size=(120, 36)) as pilot:
        pane = await open_sub(pilot, SUB)
        await press(pilot, "w")
        form = app.screen
        assert form.query_one("#f-subaccount", Input).disabled
        fill(form, company_name="Peeters & Zonen")
        await press(pilot, "ctrl+o")
        shown = preview_text(app.screen)
        assert "→  company_name" in shown and old in shown and "Peeters & Zonen" in shown
        assert "credentials  main account" in shown
        await press(pilot, "a")
        assert "Peeters & Zonen" in text_of(app.screen, "#now")
        await press(pilot, "escape")
        assert app.screen is pane
        assert "Peeters & Zonen" in pane.query_one("#detail").text  # info fetched again
    assert record["company_name"] == "Peeters & Zonen"
    # The subaccount's own key never carried the write.
    [request] = [r for r in sandbox.requests if r.operation == "subaccount.update"]
    assert request.headers.get("x-client-id") not in {k for k, _ in
                                                       sandbox.subaccount_credentials().values()}
    [entry] = journal.entries()
    assert entry.before["company_name"] == old and entry.after["company_name"] == "Peeters & Zonen"


async def test_reset_url_is_shown_copied_and_never_journaled(app, sandbox, journal):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sub(pilot, SUB)
        await press(pilot, "R")
        form = app.screen
        assert "Password-reset URL for sub_2001" in text_of(form, "#form-title")
        await press(pilot, "enter")  # the reason field is focused: on to the preview
        assert "POST /v3/subaccount/reset/url" in text_of(app.screen, "#request")
        await press(pilot, "a")
        result = app.screen
        assert isinstance(result, LoginUrlResult)
        url = result.items[0].value
        assert url.startswith("https://app.coupontools.com/reset-password/")
        assert url in text_of(result, "#takeaways")
        await press(pilot, "c")
        assert app.clipboard == url
        assert any("Copied password-reset URL (not shown)" in n for n in notifications(app))
        assert not any(url[-32:] in n for n in notifications(app))
    assert sent(sandbox, "subaccount.reset_url") == 1
    [entry] = journal.entries()
    assert entry.outcome == "ok"
    assert url[-32:] not in journal_text(journal)  # the token part, anywhere in the file


async def test_sso_url_to_a_campaign_page_with_every_link_copyable(app, sandbox, journal):
    campaign = sandbox.state.campaigns_of(SUB)[0]["ID"]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sub(pilot, SUB)
        await press(pilot, "L")
        form = app.screen
        assert form.focused is form.query_one("#f-page", Select)
        await press(pilot, "q")  # on a choice, q must not quit the app and drop the form
        assert app.screen is form and app.is_running
        assert any("q does not quit from a form" in n for n in notifications(app))
        form.query_one("#f-page", Select).value = "update_campaign"
        await pilot.pause()
        await press(pilot, "ctrl+o")  # update_campaign needs the campaign: no preview
        assert app.screen is form
        assert text_of(form, "#p-campaign") == "required when page is update_campaign"
        fill(form, campaign=campaign)
        await press(pilot, "ctrl+o")
        shown = preview_text(app.screen)
        assert f'"page": "update_campaign", "campaign": "{campaign}"' in shown
        await press(pilot, "a")
        result = app.screen
        assert isinstance(result, LoginUrlResult)
        login, whitelabel, token = (t.value for t in result.items)
        assert token in login and f"campaign={campaign}" in login
        shown = text_of(result, "#takeaways")
        assert login in shown and whitelabel in shown
        await press(pilot, "2")
        assert app.clipboard == whitelabel
        await press(pilot, "3")
        assert app.clipboard == token
        assert not any(token in n for n in notifications(app))
    text = journal_text(journal)
    assert token not in text and "sso/?" not in text
    [entry] = journal.entries()
    assert entry.params["page"] == "update_campaign" and entry.outcome == "ok"


async def test_login_links_are_hidden_on_screen_while_screen_share_is_on(
        make_app, sandbox, journal):
    app = make_app(journal=journal, screen_share=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sub(pilot, SUB)
        await press(pilot, "L", "ctrl+o", "a")
        result = app.screen
        login = result.items[0].value
        shown = text_of(result, "#takeaways")
        assert login not in shown and "hidden while screen share is on" in shown
        await press(pilot, "c")
        assert app.clipboard == login  # still copyable


async def test_a_failed_link_keeps_the_form_and_is_journaled(app, sandbox, journal):
    sandbox.faults.add("api_error", operation="subaccount.sso", code=300,
                       message="Login could not be created")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sub(pilot, SUB)
        await press(pilot, "L")
        app.screen.query_one("#f-page", Select).value = "statistics"
        await press(pilot, "ctrl+o", "a")
        form = app.screen
        assert isinstance(form, WriteForm)
        assert "could not be created" in text_of(form, "#form-error")
        assert form.values()["page"] == "statistics"
    [entry] = journal.entries()
    assert entry.outcome == "failed" and entry.operation == "subaccount.sso"


async def test_cancel_sends_nothing(app, sandbox, journal):
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot)
        home = app.screen
        await press(pilot, "N", "escape")
        assert app.screen is home
        pane = await open_sub(pilot, SUB)
        await press(pilot, "w")
        fill(app.screen, first_name="Changed")
        await press(pilot, "ctrl+o", "escape", "escape")
        await press(pilot, "R", "enter", "escape", "escape")
        await press(pilot, "L", "escape")
        assert app.screen is pane
    for operation in ("subaccount.create", "subaccount.update", "subaccount.reset_url",
                      "subaccount.sso"):
        assert sent(sandbox, operation) == 0
    assert journal.entries() == []


@pytest.mark.parametrize("mode", ["read_only", "offline"])
async def test_every_subaccount_write_key_is_refused(make_app, sandbox, journal, mode):
    app = make_app(journal=journal, **{mode: True})
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "N")
        assert isinstance(app.screen, HomeScreen)
        pane = await open_sub(pilot, SUB)
        for key in ("w", "R", "L"):
            await press(pilot, key)
            assert app.screen is pane, key
        word = "read-only" if mode == "read_only" else "offline"
        assert sum(word in n for n in notifications(app)) >= 4
    for operation in ("subaccount.create", "subaccount.update", "subaccount.reset_url",
                      "subaccount.sso"):
        assert sent(sandbox, operation) == 0
    assert journal.entries() == []
