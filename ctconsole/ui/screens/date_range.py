"""The small form that sets a campaign's sessions date range.

`campaign.sessions` takes `start_date` / `end_date` in UTC, as 'yyyy-MM-dd'
or 'yyyy-MM-dd hh-mm' (a hyphen in the time). People are shown one format,
`yyyy-mm-dd hh:mm`, and may type the obvious spellings of it (`/` or `.`
between the date's parts, one-digit months and days, `T` before the time,
`hh-mm`, seconds, `today`, `yesterday`); `parse_bound` turns each into the
API's spelling, and the catalogue's own rules (`params.validate`) check the
result before the form closes, so a typo is explained here, in the form's
format, not as an API error. An error goes away as soon as the field is
edited. An empty field means "no bound". Enter moves to "To", then
applies, also when typed in one fast burst with the dates; `ctrl+r` clears
both; Escape cancels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from textual.app import ComposeResult
from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from ctconsole.api.catalogue import CATALOGUE
from ctconsole.api.errors import InvalidParams
from ctconsole.api.params import validate
from ctconsole.ui.text import content, lines, plain
from ctconsole.ui.timefmt import app_now, utc_now

FIELDS = ("start_date", "end_date")
#: The one format the form shows, in its hint, placeholders and errors.
SHOWN_FORMAT = "yyyy-mm-dd hh:mm"

_BOUND = re.compile(
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[ t]+(?P<H>\d{1,2})[:\-h.](?P<M>\d{2})(?:[:\-.](?P<S>\d{2}))?)?"
)
_WORDS = {"today": 0, "yesterday": 1}


def parse_bound(text: str, today: date) -> str:
    """A typed bound in the API's spelling ('' for no bound).

    Raises:
        ValueError: the text is no date; the message says what to type.
    """
    typed = " ".join(text.split()).lower()
    if not typed:
        return ""
    if typed in _WORDS:
        return (today - timedelta(days=_WORDS[typed])).isoformat()
    match = _BOUND.fullmatch(typed)
    problem = f"write {SHOWN_FORMAT} or yyyy-mm-dd (got {plain(text.strip())})"
    if match is None:
        raise ValueError(problem)
    y, m, d, hour, minute = (match[k] for k in ("y", "m", "d", "H", "M"))
    try:
        day = date(int(y), int(m), int(d))
        if hour is None:
            return day.isoformat()
        moment = datetime(day.year, day.month, day.day, int(hour), int(minute))
    except ValueError:
        what = "date" if hour is None else "date and time"
        raise ValueError(f"{plain(text.strip())} is not a real {what}; "
                         f"write {SHOWN_FORMAT} or yyyy-mm-dd") from None
    return moment.strftime("%Y-%m-%d %H-%M")


@dataclass(frozen=True)
class DateRange:
    """A sessions date range as sent ('' = no bound)."""

    start: str = ""
    end: str = ""

    @property
    def params(self) -> dict[str, str]:
        """The `campaign.sessions` parameters this range adds."""
        given = {"start_date": self.start, "end_date": self.end}
        return {name: value for name, value in given.items() if value}

    @property
    def active(self) -> bool:
        return bool(self.start or self.end)

    def describe(self) -> str:
        """"2026-11-02 → 2026-11-03 12:00 UTC" (times as people write them)."""
        if not self.active:
            return "any date"
        return f"{_human(self.start) or '…'} → {_human(self.end) or '…'} UTC"


def _human(bound: str) -> str:
    return bound[:11] + bound[11:].replace("-", ":")


def check_range(campaign: str, start: str, end: str,
                today: date | None = None) -> tuple[DateRange | None, list[str]]:
    """The range as the API will get it, or the problems with what was typed
    (each named by the form's label, in the form's format)."""
    today = today or utc_now().date()
    bounds: dict[str, str] = {}
    problems = []
    for label, name, text in (("From", "start_date", start), ("To", "end_date", end)):
        try:
            bounds[name] = parse_bound(text, today)
        except ValueError as error:
            problems.append(f"{label}: {error}")
    if problems:
        return None, problems
    try:
        valid = validate(CATALOGUE.get("campaign.sessions"), {"campaign": campaign, **bounds})
    except InvalidParams as error:
        return None, list(error.problems)
    chosen = DateRange(str(valid.get("start_date") or ""), str(valid.get("end_date") or ""))
    if chosen.start and chosen.end and chosen.end < chosen.start:
        return None, [f"To: {_human(chosen.end)} is before From ({_human(chosen.start)})"]
    return chosen, []


class DateRangeDialog(ModalScreen[DateRange | None]):
    """Ask the start and end of the sessions to list."""

    DEFAULT_CSS = """
    DateRangeDialog { align: center middle; }
    DateRangeDialog #range-box {
        width: 64; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    DateRangeDialog #range-title { text-style: bold; }
    DateRangeDialog .range-hint { color: $text-muted; }
    DateRangeDialog #range-error { color: $text-error; }
    DateRangeDialog .range-row { height: 1; margin-top: 1; }
    DateRangeDialog .range-row Static { width: 8; }
    DateRangeDialog .range-row Input { width: 1fr; }
    DateRangeDialog #range-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    DateRangeDialog Button { margin-left: 1; }
    """

    BINDINGS = [
        # A priority binding runs as the app takes the key, before it routes
        # the next one: Enter's move to To is done by then, so in a fast
        # burst (From, Enter, To, Enter) no key goes back to From. Textual's
        # own Enter (Input.Submitted, then focus()) moves it a step too late.
        Binding("enter", "enter", "Next / apply", id="range.next", priority=True, show=False),
        Binding("escape", "cancel", "Cancel", id="range.cancel"),
        Binding("ctrl+r", "clear", "Clear range", id="range.clear"),
    ]

    def __init__(self, campaign: str, current: DateRange, today: date | None = None) -> None:
        super().__init__()
        self.campaign = campaign
        self.current = current
        #: What "today" means (UTC); the app's clock, so tests can fix it.
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="range-box"):
            yield Static(content(f"Sessions of {self.campaign} by date (UTC)"), id="range-title")
            yield Static(f"{SHOWN_FORMAT}, yyyy-mm-dd, today, yesterday; empty: none",
                         classes="range-hint", markup=False)
            with Horizontal(classes="range-row"):
                yield Static("From", markup=False)
                yield Input(_human(self.current.start), placeholder="(the first session)",
                            id="range-start", compact=True)
            with Horizontal(classes="range-row"):
                yield Static("To", markup=False)
                yield Input(_human(self.current.end), placeholder="(the last session)",
                            id="range-end", compact=True)
            yield Static("", id="range-error", markup=False)
            with Horizontal(id="range-buttons"):
                yield Button("Apply", variant="primary", id="range-ok", compact=True)
                yield Button("Clear", id="range-clear", compact=True)
                yield Button("Cancel", id="range-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#range-start", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#range-error", Static).update("")

    def action_enter(self) -> None:
        """Enter in From: on to To (focus moves now, not later); in To: apply.
        On a button, Enter presses it as usual."""
        focused = self.focused
        if not isinstance(focused, Input):
            raise SkipAction()
        start, end = self.query_one("#range-start", Input), self.query_one("#range-end", Input)
        if focused is start:
            self.set_focus(end)
        else:
            # Keys typed just before this Enter may still wait in each field's
            # own queue: apply once both fields have taken theirs.
            start.call_later(end.call_later, self._apply)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "range-ok":
            self._apply()
        elif event.button.id == "range-clear":
            self.action_clear()
        else:
            self.dismiss(None)

    def _apply(self) -> None:
        start = self.query_one("#range-start", Input).value
        end = self.query_one("#range-end", Input).value
        today = self.today or app_now(self.app).date()
        chosen, problems = check_range(self.campaign, start, end, today)
        if chosen is None:
            self.query_one("#range-error", Static).update(lines("\n".join(problems)))
            return
        self.dismiss(chosen)

    def action_clear(self) -> None:
        self.dismiss(DateRange())

    def action_cancel(self) -> None:
        self.dismiss(None)
