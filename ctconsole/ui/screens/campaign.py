"""One campaign: its details and usage numbers, then its sessions, page by page.

A big campaign has hundreds of thousands of sessions in pages of 5000, so
the sessions are streamed into the grid as each page arrives (the first
rows are usable at once) with progress shown, in a worker of their own so
the campaign details and the sessions load side by side. Keys 1-4 switch
the view (all / opens / claims / validations) and `d` sets a UTC date range
(`start_date` / `end_date`); each change restarts the stream, and pages of an
abandoned stream are dropped by generation number. As in every list, `/`
filters the loaded sessions, `y`/`Y`/`i` copy, `e` exports the filtered view
and `f` finds a session (within this campaign). A restarted stream brings the
cursor back to the session it was on once that session's page arrives (after
`r` or a write, the row that took its place if it is gone), so a support
person does not lose the customer they were helping.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from ctconsole.api.errors import CtError
from ctconsole.ui.formats import count_of, day_text
from ctconsole.ui.screens.base import error_text, what_helps
from ctconsole.ui.screens.date_range import DateRange, DateRangeDialog
from ctconsole.ui.screens.tables import TableScreen
from ctconsole.ui.text import plain
from ctconsole.ui.widgets.fields import FieldList
from ctconsole.ui.widgets.filter_bar import FilterBar
from ctconsole.ui.widgets.grid import DataGrid
from ctconsole.ui.widgets.grid_model import Column
from ctconsole.ui.timefmt import app_now, freshness_text
from ctconsole.ui.writes.cursor import follow_row
from ctconsole.ui.writes.keys import Prefill, WriteKey
from ctconsole.ui.writes.takeaway import CreatedCodesResult, SingleUseResult

if TYPE_CHECKING:
    from ctconsole.api import Client

VIEWS = ("all", "opens", "claims", "validations")
#: Session rows appended to the grid in one go (a slice short enough not to be seen).
APPEND_SLICE = 1000

SESSION_COLUMNS = (
    Column("session", "Session", width=21),
    Column("state", "State", max_width=9),
    Column("created", "Created (UTC)", format=day_text, width=16),
    Column("claimtype", "Claim", max_width=7),
    Column("customid", "Custom ID", max_width=14),
    Column("name", "Name", max_width=20, pii="name", grow=True),
    Column("email", "E-mail", max_width=28, pii="email", grow=True),
    Column("validated", "Validated (UTC)", format=day_text, width=16),
)


def session_row(session: Any) -> dict[str, Any]:
    """The grid row of a `SessionRow` model."""
    return {
        "session": session.session,
        "state": session.state,
        "created": session.created_date_utc,
        "claimtype": session.claimtype,
        "customid": session.customid,
        "name": " ".join(p for p in (session.firstname, session.lastname) if p),
        "email": session.email,
        "validated": session.validation_date_utc if session.validated else None,
    }


def lean_session_rows(rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    """The grid rows (in `SESSION_COLUMNS` order) of a `LeanSessionPage`'s
    plain-dict rows: the same values `session_row` gives for the models.

    The pane keeps no session objects at all, only the grid's columns of
    values: a 200k-session campaign as models would take hundreds of MB, and
    full garbage-collector passes over them would freeze the UI.
    """
    # Lazy for start-up: pydantic loads with the first page of sessions.
    from ctconsole.api.models.rows import session_row_state

    out = []
    for row in rows:
        first, last = row["firstname"], row["lastname"]
        out.append((row["session"], session_row_state(row), row["created_date_utc"],
                    row["claimtype"], row["customid"],
                    f"{first} {last}" if first and last else first or last, row["email"],
                    row["validation_date_utc"] if row["validated"] else None))
    return out


def campaign_pairs(info: Any) -> list[tuple[str, Any]]:
    campaign = info.campaign
    pairs: list[tuple[str, Any]] = [("name", campaign.name)]
    stats = info.usage_stats
    if stats is not None:
        numbers = ("sessions", "opened", "played", "claimed", "validated", "voided")
        pairs.append(("usage", "  ".join(f"{n} {getattr(stats, n) or 0}" for n in numbers)))
    pairs += [
        ("status", " · ".join(p for p in (campaign.status, campaign.type, campaign.code) if p)),
        ("runs", f"{day_text(campaign.start_date) or '…'} → {day_text(campaign.end_date) or '…'}"),
        ("url", campaign.url),
        ("title", campaign.title),
        ("single use", campaign.single_use),
        ("description", campaign.description),
    ]
    return pairs


# -- write keys ----------------------------------------------------------------
# Bulk session writes on the marked rows (space / v / ctrl+a mark, u clears),
# pushes, and single-use URLs: `n` one (the result shows and copies the URL
# and its codes), `N` many (the count typed to confirm; the result lists and
# exports every created code), `D` remove the cursor's session's.

#: What to say when a bulk write is asked for with nothing marked.
MARK_FIRST = ("Mark sessions first: space marks a row, v marks a range, ctrl+a marks every "
              "row shown (after a filter); u clears the marks.")
#: What `N` suggests (the API's own default when no amount is sent).
SINGLE_USE_AMOUNT = 10


def some_marked(pane: CampaignScreen) -> str | None:
    return None if pane.grid.marked_keys else MARK_FIRST


def a_cursor_session(pane: CampaignScreen) -> str | None:
    return None if pane.grid.cursor_row_key is not None else "No session under the cursor."


def _marked(pane: CampaignScreen, verb: str, **flags: object) -> Prefill:
    grid = pane.grid
    codes = [str(row["session"]) for row in grid.model.records(grid.marked_keys)]
    count = count_of(len(codes), "session")
    return Prefill({"couponsessions": codes, **flags}, f"{verb} {count}")


def edit_marked(pane: CampaignScreen) -> Prefill:
    return _marked(pane, "Edit")


def validate_marked(pane: CampaignScreen) -> Prefill:
    return _marked(pane, "Validate", validated=True)


def claim_marked(pane: CampaignScreen) -> Prefill:
    return _marked(pane, "Claim", claimed=True)


def void_marked(pane: CampaignScreen) -> Prefill:
    """Void the marked sessions, or un-void them when every one is voided."""
    rows = pane.grid.model.records(pane.grid.marked_keys)
    all_void = all(row.get("state") == "voided" for row in rows)
    return _marked(pane, "Un-void" if all_void else "Void", voided=not all_void)


def push_cursor_session(pane: CampaignScreen) -> Prefill:
    code = str(pane.grid.cursor_row_key)
    return Prefill({"campaign": pane.campaign_id, "couponsession": code},
                   f"Push to session {plain(code[:6])}")


def push_all(pane: CampaignScreen) -> Prefill:
    return Prefill({"campaign": pane.campaign_id}, f"Push to all of {pane.campaign_id}")


def new_single_use(pane: CampaignScreen) -> Prefill:
    return Prefill({"campaign": pane.campaign_id},
                   f"New single-use URL for {plain(pane.campaign_id)}", focus="firstname")


def new_single_uses(pane: CampaignScreen) -> Prefill:
    return Prefill({"campaign": pane.campaign_id, "amount": SINGLE_USE_AMOUNT},
                   f"New single-use URLs for {plain(pane.campaign_id)}", focus="amount")


def remove_single_use(pane: CampaignScreen) -> Prefill:
    code = str(pane.grid.cursor_row_key)
    return Prefill({"campaign": pane.campaign_id, "couponsession": code},
                   f"Remove single-use URL {plain(code[:6])}")


class CampaignScreen(TableScreen):
    """`campaign.info` (with usage stats) above the streamed `campaign.sessions`."""

    CSS_PATH = "campaign.tcss"
    loading_target = "#summary-box"
    BINDINGS = [
        Binding("1", "view('all')", "All", id="campaign.view_all"),
        Binding("2", "view('opens')", "Opens", id="campaign.view_opens"),
        Binding("3", "view('claims')", "Claims", id="campaign.view_claims"),
        Binding("4", "view('validations')", "Validations", id="campaign.view_validations"),
        Binding("d", "dates", "Dates", id="campaign.dates"),
    ]
    WRITES = (
        WriteKey("w", "campaign.edit_marked", "Edit marked", "session.update_many",
                 edit_marked, guard=some_marked),
        WriteKey("V", "campaign.validate_marked", "Validate marked", "session.update_many",
                 validate_marked, guard=some_marked),
        WriteKey("C", "campaign.claim_marked", "Claim marked", "session.update_many",
                 claim_marked, guard=some_marked),
        WriteKey("X", "campaign.void_marked", "Void / un-void marked", "session.update_many",
                 void_marked, guard=some_marked),
        WriteKey("p", "campaign.push", "Push to the session", "campaign.push",
                 push_cursor_session, guard=a_cursor_session),
        WriteKey("P", "campaign.push_all", "Push to all", "campaign.push_all", push_all),
        WriteKey("n", "singleuse.create", "New single-use URL", "singleuse.create",
                 new_single_use, result_screen=SingleUseResult),
        WriteKey("N", "singleuse.create_many", "New single-use URLs (many)",
                 "singleuse.create_many", new_single_uses, result_screen=CreatedCodesResult),
        WriteKey("D", "singleuse.remove", "Remove the session's single-use URL",
                 "singleuse.remove", remove_single_use, guard=a_cursor_session),
    )
    id_label = "session code"

    class SessionsPage(Message):
        """A page of sessions arrived."""

        def __init__(self, generation: int, result: Any) -> None:
            super().__init__()
            self.generation = generation
            self.result = result

    class SessionsDone(Message):
        """Every page of the view has arrived."""

        def __init__(self, generation: int) -> None:
            super().__init__()
            self.generation = generation

    class SessionsFailed(Message):
        """A page failed; the rows already shown stay."""

        def __init__(self, generation: int, error: BaseException) -> None:
            super().__init__()
            self.generation = generation
            self.error = error

    def __init__(self, client: Client, campaign_id: str, crumbs: Sequence[object]) -> None:
        super().__init__(client, crumbs)
        self.campaign_id = campaign_id
        self.view = "all"
        self.date_range = DateRange()
        self.sessions_generation = 0
        self.total: int | None = None
        self.sessions_state = "idle"
        #: The session the cursor was on when the stream restarted, and (for
        #: a refresh of the same list) its position, to fall back on if gone.
        self.follow: tuple[str, int | None] | None = None
        #: Provenance of the sessions shown: the oldest page's fetch time,
        #: whether any page came from the cache, whether any was stale. Each
        #: view is cached on its own, so offline two views can be of
        #: different ages; the views line says which.
        self.sessions_age: tuple[datetime, bool, bool] | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="summary-box"):
            yield FieldList(id="summary")
        yield Static(id="views", markup=False)
        yield DataGrid(SESSION_COLUMNS, key="session", id="sessions")
        yield FilterBar(id="filter-bar")

    @property
    def grid(self) -> DataGrid:
        return self.query_one("#sessions", DataGrid)

    @property
    def export_name(self) -> str:
        name = f"{self.campaign_id}-sessions-{self.view}"
        if self.date_range.active:
            bounds = (self.date_range.start or "start", self.date_range.end or "end")
            name += "-" + "-to-".join(b.replace(" ", "T") for b in bounds)
        return name

    @property
    def find_campaign(self) -> str | None:
        return self.campaign_id

    async def fetch(self, client: Client):
        return await client.call("campaign.info", campaign=self.campaign_id,
                                      show_usage_stats=True)

    def show(self, result) -> None:
        self.query_one("#summary", FieldList).show(campaign_pairs(result.data))

    def reload(self, refresh: bool = False) -> None:
        super().reload(refresh)
        # `r` (and the refresh after a write) asks the API for the sessions
        # too, not only for the campaign's details.
        self.load_sessions(fresh=refresh)

    # -- sessions -------------------------------------------------------------

    def load_sessions(self, *, fresh: bool = False) -> None:
        """(Re)start the sessions stream; `fresh`: past the cache (a refresh),
        else cached pages still fresh are used (another view, a date range)."""
        grid = self.grid
        key = grid.cursor_row_key
        if key is not None and not (self.sessions_state == "loading" and self.follow):
            self.follow = (key, grid.cursor if fresh else None)
        self.sessions_generation += 1
        self.total = None
        if fresh and len(grid.model):
            # A refresh: the rows shown stay usable until the first fresh page
            # replaces them (and stay, should the refresh fail).
            self.sessions_state = "refreshing"
            self._render_views()
            self._stream_sessions(self.sessions_generation, self.view, self.date_range, fresh)
            return
        self._restart_grid()
        first = None if fresh else self._cached_first_page()
        if first is None:
            self._render_views()
            self._stream_sessions(self.sessions_generation, self.view, self.date_range, fresh)
        else:
            self._note_age(first)
            self._add_rows(first.data, first.data.items)
            self._page_added()
            if first.last_page:
                self.workers.cancel_group(self, "sessions")  # an older stream is void
                self.on_campaign_screen_sessions_done(self.SessionsDone(self.sessions_generation))
            else:
                self._render_views()
                # The rest once the frame with the first page is out (as for `reload`).
                self.call_after_refresh(self._stream_after_paint, self.sessions_generation, first)
        self.focus_grid_unless_typing()

    def _note_age(self, result: Any) -> None:
        """Fold a page's provenance into `sessions_age`."""
        at = getattr(result, "fetched_at", None)
        if at is None:
            return
        cached, stale = bool(result.from_cache), bool(result.stale)
        if self.sessions_age is not None:
            oldest, was_cached, was_stale = self.sessions_age
            at, cached, stale = min(at, oldest), cached or was_cached, stale or was_stale
        self.sessions_age = (at, cached, stale)

    def _restart_grid(self) -> None:
        """An empty grid for a new stream of sessions."""
        self.sessions_age = None
        self.sessions_state = "loading"
        self.grid.clear()
        self.reapply_filter()
        self.grid.loading_progress = (0, None)

    def _stream_after_paint(self, generation: int, first: Any) -> None:
        if generation == self.sessions_generation:
            self._stream_sessions(generation, self.view, self.date_range, after=first)

    def _cached_first_page(self) -> Any:
        """The view's first page if the cache can answer for it now (fresh,
        or offline), so the pane's first frame already has its rows
        (a cached pane in one frame); the stream goes on after it."""
        try:
            return self.client.peek("campaign.sessions", campaign=self.campaign_id,
                                    view=self.view, model="LeanSessionPage", servable=True,
                                    **self.date_range.params)
        except CtError:
            return None  # the stream meets the problem and reports it

    @work(exclusive=True, group="sessions", exit_on_error=False)
    async def _stream_sessions(self, generation: int, view: str, dates: DateRange,
                               fresh: bool = False, after: Any = None) -> None:
        # max_age=0, not use_cache=False: the fresh pages are stored for the
        # next visit, and an unreachable API still falls back to the cache.
        try:
            async for page in self.client.pages("campaign.sessions", campaign=self.campaign_id,
                                                view=view, model="LeanSessionPage",
                                                max_age=0 if fresh else None, after=after,
                                                **dates.params):
                self.post_message(self.SessionsPage(generation, page))
        except CtError as error:
            self.post_message(self.SessionsFailed(generation, error))
        else:
            self.post_message(self.SessionsDone(generation))

    async def on_campaign_screen_sessions_page(self, message: SessionsPage) -> None:
        """Append a page in slices, letting the event loop run between them:
        a 5000-row page is more than a frame of work, and pages that arrive together
        would otherwise be appended back to back as one long freeze."""
        if message.generation != self.sessions_generation:
            return
        if self.sessions_state == "refreshing":
            self._restart_grid()
        self._note_age(message.result)
        page = message.result.data
        items = page.items
        for start in range(0, len(items), APPEND_SLICE):
            if start:
                await asyncio.sleep(0)
                if message.generation != self.sessions_generation:
                    return  # the view changed meanwhile: this page is void
            self._add_rows(page, items[start:start + APPEND_SLICE])
        self._page_added()
        self._render_views()

    def _add_rows(self, page: Any, items: Sequence[Mapping[str, Any]]) -> None:
        """Append rows of `page` (a `LeanSessionPage`) to the grid."""
        if page.amount_of_sessions is not None:
            self.total = page.amount_of_sessions
        self.grid.append_rows(lean_session_rows(items))

    def _page_added(self) -> None:
        """A whole page is in: the cursor finds its session, progress and
        the filter count catch up."""
        if self.follow is not None and follow_row(self.grid, self.follow[0]):
            self.follow = None
        self.grid.loading_progress = (len(self.grid.model), self.total)
        self.update_filter_count()

    def on_campaign_screen_sessions_done(self, message: SessionsDone) -> None:
        if message.generation != self.sessions_generation:
            return
        if self.sessions_state == "refreshing":  # no page at all: nothing is left
            self._restart_grid()
        self.sessions_state = "done"
        self.grid.loading_progress = None
        self._follow_gone()
        self._render_views()

    def _follow_gone(self) -> None:
        """The followed session did not come back (removed by the write):
        the cursor takes the row now in its place, unless it was moved."""
        follow, self.follow = self.follow, None
        grid = self.grid
        if follow is None or follow[1] is None or grid.cursor != 0 or not len(grid.model):
            return
        count = len(grid.model.view)
        if count:
            grid.move_cursor_to(grid.model.key_at(min(follow[1], count - 1)))

    def on_campaign_screen_sessions_failed(self, message: SessionsFailed) -> None:
        if message.generation != self.sessions_generation:
            return
        refreshing = self.sessions_state == "refreshing"
        self.sessions_state = "kept" if refreshing else "failed"
        self.follow = None
        self.grid.loading_progress = None
        title, text = error_text(message.error)
        self.error_panel.show_error(title, text, what_helps(message.error)[1])
        self._render_views()

    def _render_views(self) -> None:
        tabs = []
        for number, name in enumerate(VIEWS, 1):
            label = f"{number} {name}"
            tabs.append((f"[{label}]", "bold reverse") if name == self.view else f" {label} ")
        loaded = len(self.grid.model)
        if self.sessions_state == "loading":
            total = "?" if self.total is None else str(self.total)
            progress = f"loading sessions… {loaded} of {total}"
        elif self.sessions_state == "refreshing":
            progress = f"{loaded} sessions · refreshing…"
        elif self.sessions_state == "failed":
            progress = f"stopped after {loaded} sessions (r retries)"
        elif self.sessions_state == "kept":
            progress = f"{loaded} sessions, as before the refresh failed (r retries)"
        else:
            progress = f"{loaded} sessions"
        if self.sessions_age is not None and self.sessions_state != "loading":
            # Pages from the cache say how old they are (a fresh list is as
            # new as the pane's own line says).
            at, cached, stale = self.sessions_age
            if cached or stale:
                progress += " · " + freshness_text(at, app_now(self.app), from_cache=cached,
                                                   stale=stale)
        parts: list[Any] = ["Sessions: "]
        for tab in tabs:
            parts.extend([tab, " "])
        parts.extend(["  ", progress])
        if self.date_range.active:
            parts.extend(["  ", (self.date_range.describe(), "bold")])
        self.query_one("#views", Static).update(Content.assemble(*parts))

    def action_view(self, view: str) -> None:
        if view in VIEWS and view != self.view:
            self.view = view
            self.load_sessions()

    def action_dates(self) -> None:
        """Ask for a date range; a new one restarts the sessions stream."""
        self.app.push_screen(DateRangeDialog(self.campaign_id, self.date_range),
                             self._dates_chosen)

    def _dates_chosen(self, chosen: DateRange | None) -> None:
        if chosen is not None and chosen != self.date_range:
            self.date_range = chosen
            self.load_sessions()

    def on_data_grid_row_selected(self, message: DataGrid.RowSelected) -> None:
        # Lazy for start-up: a pane's module loads when the pane is first opened.
        from ctconsole.ui.screens.session import SessionScreen, session_crumb

        code = str(message.row_key)
        if self.grid.model.row_of(code) is not None:
            message.stop()
            crumbs = (*self.crumbs, session_crumb(code))
            self.app.push_screen(SessionScreen(self.client, code, crumbs))
