"""Screen share: with it on, no customer's e-mail, phone or name is on screen.

Each pane that shows personal data is walked with the mode off (the check
must find personal data there, or it proves nothing) and on (it must find
none). "Personal data" is every e-mail address, phone number and full name
in the sandbox's dataset, and the subaccount owners' names (where they are not also part of a company
name or username, which are business data and stay visible).
"""

from __future__ import annotations

import pytest

from ctconsole.ui.privacy import mask_email, mask_in_text, mask_name, mask_payload, mask_phone
from ctconsole.ui.screens.account_lists import CampaignListScreen
from ctconsole.ui.screens.directory import DirectoryScreen
from ctconsole.ui.screens.find import FindScreen
from ctconsole.ui.screens.session import open_find
from ctconsole.ui.screens.loyalty import LoyaltyUsersScreen
from ctconsole.ui.screens.session import SessionScreen
from ctconsole.ui.screens.subaccount import SubaccountScreen

from .conftest import screen_text, settle


def test_masks_keep_enough_to_tell_rows_apart_and_nothing_more():
    assert mask_email("javier.garcia@example.org") == "j…@example.org"
    assert mask_email("not-an-address") == "n…"
    assert mask_phone("+32 470 12 34 56") == "+32…56"
    assert mask_phone("1234") == "…"
    assert mask_name("Lotte Peeters") == "L. P."
    assert mask_name("[bold red]x[/] ␛]2;pwned␇") == "B. R. 2."
    assert mask_name("a b c d e") == "A. B. C. …"
    assert mask_name("") == mask_email("") == mask_phone("") == ""
    assert (mask_in_text("No session found for e-mail address ann.lee@x.org or +32 470 12 34 56.")
            == "No session found for e-mail address a…@x.org or +32…56.")
    payload = {"data": {"user": {"firstname": "Ann", "lastname": "Lee", "email": "ann@x.org",
                                 "phone": "+3247000000"}, "status": {"claimed": "1"}}}
    assert mask_payload(payload) == {"data": {
        "user": {"firstname": "A.", "lastname": "L.", "email": "a…@x.org", "phone": "+32…00"},
        "status": {"claimed": "1"}}}


def personal_data(sandbox) -> set[str]:
    """Every e-mail, phone and full name in the dataset (printable ones: the
    hostile names are covered by the escaping tests)."""
    state = sandbox.state
    people = list(state.sessions.records.values())
    for card in state.loyalty.values():
        people.extend(card["users"].values())
    for directory in state.directories.values():
        people.extend(directory["users"])
    found: set[str] = set()
    for person in people:
        found.update(v for v in (person.get("email"), person.get("phone")) if v)
        name = f"{person.get('firstname', '')} {person.get('lastname', '')}".strip()
        if name.isprintable() and len(name) > 3:
            found.add(name)
    # Company names and usernames are business data, shown in every mode
    # ("Brasserie Peeters"): an owner's name only counts where it is not one.
    business = " ".join(f"{sub['company_name']} {sub['username']}".lower()
                        for sub in state.subaccounts.values())
    for sub in state.subaccounts.values():
        found.add(sub["email"])
        found.update(v for v in (sub["first_name"], sub["last_name"])
                     if v and v.lower() not in business)
    return found


def leaks(text: str, secrets: set[str]) -> list[str]:
    return sorted(s for s in secrets if s in text)


async def walk_panes(pilot, sandbox) -> dict[str, str]:
    """The screen text of every pane that shows personal data."""
    app = pilot.app
    seen: dict[str, str] = {}
    await settle(pilot)
    await pilot.press("enter")  # sub_2001: its owner's name and e-mail
    await settle(pilot)
    assert isinstance(app.screen, SubaccountScreen)
    seen["subaccount"] = screen_text(app)
    await pilot.press("escape")
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(app.screen, CampaignListScreen)
    await pilot.press("enter")  # cam_1001: sessions with names and e-mails
    await settle(pilot)
    campaign = app.screen
    seen["campaign sessions"] = screen_text(app)
    grid = campaign.grid
    target = next(key for key in grid.model.view_keys()
                  if sandbox.session(key)["phone"] and sandbox.session(key)["email"])
    while grid.cursor_row_key != target:
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, SessionScreen)
    seen["session"] = screen_text(app)
    await pilot.press("j")
    await pilot.pause()
    seen["session raw"] = screen_text(app)
    for _ in range(3):
        await pilot.press("escape")
        await settle(pilot)
    await pilot.press("l")
    await settle(pilot)
    while app.screen.grid.cursor_row_key != "loy_3001":
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, LoyaltyUsersScreen)
    seen["loyalty users"] = screen_text(app)
    await pilot.press("escape", "escape")
    await pilot.press("d")
    await settle(pilot)
    await pilot.press("enter")  # dir_5001
    await settle(pilot)
    assert isinstance(app.screen, DirectoryScreen)
    await pilot.press("2")
    await settle(pilot)
    seen["directory users"] = screen_text(app)
    await pilot.press("escape", "escape")
    await settle(pilot)
    open_find(app, text="daan.vandijk@example.com")  # four sessions: a list
    await settle(pilot)
    assert isinstance(app.screen, FindScreen) and app.screen.has_class("-several")
    seen["find results"] = screen_text(app)
    return seen


@pytest.mark.parametrize("on", [False, True], ids=["off", "on"])
async def test_no_personal_data_on_any_pane_with_screen_share_on(make_app, sandbox, on):
    secrets = personal_data(sandbox)
    app = make_app(screen_share=on)
    async with app.run_test(size=(160, 45)) as pilot:
        seen = await walk_panes(pilot, sandbox)
    assert len(seen) == 7
    for pane, text in seen.items():
        found = leaks(text, secrets)
        if on:
            assert found == [], f"{pane} shows {found}"
            assert "screen share" in text.splitlines()[0], pane  # the badge
        else:
            assert found, f"{pane}: the check finds nothing even with screen share off"
            assert "screen share" not in text


async def test_ctrl_s_toggles_masking_in_place_with_an_indicator(make_app, sandbox):
    secrets = personal_data(sandbox)
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        while app.screen.grid.cursor_row_key != "loy_3001":
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert leaks(screen_text(app), secrets)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen_share
        text = screen_text(app)
        assert leaks(text, secrets) == []
        assert "demo · screen share" in text
        assert "j…@example" in text or "…@example.com" in text
        # Copying a cell says what was copied, except under screen share.
        await pilot.press("right", "right", "right", "y")  # the e-mail column
        await pilot.pause()
        assert any("not shown: screen share is on" in n.message for n in app._notifications)
        assert leaks(screen_text(app), secrets) == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.screen_share
        assert leaks(screen_text(app), secrets)
        assert "screen share" not in screen_text(app).splitlines()[0]


async def test_the_palette_offers_the_toggle_and_secrets_stay_hidden(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Screen share on" in commands
        commands["Screen share on"].callback()
        await pilot.pause()
        assert app.screen_share
        await pilot.press("enter")  # a subaccount: `x` must not reveal under screen share
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert not app.screen.revealed
        assert "(masked: x reveals the key and secret)" in app.screen.query_one("#detail").text
