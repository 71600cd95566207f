"""The find prompt's "everywhere": the main account, then every subaccount.

A ticket rarely says which merchant a coupon belongs to, and a subaccount's
sessions answer only to its own credentials. So `f` opened at the top (the
main account, no campaign) searches everywhere; opened inside a merchant it
searches that account, and `ctrl+t` switches. The main account is asked
(one request) while the fan-out (`api.fanout`) asks every subaccount with a
bounded pool; a match in the main account is the answer (the fan-out is
cancelled, its events never shown). While it runs the progress line counts
("searched 37 of 120 subaccounts · 2 matches"), matches stream into the list
with their account named, failures are listed under it, and Esc cancels at
once (nothing more is sent; a second Esc closes). A match that is exactly
what was searched (`FindResult.certain`: the code, the e-mail address …) opens
its session at once, over the list, while the search goes on: the pane says
how far it got, and warns when another account holds a match too (Esc goes
back to the list of them all). When the search ends with one other match,
that session opens, as a single match does in one account.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any, Callable

from textual import work
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from ctconsole.api.errors import CtError
from ctconsole.api.fanout import DEFAULT_CONCURRENCY, Failed, FanOut, Found, Progress, Target, accounts
from ctconsole.api.finder import Match, classify, find_sessions
from ctconsole.ui.formats import count_of
from ctconsole.ui.text import content, plain
from ctconsole.ui.timefmt import app_now
from ctconsole.ui.widgets.grid_model import Column

#: Failures listed under the matches before "and N more".
SHOWN_FAILURES = 4
#: Seconds between redraws of the progress line.
PROGRESS_EVERY = 0.1
#: Seconds the search holds off at most while a match's pane reads its verdict.
HOLD_AT_MOST = 1.0


def everywhere_columns(base: tuple[Column, ...]) -> tuple[Column, ...]:
    """The match list's columns with the account after the session code."""
    return (base[0], Column("account", "Account", max_width=22), *base[1:])


def match_row(match: Match) -> dict[str, Any]:
    return {
        "session": match.session,
        "campaign": match.campaign,
        "who": match.who,
        "email": match.email,
        "phone": match.phone,
        "customvalcode": match.customvalcode,
        # Several matches only come from searches, whose hits carry this date.
        "created": getattr(match.data, "created_date_utc", None),
    }


class EverywhereEvent(Message):
    """One event of the fan-out, tagged with the search it belongs to."""

    def __init__(self, generation: int, event: Any) -> None:
        super().__init__()
        self.generation = generation
        self.event = event


