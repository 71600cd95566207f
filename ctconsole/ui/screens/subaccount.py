"""One subaccount: every field of it, and its campaigns seen as it sees them.

The campaigns are fetched with the subaccount's *own* API key and secret
(`client.for_subaccount`), because that is what the subaccount's customers
and integrations see; the main account's campaign list would be a different
catalogue. The key and secret are shown masked until `x` is pressed, and are
never written to notifications or logs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll

from ctconsole.api.errors import CtError
from ctconsole.ui.screens.catalogues import CAMPAIGN_COLUMNS, open_campaign
from ctconsole.ui.screens.lists import ListScreen
from ctconsole.ui.text import flatten, shown_payload
from ctconsole.ui.widgets.fields import FieldList

if TYPE_CHECKING:
    from ctconsole.api import Client


class MissingCredentials(CtError):
    """The subaccount list gave no API key/secret for this subaccount."""

    def __init__(self) -> None:
        super().__init__("No API credentials",
                         "The subaccount list did not include this subaccount's API key and "
                         "secret, so its campaigns cannot be fetched.")


def subaccount_client(client: Client, sub: Any) -> Client | None:
    """A client logged in as `sub`, or None when its credentials are missing."""
    if sub.api_key is None or sub.api_secret is None:
        return None
    return client.for_subaccount(sub.api_key.get_secret_value(), sub.api_secret.get_secret_value())


class SubaccountScreen(ListScreen):
    """Detail of one subaccount (from the list) above its own campaign list."""

    CSS_PATH = "subaccount.tcss"
    BINDINGS = [Binding("x", "reveal", "Reveal secrets", id="subaccount.reveal")]
    operation = "campaign.list"
    columns = CAMPAIGN_COLUMNS
    empty_text = "This subaccount has no campaigns."

    def __init__(self, client: Client, sub: Any, raw: Mapping[str, Any],
                 crumbs: Sequence[object]) -> None:
        self.main_client = client
        self.sub = sub
        self.raw = dict(raw)
        self.revealed = False
        sub_client = subaccount_client(client, sub)
        super().__init__(sub_client if sub_client is not None else client, crumbs)
        self.has_credentials = sub_client is not None

    def compose_above(self) -> ComposeResult:
        with VerticalScroll(id="detail-box"):
            yield FieldList(id="detail")

    def on_mount(self) -> None:
        self._show_detail()
        super().on_mount()

    async def fetch(self):
        if not self.has_credentials:
            raise MissingCredentials()
        return await super().fetch()

    def _show_detail(self) -> None:
        payload = shown_payload(self.raw, operation="subaccount.list", reveal=self.revealed)
        pairs = flatten(payload)
        if not self.revealed and self.has_credentials:
            pairs.append(("", "x reveals the API key and secret"))
        self.query_one("#detail", FieldList).show(pairs)

    def action_reveal(self) -> None:
        self.revealed = not self.revealed
        self._show_detail()

    def open(self, item: Any) -> None:
        open_campaign(self, item)
