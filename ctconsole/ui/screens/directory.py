"""One directory: its details, the campaigns it shows, the users registered in it.

`directory.info` is the pane's main fetch. The two lists below it are views
switched with `1` (campaigns) and `2` (users), each with a grid of its own,
and both load at once in workers of their own so switching is instant. The
registered users come 100 a page (a club can have thousands), so they are
streamed like a campaign's sessions: each page is appended as it arrives,
with progress, and pages of an abandoned load are dropped by generation.
Enter on a campaign opens the campaign pane. Filter, copy and export
(`TableScreen`) work on the list on show; the filter text carries over when
the view switches.

In a directory that charges for access, "I paid but cannot get in" is the
usual call; the fix is `directory.user_payment` (paid until a date, or
unpaid). `w` (or `$`) on a user of the users view opens the form with the
other status prefilled: an unpaid user becomes "paid" with the cursor in the
expiry date, a paid one "unpaid". The engine reads the user's current status
for the preview, refuses a change that changes nothing, warns when an expiry
date would be cleared, and journals the status before, which the journal
pane's undo (`J`, `u`) sets back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from ctconsole.api.errors import CtError
from ctconsole.ui.formats import count_of, day_text
from ctconsole.ui.screens.base import error_text
from ctconsole.ui.screens.tables import TableScreen
from ctconsole.ui.text import flatten, plain
from ctconsole.ui.widgets.fields import FieldList
from ctconsole.ui.widgets.filter_bar import FilterBar
from ctconsole.ui.widgets.grid import DataGrid
from ctconsole.ui.widgets.grid_model import Column
from ctconsole.ui.writes.cursor import follow_row
from ctconsole.ui.writes.keys import Prefill, WriteKey

if TYPE_CHECKING:
    from ctconsole.api import Client

PARTS = ("campaigns", "users")

CAMPAIGN_COLUMNS = (
    Column("id", "ID", max_width=12),
    Column("name", "Name", max_width=30),
    Column("status", "Status", max_width=9),
    Column("category", "Category", max_width=10),
    Column("code", "Code", max_width=8),
    Column("url", "URL", max_width=40),
)

USER_COLUMNS = (
    Column("id", "ID", max_width=12),
    Column("blocked", "Blocked", width=7, format=lambda v: "BLOCKED" if v else ""),
    Column("name", "Name", max_width=22, pii="name", grow=True),
    Column("email", "E-mail", max_width=30, pii="email", grow=True),
    Column("payment_status", "Payment", max_width=7),
    Column("payment_expiry_date", "Paid until", format=day_text, width=10),
    Column("registration_date_utc", "Registered (UTC)", format=day_text, width=16),
    Column("phone", "Phone", max_width=16, pii="phone"),
)

#: directory.info fields the summary shows in its own words; the rest as sent.
_SUMMARISED = {"ID", "id", "name", "status", "category", "created_date", "url",
               "login_required", "payment_required", "amount_of_users",
               "amount_of_campaigns", "amount_of_loyaltycards", "description"}


def user_row(user: Any) -> dict[str, Any]:
    return {
        "id": user.id,
        "blocked": user.is_blocked,
        "name": " ".join(p for p in (user.firstname, user.lastname) if p),
        "email": user.email,
        "payment_status": user.payment_status,
        "payment_expiry_date": user.payment_expiry_date,
        "registration_date_utc": user.registration_date_utc,
        "phone": user.phone,
    }


def directory_pairs(detail: Any, raw: Any) -> list[tuple[str, Any]]:
    """The directory's fields, the everyday ones first, then anything else sent."""
    access = [
        "login required" if detail.login_required else "open to all",
        "payment required" if detail.payment_required else "free",
    ]
    pairs: list[tuple[str, Any]] = [
        ("name", detail.name),
        ("status", " · ".join(p for p in (detail.status, detail.category and
                                           f"category {detail.category}",
                                           f"created {day_text(detail.created_date)}"
                                           if detail.created_date else "") if p)),
        ("access", " · ".join(access)),
        ("contents", " · ".join((
            count_of(detail.amount_of_users, "user"),
            count_of(detail.amount_of_campaigns, "campaign"),
            count_of(detail.amount_of_loyaltycards, "loyalty card")))),
        ("url", detail.url),
        ("description", detail.description),
    ]
    if isinstance(raw, dict):
        pairs += flatten({k: v for k, v in raw.items() if k not in _SUMMARISED})
    return pairs


@dataclass
class Part:
    """Loading state of one of the two lists."""

    #: loading / done / failed; refreshing: the rows shown before stay until
    #: the list arrives again; kept: they stayed, the refresh failed.
    state: str = "idle"
    loaded: int = 0
    total: int | None = None
    #: (title, message) as shown, when the load failed.
    error: tuple[str, str] | None = None