class EverywhereSearch:
    """Mixin for `FindScreen`: the fan-out search, its progress and failures."""

    fan: FanOut | None = None
    #: Session code -> the account (and client) it was found in.
    found_in: dict[str, Target]
    #: Builds the pane of a match (set by whoever opened the prompt); without
    #: it no match opens before the search ends.
    pane_for: Callable[[Any], Any] | None = None
    #: The pane opened over the list while the search went on.
    opened_early: Any = None

    def _everywhere_reset(self) -> None:
        self.found_in = {}
        self._failures: list[Failed] = []
        self._shown_matches: list[Any] = []
        self.fan = None
        self.opened_early = None
        self._progress("")
        self.query_one("#find-failures", Static).update("")  # type: ignore[attr-defined]

    def _progress(self, text: str | Content) -> None:
        # One line whatever it says: redrawn ten times a second, it never
        # needs the layout of the whole screen done again.
        self.query_one("#find-progress", Static).update(  # type: ignore[attr-defined]
            text if isinstance(text, Content) else content(text), layout=False)

    @work(exclusive=True, group="find", exit_on_error=False)
    async def _find_everywhere(self, generation: int, text: str) -> None:
        concurrency = int(getattr(self.app, "find_concurrency", DEFAULT_CONCURRENCY))  # type: ignore[attr-defined]
        try:
            classify(text)
        except ValueError as error:
            self.post_message(self.Failed(generation, "", str(error)))  # type: ignore[attr-defined]
            return

        async def search(target: Target) -> Any:
            found = await find_sessions(target.client, text)
            return found if found.found else None

        # No full garbage collection while the answers stream in (it walks every
        # object held: a stall the support person would see); it runs after.
        schedule = getattr(self.app, "gc_schedule", None)  # type: ignore[attr-defined]
        held = schedule.hold() if schedule is not None else contextlib.nullcontext()
        with held:
            fan = await self._main_then_fan(generation, text, search, concurrency)
            if fan is None:
                return
            self.fan = fan
            shown = 0.0
            try:
                async for event in fan.events():
                    if isinstance(event, Progress):
                        # The count is redrawn at most ten times a second: one message
                        # per answer would queue ahead of the matches on a slow machine.
                        now = time.monotonic()
                        if now - shown < PROGRESS_EVERY and event.done < event.total:
                            continue
                        shown = now
                    self.post_message(EverywhereEvent(generation, event))  # type: ignore[attr-defined]
            finally:
                if not fan.cancelled:
                    self.post_message(EverywhereEvent(generation, None))  # type: ignore[attr-defined]

    async def _main_then_fan(self, generation: int, text: str, search: Any,
                             concurrency: int) -> FanOut | None:
        """The fan-out over the subaccounts when the main account has no
        match; else None, the main account's answer (or failure) posted.

        The main account is searched while the subaccount list is read and,
        once it is, while the subaccounts are: a slot of the pool would wait
        for each of their answers in turn. Their events wait until the main
        account has no match; with one, the fan-out is cancelled."""
        app_client = self.app.client  # type: ignore[attr-defined]
        main = asyncio.ensure_future(find_sessions(app_client, text))
        listing = asyncio.ensure_future(accounts(app_client, concurrency=concurrency,
                                                 listing=shown_listing(self.app)))  # type: ignore[attr-defined]
        fan: FanOut | None = None
        wanted = False
        try:
            try:
                targets = await listing
            except CtError as error:
                targets, unlisted = None, error
            if targets is not None and not main.done():
                fan = FanOut(targets[1:], search, concurrency=concurrency)
                fan.start()
            try:
                result = await main
            except CtError as error:
                self.post_message(self.Failed(generation, error.title, error.message))  # type: ignore[attr-defined]
                return None
            if result.found:
                self.post_message(self.Found(generation, result))  # type: ignore[attr-defined]
                return None
            if targets is None:
                self.post_message(self.Failed(generation, unlisted.title, unlisted.message))  # type: ignore[attr-defined]
                return None
            if fan is None:
                fan = FanOut(targets[1:], search, concurrency=concurrency)
            wanted = True
            return fan
        finally:
            for task in (main, listing):
                task.cancel()  # a no-op once done; their errors are then retrieved here
            await asyncio.gather(main, listing, return_exceptions=True)
            if fan is not None and not wanted:
                fan.cancel()  # the main account had a match, or the search was cancelled

    def on_everywhere_event(self, message: EverywhereEvent) -> None:
        message.stop()
        if message.generation != self.generation:  # type: ignore[attr-defined]
            return
        if self.fan is not None and self.fan.cancelled:  # posted before Esc: stale
            return
        event = message.event
        if isinstance(event, Progress):
            self._progress(Content.assemble(
                (event.line("subaccounts"), "bold"), content(" · Esc cancels", "dim")))
        elif isinstance(event, Found):
            first = not self._shown_matches
            self._add_matches(event.target, event.value.matches)
            if first and self.pane_for is not None and event.value.certain is not None:
                self._open_early(event.value.certain)
        elif isinstance(event, Failed):
            self._failures.append(event)
            self._show_failures()
        elif event is None:
            self._finished()
        self._tell_pane(event)

    def _open_early(self, match: Any) -> None:
        """The match's pane, over the list; the search sends nothing new until
        the pane's verdict is on screen (the verdict is what the support person
        waits for; the accounts left can wait that long), or `HOLD_AT_MOST`."""
        pane = self.opened_early = self.pane_for(match)  # type: ignore[misc]
        fan = self.fan
        if fan is not None:
            fan.pause()
            pane.explained = fan.resume
            self.app.set_timer(HOLD_AT_MOST, fan.resume)  # type: ignore[attr-defined]
        self.app.push_screen(pane)  # type: ignore[attr-defined]

    def _tell_pane(self, event: Any) -> None:
        """The pane opened early hears how the search it came from goes on."""
        pane = self.opened_early
        fan = self.fan
        if pane is None or fan is None or not pane.is_attached:
            return
        progress = fan.progress
        others = [m for m in self._shown_matches if m.session != pane.session_code]
        if others:
            where = self.found_in[others[0].session]
            more = f" and {count_of(len(others) - 1, 'more')}" if len(others) > 1 else ""
            text = f"Another match: {others[0].session[:6]} in {where.label}{more} · Esc lists all"
            if isinstance(event, Found) and self.app.screen is not pane:  # type: ignore[attr-defined]
                # The support person has moved on from the pane: it cannot say so.
                self.app.notify(plain(text), title="Another match", severity="warning",  # type: ignore[attr-defined]
                                markup=False, timeout=10)
            pane.search_note(text, warn=True)
        elif event is None:
            failed = (f"; {count_of(len(fan.failed), 'account')} could not be searched — Esc "
                      "lists them") if fan.failed else ""
            pane.search_note(f"The only match in the main account and its "
                             f"{progress.total} subaccounts{failed}", warn=bool(fan.failed))
        else:
            pane.search_note(f"Still searching: {progress.done} of {progress.total} subaccounts "
                             "(no other match so far)")

    def _add_matches(self, target: Target, matches: Any) -> None:
        grid = self.matches_grid  # type: ignore[attr-defined]
        rows = []
        for match in matches:
            if match.session in self.found_in:
                continue
            self.found_in[match.session] = target
            self._shown_matches.append(match)
            rows.append({**match_row(match), "account": _account_cell(target)})
        if not rows:
            return
        first = not self.has_class("-several")  # type: ignore[attr-defined]
        grid.append_rows(rows)
        grid.styles.height = min(len(self._shown_matches) + 3, 12)
        self.add_class("-several")  # type: ignore[attr-defined]
        if first:
            grid.focus()
            self._say("Found — Enter opens it; the search goes on.")  # type: ignore[attr-defined]

    def _show_failures(self) -> None:
        lines = [Content.assemble(("✖ ", "$text-error"), content(f"{f.target.label}: {f.error.title}"))
                 for f in self._failures[:SHOWN_FAILURES]]
        more = len(self._failures) - SHOWN_FAILURES
        if more > 0:
            lines.append(content(f"and {count_of(more, 'more account')} failed"))
        self.query_one("#find-failures", Static).update(Content("\n").join(lines))  # type: ignore[attr-defined]

    def _finished(self) -> None:
        fan = self.fan
        if fan is None:
            return
        progress = fan.progress
        matches = self._shown_matches
        if len(matches) == 1 and not fan.failed and self.opened_early is None:
            self.dismiss(matches[0])  # type: ignore[attr-defined]
            return
        self._progress(Content.assemble((progress.line("subaccounts"), "bold"),
                                        content(" · done", "dim")))
        if not matches:
            failed = f" ({len(fan.failed)} could not be searched)" if fan.failed else ""
            self._say(f"No session found for {self._query_text()} in the whole account or any "  # type: ignore[attr-defined]
                      f"of its {progress.total} subaccounts{failed}.", error=True)
        else:
            self._say(f"{count_of(len(matches), 'session')} found. Choose one with Enter.")  # type: ignore[attr-defined]

    def _query_text(self) -> str:
        """"e-mail address j…@example.com": what was searched, as the prompt shows it."""
        try:
            query = classify(self.query_one("#find-input", Input).value)  # type: ignore[attr-defined]
        except ValueError:
            return ""
        return f"{query.describe()} {self._private(query.display)}"  # type: ignore[attr-defined]

    def more_than(self, session: str) -> bool:
        """Whether the list shows more than `session`: another match, an
        account that failed, or a search still running."""
        fan = self.fan
        if fan is None:
            return True
        running = not fan.cancelled and fan.progress.done < fan.progress.total
        return running or bool(fan.failed) or any(
            m.session != session for m in self._shown_matches)

    def cancel_everywhere(self) -> bool:
        """Esc while the fan-out runs: stop it (nothing more is sent). True if it ran."""
        fan = self.fan
        if fan is None or fan.cancelled or fan.progress.done >= fan.progress.total:
            return False
        fan.cancel()
        self._progress(Content.assemble((fan.progress.line("subaccounts"), "bold"),
                                        content(" · cancelled", "dim")))
        return True


def shown_listing(app: Any) -> Any:
    """The subaccount list a pane of `app` shows, when the API gave it to the
    app's own client within its freshness (`max_age`), credentials in it: the
    fan-out starts from it instead of reading all of it again. A cached
    answer has its credentials blanked, so it never serves."""
    now = app_now(app)
    for screen in app.screen_stack:
        result = getattr(screen, "result", None)
        if (getattr(screen, "operation", None) != "subaccount.list" or result is None
                or getattr(screen, "client", None) is not getattr(app, "client", None)
                or result.from_cache or result.redacted):
            continue
        age = (now - result.fetched_at).total_seconds()
        if 0 <= age <= (result.operation.max_age or 0):
            return result
    return None


def _account_cell(target: Target) -> str:
    """"sub_2006 Velo Bakker": the ID first, so it stays visible when cut."""
    return "main account" if target.id == "main" else f"{target.id} {target.name}".strip()
