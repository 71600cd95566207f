"""One subaccount: every field of it, and its campaigns seen as it sees them.

The details come from `subaccount.info` (the main account asks about its
subaccount: settings and permission flags the list does not carry); until it
answers, or if it fails, the list's own fields are shown so the pane is never
blank. The campaigns are fetched with the subaccount's *own* API key and
secret (`client.for_subaccount`), because that is what the subaccount's
customers and integrations see; the main account's campaign list would be a
different catalogue. The key and secret are shown masked until `x` is
pressed, and are never written to notifications or logs.

Opened by ID (the command palette) the pane has no list item yet: it looks
the subaccount up in `subaccount.list` (a cached answer will do) for its
credentials before fetching its campaigns.

Subaccounts are managed with the *main* account's credentials (the API
answers 102 to a subaccount's own key, and the engine's guard refuses such a
plan), so the write keys here - `w` update, `R` password-reset URL, `L`
single-sign-on (login) URL, optionally to a page/campaign - use the pane's
`main_client`. The links are logins: the result shows and copies them
(`LoginUrlResult`); they are never journaled (the engine redacts the
answer) nor shown in a notification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message

from ctconsole.api.errors import CtError
from ctconsole.api.subaccounts import MissingCredentials, SubaccountNotListed, subaccount_client
from ctconsole.ui.screens.base import error_text
from ctconsole.ui.screens.account_lists import CAMPAIGN_COLUMNS, open_campaign
from ctconsole.ui.screens.lists import ListScreen
from ctconsole.ui.widgets.sections import Section, SectionColumns
from ctconsole.ui.screens.subaccount_fields import subaccount_sections
from ctconsole.ui.privacy import mask_payload, screen_share_on
from ctconsole.ui.text import plain, shown_payload
from ctconsole.ui.writes.keys import Prefill, WriteKey
from ctconsole.ui.writes.takeaway import LoginUrlResult

if TYPE_CHECKING:
    from ctconsole.api import Client


def raw_list_item(raw: Mapping[str, Any] | None, sub_id: str) -> dict[str, Any]:
    """The subaccount exactly as `subaccount.list` sent it (unknown fields too)."""
    for entry in (raw or {}).get("subaccount") or []:
        if isinstance(entry, dict) and str(entry.get("ID", entry.get("id"))) == sub_id:
            return entry
    return {}


def _manage(pane: SubaccountScreen, title: str, focus: str | None = None) -> Prefill:
    return Prefill({"subaccount": pane.sub_id}, f"{title} {plain(pane.sub_id)}",
                   focus=focus, client=pane.main_client)


def update_subaccount(pane: SubaccountScreen) -> Prefill:
    return _manage(pane, "Edit subaccount")


def reset_url(pane: SubaccountScreen) -> Prefill:
    return _manage(pane, "Password-reset URL for")


def sign_on_url(pane: SubaccountScreen) -> Prefill:
    return _manage(pane, "Single-sign-on URL for", focus="page")


class SubaccountScreen(ListScreen):
    """Detail of one subaccount (`subaccount.info`) above its own campaign list;
    `w`/`R`/`L` update it and create login links."""

    CSS_PATH = "subaccount.tcss"
    BINDINGS = [Binding("x", "reveal", "Reveal secrets", id="subaccount.reveal")]
    WRITES = (
        WriteKey("w", "subaccount.update", "Edit the subaccount", "subaccount.update",
                 update_subaccount),
        WriteKey("R", "subaccount.reset_url", "Password-reset URL", "subaccount.reset_url",
                 reset_url, result_screen=LoginUrlResult),
        WriteKey("L", "subaccount.sso", "Single-sign-on URL", "subaccount.sso", sign_on_url,
                 result_screen=LoginUrlResult),
    )
    operation = "campaign.list"
    columns = CAMPAIGN_COLUMNS
    empty_text = "This subaccount has no campaigns."

    class InfoFetched(Message):
        def __init__(self, generation: int, result: Any) -> None:
            super().__init__()
            self.generation = generation
            self.result = result

    class InfoFailed(Message):
        def __init__(self, generation: int, error: BaseException) -> None:
            super().__init__()
            self.generation = generation
            self.error = error

    def __init__(self, client: Client, sub: Any | None, raw: Mapping[str, Any],
                 crumbs: Sequence[object], *, sub_id: str | None = None) -> None:
        """`sub` is the `subaccount.list` item and `raw` its raw dict; pass
        `sub=None, sub_id=…` (or use `by_id`) to have the pane look it up."""
        self.main_client = client
        self.sub = sub
        self.sub_id = sub.id if sub is not None else str(sub_id)
        self.list_raw = dict(raw)
        self.info_raw: dict[str, Any] | None = None
        self.info_error: tuple[str, str] | None = None
        self.info_generation = 0
        self.revealed = False
        sub_client = subaccount_client(client, sub) if sub is not None else None
        super().__init__(sub_client if sub_client is not None else client, crumbs)
        self.has_credentials = sub_client is not None

    @classmethod
    def by_id(cls, client: Client, sub_id: str, crumbs: Sequence[object]) -> SubaccountScreen:
        """The pane for a subaccount known only by its ID."""
        return cls(client, None, {}, crumbs, sub_id=sub_id)

    def compose_above(self) -> ComposeResult:
        with VerticalScroll(id="detail-box"):
            yield SectionColumns(id="detail")

    def on_mount(self) -> None:
        # Textual runs every class's on_mount in turn (this one first): the
        # base class's starts the fetch, so it is not called again here.
        self._show_detail()

    # -- campaigns (the pane's main fetch), with the subaccount's credentials --

    async def fetch(self, client: Client):
        if self.sub is None or not self.has_credentials:
            # Opened by ID, or from a cached list (whose credentials the cache
            # blanked): the client asks the API again for a list that has them.
            listed = await self._look_up()
            if not self.has_credentials:
                raise MissingCredentials(offline=bool(listed.offline or listed.redacted))
        return await super().fetch(client)

    async def _look_up(self):
        listed = await self.main_client.call("subaccount.list")
        sub = next((s for s in listed.data.items if str(s.id) == self.sub_id), None)
        if sub is None:
            raise SubaccountNotListed(self.sub_id)
        self.sub = sub
        self.list_raw = raw_list_item(listed.raw, self.sub_id)
        sub_client = subaccount_client(self.main_client, sub)
        if sub_client is not None:
            self.client = sub_client
            self.has_credentials = True
        self.call_later(self._show_detail)
        return listed

    def show(self, result) -> None:
        super().show(result)
        if self.info_error is not None:  # a successful fetch cleared the panel
            self.error_panel.show_error(*self.info_error)

    # -- details, from subaccount.info with the main account's credentials --

    @property
    def cache_now(self) -> bool:  # type: ignore[override]
        """Only with the subaccount's credentials at hand: without them
        `fetch()` first asks the main client for the list."""
        return self.sub is not None and self.has_credentials

    def reload(self, refresh: bool = False) -> None:
        self.info_error = None  # before the base class may show cached campaigns
        super().reload(refresh)
        self.info_generation += 1
        self._fetch_info(self.info_generation, refresh)

    @work(exclusive=True, group="info", exit_on_error=False)
    async def _fetch_info(self, generation: int, refresh: bool = False) -> None:
        try:
            result = await self.main_client.call("subaccount.info", subaccount=self.sub_id,
                                                  max_age=0 if refresh else None)
        except CtError as error:
            self.post_message(self.InfoFailed(generation, error))
        else:
            self.post_message(self.InfoFetched(generation, result))

    def on_subaccount_screen_info_fetched(self, message: InfoFetched) -> None:
        if message.generation != self.info_generation:
            return
        record = (message.result.raw or {}).get("subaccount")
        self.info_raw = dict(record) if isinstance(record, Mapping) else None
        panel = self.error_panel
        if self.info_error is not None and panel.title_text == self.info_error[0]:
            panel.clear()
        self.info_error = None
        self._show_detail()

    def on_subaccount_screen_info_failed(self, message: InfoFailed) -> None:
        if message.generation != self.info_generation:
            return
        self.info_error = error_text(message.error)
        self.error_panel.show_error(*self.info_error)
        self._show_detail()

    def _show_detail(self) -> None:
        record = self.info_raw if self.info_raw is not None else self.list_raw
        payload = shown_payload(record, operation="subaccount.info", reveal=self.revealed)
        if screen_share_on(self):
            payload = mask_payload(payload)
        sections = subaccount_sections(payload)
        if self.info_raw is None:
            source = ("details failed: showing the subaccount list's fields"
                      if self.info_error else "loading details… (showing the list's fields)")
            sections.insert(0, Section("Source", [("", source)]))
        if not self.revealed and self.has_credentials:
            api = next((s for s in sections if s.title == "API and webhooks"), None)
            if api is not None:
                api.rows.insert(2, ("", "(masked: x reveals the key and secret)"))
        self.query_one("#detail", SectionColumns).show(sections)

    def privacy_changed(self) -> None:
        """Screen share on/off: names and e-mail re-rendered masked or not;
        revealed secrets are hidden again."""
        if screen_share_on(self):
            self.revealed = False
        if self.is_mounted:
            self._show_detail()

    def action_reveal(self) -> None:
        if not self.revealed and screen_share_on(self):
            self.app.notify("Secrets stay masked while screen share is on (ctrl+s).",
                            title="Not revealed", severity="warning", markup=False)
            return
        self.revealed = not self.revealed
        self._show_detail()

    def open(self, item: Any) -> None:
        open_campaign(self, item)
