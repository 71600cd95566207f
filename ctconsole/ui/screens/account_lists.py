"""The account's own catalogues: campaigns, loyalty cards, directories.

Each is a plain `ListScreen`; Enter opens the row's own pane (a campaign,
a card's holders, a directory). The client they are given decides whose
catalogue it is: the main account's from home, a subaccount's own (with its
own credentials) from the subaccount pane.
"""

from __future__ import annotations

from typing import Any

from ctconsole.ui.formats import count_text, day_text, yes_no
from ctconsole.ui.screens.lists import ListScreen, crumbs_plus
from ctconsole.ui.widgets.grid_model import Column

CAMPAIGN_COLUMNS = (
    Column("id", "ID", max_width=12),
    Column("name", "Name", max_width=28),
    Column("status", "Status", max_width=9),
    Column("type", "Type", max_width=12),
    Column("amount_of_sessions", "Sessions", align="right", format=count_text),
    Column("start_date", "Start", format=day_text, max_width=16),
    Column("end_date", "End", format=day_text, max_width=16),
)


def open_campaign(screen: ListScreen, campaign: Any) -> None:
    # Lazy for start-up: a pane's module loads when the pane is first opened.
    from ctconsole.ui.screens.campaign import CampaignScreen

    screen.app.push_screen(
        CampaignScreen(screen.client, campaign.id, crumbs_plus(screen, campaign.id, campaign.name))
    )


class CampaignListScreen(ListScreen):
    """`campaign.list`: the campaigns of whoever the client logs in as."""

    CSS_PATH = "account_lists.tcss"
    operation = "campaign.list"
    columns = CAMPAIGN_COLUMNS
    empty_text = "No campaigns."

    def open(self, item: Any) -> None:
        open_campaign(self, item)


class LoyaltyListScreen(ListScreen):
    """`loyalty.list`: the loyalty cards."""

    CSS_PATH = "account_lists.tcss"
    operation = "loyalty.list"
    columns = (
        Column("id", "ID", max_width=14),
        Column("name", "Name", max_width=28),
        Column("type", "Type", max_width=7),
        Column("status", "Status", max_width=9),
        Column("stamps_required", "Stamps", align="right", format=count_text),
        Column("amount_of_users", "Users", align="right", format=count_text),
        Column("created_date", "Created", format=day_text, max_width=16),
    )
    empty_text = "No loyalty cards."

    def open(self, item: Any) -> None:
        # Lazy for start-up: a pane's module loads when the pane is first opened.
        from ctconsole.ui.screens.loyalty import LoyaltyUsersScreen

        self.app.push_screen(
            LoyaltyUsersScreen(self.client, item, crumbs_plus(self, item.id, item.name))
        )


class DirectoryListScreen(ListScreen):
    """`directory.list`: the directories (coupon books)."""

    CSS_PATH = "account_lists.tcss"
    operation = "directory.list"
    columns = (
        Column("id", "ID", max_width=12),
        Column("name", "Name", max_width=28),
        Column("status", "Status", max_width=9),
        Column("login_required", "Login", format=yes_no),
        Column("payment_required", "Paid", format=yes_no),
        Column("created_date", "Created", format=day_text, max_width=16),
    )
    empty_text = "No directories."

    def open(self, item: Any) -> None:
        # Lazy for start-up: a pane's module loads when the pane is first opened.
        from ctconsole.ui.screens.directory import DirectoryScreen

        self.app.push_screen(
            DirectoryScreen(self.client, item.id, crumbs_plus(self, item.id, item.name))
        )