def a_user(pane: DirectoryScreen) -> str | None:
    if pane.view != "users":
        return ("Payment status is set on a user: switch to the users (2) and put the cursor "
                "on one.")
    if pane.cursor_user() is None:
        return "No user under the cursor (the list is empty or still loading)."
    return None


def set_payment(pane: DirectoryScreen) -> Prefill:
    """The other payment status; a user made "paid" starts in the expiry date."""
    user = pane.cursor_user()
    paid = user.payment_status == "paid"
    return Prefill({"directory": str(pane.directory_id), "user": user.id,
                    "payment_status": "unpaid" if paid else "paid"},
                   f"Set payment status of {plain(user.id)}",
                   focus=None if paid else "expiry_date")


class DirectoryScreen(TableScreen):
    """`directory.info` above `directory.campaigns` / streamed `directory.users`;
    `w` sets the payment status of the user under the cursor."""

    CSS_PATH = "directory.tcss"
    loading_target = "#summary-box"
    BINDINGS = [
        Binding("1", "view('campaigns')", "Campaigns", id="directory.campaigns"),
        Binding("2", "view('users')", "Users", id="directory.users"),
    ]
    WRITES = (
        WriteKey("w,dollar_sign", "directory.payment", "Set payment status",
                 "directory.user_payment", set_payment, guard=a_user, key_display="w"),
    )

    class PartArrived(Message):
        """A list (or one page of users) arrived."""

        def __init__(self, generation: int, part: str, result: Any) -> None:
            super().__init__()
            self.generation, self.part, self.result = generation, part, result

    class PartDone(Message):
        def __init__(self, generation: int, part: str) -> None:
            super().__init__()
            self.generation, self.part = generation, part

    class PartFailed(Message):
        """A list failed; rows already shown stay."""

        def __init__(self, generation: int, part: str, error: BaseException) -> None:
            super().__init__()
            self.generation, self.part, self.error = generation, part, error

    def __init__(self, client: Client, directory_id: str, crumbs: Sequence[object]) -> None:
        super().__init__(client, crumbs)
        self.directory_id = directory_id
        self.view = "campaigns"
        self.parts_generation = 0
        self.parts = {name: Part() for name in PARTS}
        self.campaigns: dict[str, Any] = {}
        self.users: dict[str, Any] = {}
        #: The user row to put the cursor back on as pages arrive again.
        self.follow_user: str | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="summary-box"):
            yield FieldList(id="summary")
        yield Static(id="views", markup=False)
        yield DataGrid(CAMPAIGN_COLUMNS, key="id", id="campaigns")
        yield DataGrid(USER_COLUMNS, key="id", id="users")
        yield FilterBar(id="filter-bar")

    def part_grid(self, part: str) -> DataGrid:
        return self.query_one(f"#{part}", DataGrid)

    @property
    def grid(self) -> DataGrid:
        """The list on show (what filter, copy and export act on)."""
        return self.part_grid(self.view)

    @property
    def export_name(self) -> str:
        return f"{self.directory_id}-directory-{self.view}"

    def cursor_user(self) -> Any | None:
        """The user under the cursor of the users view, if any."""
        key = self.part_grid("users").cursor_row_key
        return self.users.get(key) if key is not None else None

    async def fetch(self, client: Client):
        return await client.call("directory.info", directory=self.directory_id)

    def show(self, result) -> None:
        raw = (result.raw or {}).get("directory")
        self.query_one("#summary", FieldList).show(directory_pairs(result.data.directory, raw))
        for name in PARTS:  # the base class cleared the panel; a list's failure stands
            if self.parts[name].error is not None:
                self.error_panel.show_error(*self.parts[name].error)

    def reload(self, refresh: bool = False) -> None:
        # A refresh (after a write) comes back to the user the cursor was on.
        self.follow_user = self.part_grid("users").cursor_row_key if self.is_mounted else None
        self.parts_generation += 1
        for name in PARTS:  # before the base class may show a cached directory.info
            shown = self.parts[name]
            if refresh and shown.loaded:
                # The rows shown stay usable until the list arrives again
                # (and stay, should the refresh fail).
                self.parts[name] = Part(state="refreshing", loaded=shown.loaded,
                                        total=shown.total)
            else:
                self._restart_part(name)
        super().reload(refresh)
        self._load_campaigns(self.parts_generation, refresh)
        self._stream_users(self.parts_generation, refresh)
        self._show_view()

    def _restart_part(self, name: str) -> None:
        """An empty list, loading."""
        self.parts[name] = Part(state="loading")
        grid = self.part_grid(name)
        grid.clear()
        if name == "users":
            self.users = {}
            grid.loading_progress = (0, None)
        else:
            self.campaigns = {}

    # -- loading ----------------------------------------------------------------

    @work(exclusive=True, group="directory-campaigns", exit_on_error=False)
    async def _load_campaigns(self, generation: int, refresh: bool = False) -> None:
        try:
            result = await self.client.call("directory.campaigns", directory=self.directory_id,
                                            max_age=0 if refresh else None)
        except CtError as error:
            self.post_message(self.PartFailed(generation, "campaigns", error))
        else:
            self.post_message(self.PartArrived(generation, "campaigns", result))
            self.post_message(self.PartDone(generation, "campaigns"))

    @work(exclusive=True, group="directory-users", exit_on_error=False)
    async def _stream_users(self, generation: int, refresh: bool = False) -> None:
        try:
            async for page in self.client.pages("directory.users", directory=self.directory_id,
                                                max_age=0 if refresh else None):
                self.post_message(self.PartArrived(generation, "users", page))
        except CtError as error:
            self.post_message(self.PartFailed(generation, "users", error))
        else:
            self.post_message(self.PartDone(generation, "users"))

    def on_directory_screen_part_arrived(self, message: PartArrived) -> None:
        if message.generation != self.parts_generation:
            return
        if message.part == "users" and self.parts["users"].state == "refreshing":
            self._restart_part("users")
        part = self.parts[message.part]
        data = message.result.data
        rows = list(data.items)
        if message.part == "campaigns":  # one answer: in place of the rows shown
            part.state = "loading"
            self.campaigns = {c.id: c for c in rows}
            self.part_grid("campaigns").replace_rows([
                {"id": c.id, "name": c.name, "status": c.status, "category": c.category,
                 "code": c.code, "url": c.url} for c in rows])
            part.loaded, part.total = len(self.campaigns), data.amount_of_campaigns
        else:
            self.users.update((u.id, u) for u in rows)
            self.part_grid("users").append_rows([user_row(u) for u in rows])
            if follow_row(self.part_grid("users"), self.follow_user):
                self.follow_user = None
            part.loaded = len(self.users)
            if data.amount_of_users is not None:
                part.total = data.amount_of_users
            self.part_grid("users").loading_progress = (part.loaded, part.total)
        if message.part == self.view:
            self.update_filter_count()
        self._render_views()

    def on_directory_screen_part_done(self, message: PartDone) -> None:
        if message.generation != self.parts_generation:
            return
        if self.parts[message.part].state == "refreshing":  # nothing arrived: none left
            self._restart_part(message.part)
        self.parts[message.part].state = "done"
        if message.part == "users":
            self.part_grid("users").loading_progress = None
        self._render_views()

    def on_directory_screen_part_failed(self, message: PartFailed) -> None:
        if message.generation != self.parts_generation:
            return
        part = self.parts[message.part]
        part.state = "kept" if part.state == "refreshing" else "failed"
        if message.part == "users":
            self.part_grid("users").loading_progress = None
        title, text = error_text(message.error)
        part.error = (f"{message.part.capitalize()}: {title}", text)
        self.error_panel.show_error(*part.error)
        self._render_views()

    # -- the view switch -------------------------------------------------------

    def _part_text(self, name: str) -> str:
        part = self.parts[name]
        if part.state == "loading":
            total = "?" if part.total is None else str(part.total)
            return f"loading… {part.loaded} of {total}"
        if part.state == "refreshing":
            return f"{part.loaded} · refreshing…"
        if part.state == "failed":
            return f"failed after {part.loaded} (r retries)"
        if part.state == "kept":
            return f"{part.loaded}, as before the refresh failed (r retries)"
        if part.state == "done" and part.loaded == 0:
            return "none"
        return str(part.loaded)

    def _render_views(self) -> None:
        pieces: list[Any] = []
        for number, name in enumerate(PARTS, 1):
            label = f"{number} {name}: {self._part_text(name)}"
            pieces.append((f"[{label}]", "bold reverse") if name == self.view else f" {label} ")
            pieces.append("  ")
        self.query_one("#views", Static).update(Content.assemble(*pieces))

    def _show_view(self) -> None:
        self.set_class(self.view == "users", "-users")
        self._render_views()
        # The bar's text (or none) applies to the list now on show, whatever
        # that list was last filtered by.
        self.grid.set_filter(self.filter_bar.text)
        self.update_filter_count()
        self.focus_grid_unless_typing()

    def action_view(self, view: str) -> None:
        if view in PARTS and view != self.view:
            self.view = view
            self._show_view()

    def on_data_grid_row_selected(self, message: DataGrid.RowSelected) -> None:
        # Lazy for start-up: a pane's module loads when the pane is first opened.
        from ctconsole.ui.screens.campaign import CampaignScreen

        if message.grid.id != "campaigns":
            return
        campaign = self.campaigns.get(str(message.row_key))
        if campaign is not None:
            message.stop()
            crumbs = (*self.crumbs, f"{campaign.id} {campaign.name}".strip())
            self.app.push_screen(CampaignScreen(self.client, campaign.id, crumbs))
