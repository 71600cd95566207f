"""One coupon session (`session.info`): its lifecycle and everything else.

The timeline is the point of this pane: a support person asking "did this
customer really redeem?" reads each step's UTC time, the local time, and how
long after the previous step it happened. The raw view (`j`) shows the whole
response as received, unknown fields included, because the models may not
know everything the API sends. `f` finds another session from here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static
from textual.worker import Worker

from ctconsole.api.errors import CtError
from ctconsole.explain.facts import Account
from ctconsole.ui.screens.base import ResourceScreen
from ctconsole.ui.screens.find import FindScreen
from ctconsole.ui.screens.verdict import (case_note, fix_guard, fix_operation, fix_prefill,
                                          owner_of, verdict_content, work_out, writes_off)
from ctconsole.ui.formats import day_text
from ctconsole.ui.privacy import Pii, mask_payload, screen_share_on
from ctconsole.ui.text import content, json_lines, plain, shown_payload
from ctconsole.ui.timefmt import (app_now, duration_text, is_utc, local_text, utc_text,
                                  zone_label)
from ctconsole.ui.textual_internals import load_screen_css
from ctconsole.ui.widgets.breadcrumbs import HOME_CRUMB, last_crumb_is
from ctconsole.ui.writes.flow import journal_of
from ctconsole.ui.widgets.fields import FieldList
from ctconsole.ui.writes.keys import Prefill, WriteKey

if TYPE_CHECKING:
    from textual.app import App

    from ctconsole.api import Client
    from ctconsole.api.finder import Match
    from ctconsole.explain.rules import Explanation

#: The steps a timeline shows, in order, with the flag that says "reached".
STEPS: tuple[tuple[str, str | None], ...] = (
    ("created", None),
    ("opened", "opened"),
    ("played", "played"),
    ("claimed", "claimed"),
    ("validated", "validated"),
    ("voided", "voided"),
)


def timeline_rows(status: Any, local_tz) -> list[tuple[str, bool, str, str, str]]:
    """(step, reached, UTC, local, gap) for each step of a session's status.

    A step is reached when its flag says so (created: when it has a date);
    its flag, not its date, decides, since an un-voided session keeps its old
    void date. "voided" appears only when the session is voided. The gap is
    measured from the previous reached step that has a time.
    """
    dates = dict(status.lifecycle)
    rows = []
    previous: datetime | None = None
    for step, flag in STEPS:
        reached = bool(dates.get(step)) if flag is None else bool(getattr(status, flag, None))
        if step == "voided" and not reached:
            continue
        moment = dates.get(step) if reached else None
        if moment is None:
            rows.append((step, reached, "(no time given)" if reached else "—", "", ""))
            continue
        gap = "" if previous is None else "+" + duration_text(moment - previous)
        rows.append((step, True, utc_text(moment), local_text(moment, local_tz), gap))
        previous = moment
    return rows


def timeline_content(rows: Sequence[tuple[str, bool, str, str, str]],
                     zone: str | None = "local") -> Content:
    """The timeline table; the second time column is headed by its zone's
    name, and left out (`zone` None) when that zone is UTC itself."""
    local_head = f"{zone:<25}" if zone is not None else ""
    header = Content(f"  {'step':<10}{'UTC':<25}{local_head}gap").stylize("bold")
    lines = [header]
    for step, reached, utc, local, gap in rows:
        marker = "●" if reached else "○"
        local = f"{local:<25}" if zone is not None else ""
        line = Content(f"{marker} {step:<10}{utc:<25}{local}{gap}")
        lines.append(line if reached else line.stylize("dim"))
    return Content("\n").join(lines)


# -- write keys: `session.update` and `campaign.push` on the pane's session --


def session_shown(pane: SessionScreen) -> str | None:
    if pane.result is None:
        return "The session is still loading; try again when it is shown."
    return None


def campaign_known(pane: SessionScreen) -> str | None:
    if pane.result is None or not pane.result.data.campaign:
        return "The session is still loading (its campaign is needed for a push)."
    return None


def _update(pane: SessionScreen, verb: str, **flags: object) -> Prefill:
    return Prefill({"couponsession": pane.session_code, **flags},
                   f"{verb} session {session_crumb(pane.session_code)}")


def edit_session(pane: SessionScreen) -> Prefill:
    return _update(pane, "Edit")


def validate_session(pane: SessionScreen) -> Prefill:
    return _update(pane, "Validate", validated=True)


def claim_session(pane: SessionScreen) -> Prefill:
    return _update(pane, "Claim", claimed=True)


def void_session(pane: SessionScreen) -> Prefill:
    voided = bool(pane.result.data.data.status.voided)
    return _update(pane, "Un-void" if voided else "Void", voided=not voided)


def lock_session(pane: SessionScreen) -> Prefill:
    locked = bool(pane.result.data.data.status.locked)
    return _update(pane, "Unlock" if locked else "Lock", locked=not locked)


def push_session(pane: SessionScreen) -> Prefill:
    return Prefill({"campaign": pane.result.data.campaign, "couponsession": pane.session_code},
                   f"Push to session {session_crumb(pane.session_code)}")


class SessionScreen(ResourceScreen):
    """`session.info` for one session code, with its verdict at the top
    (`screens.verdict`)."""

    CSS_PATH = "session.tcss"
    BINDINGS = [
        Binding("j", "toggle_raw", "Raw JSON", id="session.raw"),
        Binding("o", "open_campaign", "Open its campaign", id="session.campaign", show=False),
        Binding("f", "find", "Find", id="find.open", priority=True),
        Binding("n", "case_note", "Case note", show=False, id="session.note"),
    ]
    WRITES = (
        WriteKey("w", "session.edit", "Edit", "session.update", edit_session),
        WriteKey("V", "session.validate", "Validate", "session.update", validate_session),
        WriteKey("C", "session.claim", "Claim", "session.update", claim_session),
        WriteKey("X", "session.void", "Void / un-void", "session.update", void_session,
                 guard=session_shown),
        WriteKey("L", "session.lock", "Lock / unlock", "session.update", lock_session,
                 guard=session_shown),
        WriteKey("p", "session.push", "Push a message", "campaign.push", push_session,
                 guard=campaign_known),
        WriteKey("F", "session.fix", "Fix (the verdict's)", fix_operation, fix_prefill,
                 guard=fix_guard),
    )

    #: The account the session lives in, when the pane knows (find everywhere).
    account: Account | None = None
    #: The subaccount the customer named, when known.
    named_account: Account | None = None
    #: The verdict on the session shown (None until worked out).
    explanation: Explanation | None = None
    #: Called once, when the first verdict is on screen (a search that opened
    #: this pane waits for it before it sends more).
    explained: Callable[[], None] | None = None

    def __init__(self, client: Client, session_code: str, crumbs: Sequence[object], *,
                 campaign: str = "") -> None:
        super().__init__(client, crumbs)
        self.session_code = session_code
        self.raw_shown = False
        #: The session's campaign ID, once fetched (`o` opens it); a found
        #: session's is known before (its campaign is read alongside the session).
        self.campaign_of = campaign
        self._search_note: Content | None = None
        self._campaign_early: Worker | None = None

    def on_mount(self) -> None:
        # A found session's campaign is known: read alongside the session, not after it.
        if self.campaign_of:
            self._campaign_early = self.run_worker(self._campaign_answer(self.campaign_of),
                                                   group="campaign-early")

    async def _campaign_answer(self, campaign: str) -> Any:
        """The campaign's read, or its error as a value (the verdict handles it)."""
        try:
            return await self.client.call("campaign.info", campaign=campaign)
        except CtError as error:
            return error

    async def read_campaign(self, campaign: str) -> Any:
        """`campaign.info` of the session's campaign, for the verdict: the
        early read when one is on the way."""
        early, self._campaign_early = self._campaign_early, None
        if early is None or campaign != self.campaign_of:
            return await self.client.call("campaign.info", campaign=campaign)
        answer = await early.wait()
        if isinstance(answer, CtError):
            raise answer
        return answer

    def compose_body(self) -> ComposeResult:
        note = self._search_note
        yield Static(note or "", id="search-note", markup=False).set_styles(
            f"display: {'block' if note else 'none'};")
        with VerticalScroll(id="details"):
            yield Static(id="verdict", markup=False)
            yield Static(id="state", markup=False)
            yield Static(id="campaign-run", markup=False)
            yield Static(id="timeline", markup=False)
            yield FieldList(id="facts")
        with VerticalScroll(id="raw"):
            yield Static(id="raw-text", markup=False)

    async def fetch(self, client: Client):
        return await client.call("session.info", couponsession=self.session_code)

    def show(self, result) -> None:
        info = result.data
        status = info.data.status
        self.campaign_of = info.campaign
        self.query_one("#state", Static).update(
            Content.assemble(("Session ", "bold"), content(info.session),
                             "  state: ", (info.state, "bold"))
        )
        local_tz = getattr(self.app, "local_tz", None)
        rows = timeline_rows(status, local_tz)
        now = app_now(self.app)
        zone = None if is_utc(local_tz, now) else zone_label(local_tz, now)
        self.query_one("#timeline", Static).update(timeline_content(rows, zone))
        user = info.user
        name = " ".join(part for part in (user.firstname, user.lastname) if part)
        self.query_one("#facts", FieldList).show([
            ("claim type", status.claimtype or "—"),
            ("saved to wallet", status.saved_to_passbook),
            ("validation value", status.validation_value),
            ("locked", status.locked),
            ("custom ID", info.customid),
            ("custom validation code", info.customvalcode),
            ("single-use URL", info.single_use_url),
            ("session URL", info.session_url),
            ("sequence ID", info.sequence_id),
            ("campaign", info.campaign),
            ("name", Pii("name", name)),
            ("e-mail", Pii("email", user.email)),
            ("phone", Pii("phone", user.phone)),
        ])
        raw = shown_payload(result.raw, operation="session.info")
        raw_lines = json_lines(mask_payload(raw) if screen_share_on(self) else raw)
        self.query_one("#raw-text", Static).update(Content("\n").join(Content(line) for line in raw_lines))
        self.run_worker(self._explain(result), group="verdict", exclusive=True,
                        exit_on_error=False)

    async def _explain(self, result: Any) -> None:
        """The verdict on the session just shown (its campaign read in this worker)."""
        self.explanation, campaign = await work_out(
            result.data, self.app, read_campaign=self.read_campaign,
            owner=self.account or owner_of(self), named=self.named_account)
        # One read of the campaign serves the verdict and the pane's campaign line.
        self.campaign_read(campaign)
        self.query_one("#verdict", Static).update(
            verdict_content(self.explanation, writable=not writes_off(self.app)))
        self.add_class("-explained")
        explained, self.explained = self.explained, None
        if explained is not None:
            explained()

    def action_case_note(self) -> None:
        case_note(self.app, self.explanation)

    def search_note(self, text: str, *, warn: bool = False) -> None:
        """A line above the details about the find everywhere this pane was
        opened from while it went on: still searching, the only match, or
        another match too (a warning)."""
        self._search_note = content(f"⚠ {text}" if warn else text,
                                    "$text-warning" if warn else "dim")
        for note in self.query("#search-note").results(Static):  # none before compose
            # The count goes up ten times a second on one line: no layout of the
            # whole pane each time (a warning may take two lines: it gets one).
            note.update(self._search_note, layout=warn or not note.display)
            note.display = True

    def campaign_read(self, campaign: Any) -> None:
        """Its campaign's status and run dates: a session of an inactive or
        ended campaign is why many coupons "do not work"."""
        line = self.query_one("#campaign-run", Static)
        if campaign is None:
            line.update(Content.assemble(("Campaign ", "bold"), content(self.campaign_of),
                                         ": status not known (campaign not read)"))
            return
        start = day_text(campaign.start_date) or "—"
        end = day_text(campaign.end_date) or "no end"
        line.update(Content.assemble(("Campaign ", "bold"), content(campaign.id or self.campaign_of),
                                     "  status: ", (plain(campaign.status) or "—", "bold"),
                                     "  runs: ", content(f"{start} → {end}")))

    def privacy_changed(self) -> None:
        """Screen share on/off: the raw view is re-rendered (the facts
        re-render themselves)."""
        if self.result is not None:
            self.show(self.result)

    def action_find(self) -> None:
        """Find another session (account-wide, with this pane's client)."""
        open_find(self.app, client=self.client, origin=self)

    def action_open_campaign(self) -> None:
        """The session's campaign: back to it when it is the pane below,
        else opened (a session found from elsewhere)."""
        campaign = self.campaign_of
        if not campaign:
            return
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 else None
        if getattr(below, "campaign_id", None) == campaign:
            self.app.pop_screen()
            return
        trail = list(self.crumbs[:-1])
        if not last_crumb_is(trail, campaign):
            trail.append(campaign)
        # The campaign pane opens sessions, so the app (above both) opens it here.
        self.app.open_campaign(self.client, campaign, tuple(trail),  # type: ignore[attr-defined]
                               self.session_code)

    def action_back(self) -> None:
        """Back to the session's campaign when the breadcrumbs pass through it
        but the pane below is not it (a found session): the campaign's pane
        takes this one's place, so Escape walks the breadcrumbs.

        A pane opened over the find list while the search went on goes back
        to that list while it has more to show (another match, a failure, the
        search still running); else the list closes with the pane."""
        campaign = self.campaign_of
        trail = tuple(self.crumbs[:-1])
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 else None
        listed = isinstance(below, FindScreen)
        if listed and below.more_than(self.session_code):
            self.app.pop_screen()
            return
        if listed:
            self.app.pop_screen()  # this pane; the list below goes with it
            below = stack[-3] if len(stack) > 2 else None
        if (campaign and last_crumb_is(trail, campaign)
                and getattr(below, "campaign_id", None) != campaign):
            self.app.pop_screen()
            self.app.open_campaign(self.client, campaign, trail,  # type: ignore[attr-defined]
                                   self.session_code)
            return
        if listed:
            self.app.pop_screen()
            return
        super().action_back()

    def action_toggle_raw(self) -> None:
        self.raw_shown = not self.raw_shown
        self.set_class(self.raw_shown, "-raw")
        self.query_one("#raw" if self.raw_shown else "#details").focus()


