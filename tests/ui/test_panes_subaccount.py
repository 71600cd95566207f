"""Pilot tests: the subaccount pane's details come from `subaccount.info`."""

from __future__ import annotations

from ctconsole.sandbox import DEMO_CLIENT_ID
from ctconsole.ui.screens.subaccount import SubaccountScreen
from ctconsole.ui.screens.subaccount_fields import PERMISSIONS
from ctconsole.ui.screenshots import settle
from tests.ui.test_navigation import screen_text


async def open_sub(pilot, sub_id: str) -> SubaccountScreen:
    app = pilot.app
    await settle(pilot)
    grid = app.screen.grid
    grid.cursor = grid.model.view_keys().index(sub_id)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, SubaccountScreen)
    return app.screen


async def info_record(client, sub_id):
    result = await client.call("subaccount.info", subaccount=sub_id)
    return result.raw["subaccount"]


async def test_every_info_field_is_shown_with_flags_grouped(app, client, sandbox):
    record = await info_record(client, "sub_2001")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_sub(pilot, "sub_2001")
        text = screen.query_one("#detail").text
        lines = text.splitlines()
        for heading in ("Account", "Package and usage", "API and webhooks", "Permissions"):
            assert heading in lines
        for name in ("username", "company_name", "email", "package", "expiry_date",
                     "available_campaigns", "webhook_endpoint", "buildertype", "integrations"):
            assert any(line.split()[:1] == [name] for line in lines), name
        assert record["company_name"] in text and record["package"] in text
        # Each permission flag appears once, on its area's line, ✓ or ✗ as sent.
        for area, flags in PERMISSIONS:
            line = next(line for line in lines if line.split()[:1] == [area])
            for flag, label in flags:
                mark = "✓" if record[flag] else "✗"
                assert f"{mark} {label}" in line, (flag, line)
        info = [r for r in sandbox.requests if r.operation == "subaccount.info"]
        assert info and info[-1].body["subaccount"] == "sub_2001"
        assert info[-1].headers["x-client-id"] == DEMO_CLIENT_ID  # asked as the main account
        assert "loading details" not in text
        assert "Permissions" in screen_text(app)


async def test_secrets_are_masked_then_revealed_and_masked_again(app, sandbox):
    key, secret = sandbox.subaccount_credentials()["sub_2002"]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sub(pilot, "sub_2002")
        detail = screen.query_one("#detail")
        assert "api_key" in detail.text and "api_secret" in detail.text
        assert key not in detail.text and secret not in detail.text
        assert "…" + secret[-4:] in detail.text  # masked, but tellable apart
        assert secret not in screen_text(app)
        await pilot.press("x")
        assert key in detail.text and secret in detail.text
        await pilot.press("x")
        assert secret not in detail.text
        assert all(secret not in n.message for n in app._notifications)


async def test_info_failure_keeps_the_list_fields_and_shows_the_error(app, sandbox):
    sandbox.faults.add("api_error", operation="subaccount.info", code=510,
                       message="Subaccount ID not correct.")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sub(pilot, "sub_2001")
        text = screen.query_one("#detail").text
        assert "details failed" in text
        assert "Brasserie Peeters" in text  # from subaccount.list
        assert "Permissions" not in text  # the list carries no flags
        assert screen.error_panel.shown
        assert "Subaccount ID not correct." in screen.error_panel.message_text
        assert screen.grid.model.view_keys() == ["cam_2101", "cam_2102", "cam_2103"]
        await pilot.press("r")
        await settle(pilot)
        assert not screen.error_panel.shown
        assert "Permissions" in screen.query_one("#detail").text


async def test_opened_by_id_it_finds_the_credentials_in_the_list(make_app, sandbox):
    key, _ = sandbox.subaccount_credentials()["sub_2005"]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(SubaccountScreen.by_id(app.client, "sub_2005", ("Account", "sub_2005")))
        await settle(pilot)
        screen = app.screen
        assert screen.sub is not None and screen.sub.id == "sub_2005"
        listed = [r for r in sandbox.requests if r.operation == "campaign.list"]
        assert listed[-1].headers["x-client-id"] == key
        assert len(screen.grid.model) == len(sandbox.state.campaigns_of("sub_2005"))


async def test_opened_by_an_unknown_id_it_says_so(make_app, sandbox):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(SubaccountScreen.by_id(app.client, "sub_9999", ("Account", "sub_9999")))
        await settle(pilot)
        assert app.screen.error_panel.shown
        assert not [r for r in sandbox.requests if r.operation == "campaign.list"]
        # Whichever answers last: the list look-up or subaccount.info (510).
        assert app.screen.error_panel.title_text.startswith("Subaccount not found")
        assert "press r to retry" in app.screen.status.render().plain


async def test_opening_the_pane_asks_each_thing_once(app, sandbox):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sub(pilot, "sub_2001")
        asked = [r.operation for r in sandbox.requests]
        assert asked.count("subaccount.info") == 1
        assert asked.count("campaign.list") == 1
