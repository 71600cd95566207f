"""On a wide terminal the long columns (e-mail, name) take the room the
others leave free, so a long address is shown whole; on a narrow one they
keep their usual width and the grid scrolls sideways as before."""

from __future__ import annotations

from ctconsole.ui.screens.campaign import CampaignScreen
from ctconsole.ui.screenshots import settle

from .test_columns_80 import screen_lines

LONG_EMAIL = "maximiliane.vandenberghe-oosterhuis@brasserie-example.com"


async def campaign_with_a_long_email(app, pilot, sandbox) -> str:
    code = sandbox.state.sessions.order["cam_1001"][3]
    sandbox.session(code)["email"] = LONG_EMAIL
    await settle(pilot)
    app.push_screen(CampaignScreen(app.client, "cam_1001", ("Account", "cam_1001")))
    await settle(pilot)
    return code


async def test_at_200_columns_a_long_email_is_shown_whole(app, sandbox):
    async with app.run_test(size=(200, 40)) as pilot:
        code = await campaign_with_a_long_email(app, pilot, sandbox)
        [row] = [line for line in screen_lines(app) if code in line]
        assert LONG_EMAIL in row
        # The columns after it are still on screen, and nothing scrolls sideways.
        assert "Validated (UTC)" in "\n".join(screen_lines(app))
        assert app.screen.grid.max_scroll_x == 0


async def test_at_120_columns_it_keeps_its_width_and_widens_when_the_terminal_does(app, sandbox):
    async with app.run_test(size=(120, 36)) as pilot:
        code = await campaign_with_a_long_email(app, pilot, sandbox)
        [row] = [line for line in screen_lines(app) if code in line]
        assert LONG_EMAIL not in row and "maximiliane.vandenberghe" in row and "…" in row
        await pilot.resize_terminal(200, 40)
        await settle(pilot)
        [row] = [line for line in screen_lines(app) if code in line]
        assert LONG_EMAIL in row