def session_crumb(code: str) -> str:
    """How a session appears in breadcrumbs: its short code."""
    return plain(code[:6])


def session_crumbs(origin: Any, match: Match, campaign: str | None) -> tuple[object, ...]:
    """Breadcrumbs for a found session: where the find started, its campaign
    (unless the find started in that campaign, or the crumbs end with it
    already), and its short code."""
    base: Sequence[object] = getattr(origin, "crumbs", None) or (HOME_CRUMB,)
    if isinstance(origin, SessionScreen):
        base = base[:-1]
    there = last_crumb_is(base, match.campaign)
    middle = () if there or (campaign and campaign == match.campaign) else (match.campaign,)
    return (*base, *middle, session_crumb(match.session))


def open_find(app: App, text: str | None = None, campaign: str | None = None, *,
              client: Client | None = None, origin: Any = None) -> FindScreen:
    """Open the find prompt over the current pane; a chosen session opens.

    Args:
        app: the running `CtConsoleApp`.
        text: pre-filled input; when given, the search starts at once.
        campaign: search e-mail/phone/validation codes within this campaign
            ID (session codes and links are always looked up account-wide).
        client: whose sessions to search; default the current pane's client
            (a subaccount pane's own), else the app's.
        origin: the pane the find starts from (for breadcrumbs); default the
            current screen.
    """
    if origin is None:
        origin = app.screen
    if client is None:
        client = getattr(origin, "client", None) or app.client  # type: ignore[attr-defined]
    # At the top (the main account, no campaign) a ticket may be about any merchant.
    everywhere = campaign is None and client is getattr(app, "client", None)
    screen = FindScreen(client, campaign=campaign, text=text, everywhere=everywhere)

    def pane_for(match: Match) -> SessionScreen:
        target = screen.found_in.get(match.session)
        crumbs = session_crumbs(origin, match, campaign)
        if target is not None:  # the subaccount before the campaign and the code
            crumbs = (*crumbs[:-2], target.id, *crumbs[-2:])
        pane = SessionScreen(own_client(client, target), match.session, crumbs,
                             campaign=match.campaign)
        if target is not None:
            pane.account = Account(target.id, target.name)
            if here is not None and here.id != target.id:
                # Searched from inside a merchant: the customer named that one.
                pane.named_account = here
        return pane

    def opened(match: Match | None) -> None:
        if match is not None:
            app.push_screen(pane_for(match))

    here = subaccount_in_view(app)
    screen.pane_for = pane_for
    app.push_screen(screen, opened)
    screen.call_after_refresh(prepare_session_pane, app)
    return screen


