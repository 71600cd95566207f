"""Home: the account's subaccounts, and one key to each of its own catalogues.

Most support work starts from "which customer?", so home is the subaccount
table (IDs first, so they stay visible at 80 columns). `c`, `l` and `d` open
the main account's own campaigns, loyalty cards and directories.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from ctconsole.ui.formats import count_text, day_text
from ctconsole.ui.screens.lists import ListScreen
from ctconsole.ui.widgets.breadcrumbs import HOME_CRUMB
from ctconsole.ui.widgets.grid_model import Column
from ctconsole.ui.writes.keys import Prefill, WriteKey

if TYPE_CHECKING:
    from ctconsole.api import Client



def new_subaccount(pane: HomeScreen) -> Prefill:
    return Prefill({}, "New subaccount", focus="email")


class HomeScreen(ListScreen):
    """`subaccount.list` of the profile's account; `N` creates a subaccount."""

    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("c", "campaigns", "Campaigns", id="home.campaigns"),
        Binding("l", "loyalty", "Loyalty", id="home.loyalty"),
        Binding("d", "directories", "Directories", id="home.directories"),
        Binding("t", "categories", "Categories", show=False, id="home.categories"),
        # Kept out of the footer so Help and Quit fit at 80 columns (`?` lists it).
        Binding("r", "refresh", "Refresh", show=False, id="refresh"),
    ]
    WRITES = (
        WriteKey("N", "subaccount.create", "New subaccount", "subaccount.create",
                 new_subaccount,
                 result_screen="ctconsole.ui.writes.takeaway:CreatedSubaccountResult"),
    )
    operation = "subaccount.list"
    #: Rows painted before pydantic is loaded (`ListScreen`).
    quick_model = "SubaccountRows"
    columns = (
        Column("id", "ID", max_width=12),
        Column("username", "Username", max_width=12),
        Column("company_name", "Company", max_width=16),
        Column("package", "Package", max_width=9),
        Column("expiry_date", "Expiry", format=day_text, width=10),
        Column("has_campaigns", "Camp", align="right", format=count_text),
        # The day is what support reads here (the subaccount pane has the
        # time): the list fits 80 columns without a horizontal scrollbar.
        Column("lastlogin", "Last login", format=lambda v: day_text(v)[:10], width=10),
    )
    empty_text = "No subaccounts."

    def __init__(self, client: Client) -> None:
        super().__init__(client, (HOME_CRUMB,))

    def open(self, item: Any) -> None:
        # Lazy for start-up: a pane's module loads when the pane is first opened.
        from ctconsole.ui.screens.subaccount import SubaccountScreen

        raw = self._raw_item(item.id)
        crumbs = (*self.crumbs, f"{item.id} {item.company_name or item.username}")
        self.app.push_screen(SubaccountScreen(self.client, item, raw, crumbs))

    def _raw_item(self, sub_id: str) -> dict[str, Any]:
        """The subaccount exactly as the API sent it (every field, unknown
        ones too), for the detail pane."""
        for entry in (self.result.raw or {}).get("subaccount") or []:
            if isinstance(entry, dict) and str(entry.get("ID", entry.get("id"))) == sub_id:
                return entry
        return {}

    def action_campaigns(self) -> None:
        # Lazy for start-up: a pane's module loads when the pane is first opened.
        from ctconsole.ui.screens.account_lists import CampaignListScreen

        self.app.push_screen(CampaignListScreen(self.client, (*self.crumbs, "Campaigns")))

    def action_loyalty(self) -> None:
        # Lazy for start-up: a pane's module loads when the pane is first opened.
        from ctconsole.ui.screens.account_lists import LoyaltyListScreen

        self.app.push_screen(LoyaltyListScreen(self.client, (*self.crumbs, "Loyalty cards")))

    def action_directories(self) -> None:
        # Lazy for start-up: a pane's module loads when the pane is first opened.
        from ctconsole.ui.screens.account_lists import DirectoryListScreen

        self.app.push_screen(DirectoryListScreen(self.client, (*self.crumbs, "Directories")))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Home is the bottom of the stack: "Back" has nowhere to go, so it is
        neither shown nor live here."""
        if action == "back":
            return False
        return super().check_action(action, parameters)

    def action_categories(self) -> None:
        # Lazy for start-up: a pane's module loads when the pane is first opened.
        from ctconsole.ui.screens.categories import CategoryListScreen

        self.app.push_screen(CategoryListScreen(self.client, (*self.crumbs, "Categories")))