def prepare_session_pane(app: App) -> None:
    """What the first session pane would otherwise do the moment a match
    opens it - load its CSS (a restyle of every node) and the journal's
    module (the verdict reads this machine's writes) - done while the find
    prompt waits for its text: a search everywhere is still running then."""
    load_screen_css(app, SessionScreen(app.client, "", (HOME_CRUMB,)))  # type: ignore[attr-defined]
    journal_of(app)


def own_client(client: Client, target: Any) -> Client:
    """The client a found session's pane uses: the account's credentials with
    `client`'s own pool limit and retry policy. The fan-out's clients share its
    pool (the pane would queue behind the search still running) and leave
    429s to the pool (the pane's reads must retry them themselves)."""
    if target is None:
        return client
    creds = target.client.credentials
    if creds == client.credentials:
        return client
    return client.for_subaccount(creds.client_id, creds.client_secret)


def subaccount_in_view(app: App) -> Any:
    """The subaccount pane the support person is inside (an `Account`), or None."""
    for pane in reversed(app.screen_stack):
        sub_id = getattr(pane, "sub_id", None)
        if sub_id and getattr(pane, "main_client", None) is not None:
            model = getattr(pane, "sub", None)
            return Account(str(sub_id), str(getattr(model, "display_name", "") or ""))
    return None
