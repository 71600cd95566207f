"""The small form that sets a campaign's sessions date range.

`campaign.sessions` takes `start_date` / `end_date` in UTC, as 'yyyy-MM-dd'
or 'yyyy-MM-dd hh-mm' ('hh:mm' is accepted and sent as the API spells it).
The values are checked with the catalogue's own parameter rules
(`params.validate`) before the form closes, so a typo is explained here, in
the form, rather than coming back as an API error. An empty field means "no
bound". Enter moves to "To", then applies; `ctrl+r` clears both; Escape
cancels.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from ctconsole.api.catalogue import CATALOGUE
from ctconsole.api.errors import InvalidParams
from ctconsole.api.params import validate
from ctconsole.ui.text import content, lines

FIELDS = ("start_date", "end_date")


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


def check_range(campaign: str, start: str, end: str) -> tuple[DateRange | None, list[str]]:
    """The range as the API will get it, or the problems with what was typed."""
    raw = {"campaign": campaign, "start_date": start.strip(), "end_date": end.strip()}
    try:
        valid = validate(CATALOGUE.get("campaign.sessions"), raw)
    except InvalidParams as error:
        problems = [p for p in error.problems if p.split(":", 1)[0].strip() in FIELDS]
        return None, problems or list(error.problems)
    chosen = DateRange(str(valid.get("start_date") or ""), str(valid.get("end_date") or ""))
    if chosen.start and chosen.end and chosen.end < chosen.start:
        return None, ["end_date: is before start_date"]
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
        Binding("escape", "cancel", "Cancel", id="range.cancel"),
        Binding("ctrl+r", "clear", "Clear range", id="range.clear"),
    ]

    def __init__(self, campaign: str, current: DateRange) -> None:
        super().__init__()
        self.campaign = campaign
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="range-box"):
            yield Static(content(f"Sessions of {self.campaign} by date (UTC)"), id="range-title")
            yield Static("yyyy-MM-dd or yyyy-MM-dd hh:mm; empty = no bound.",
                         classes="range-hint", markup=False)
            with Horizontal(classes="range-row"):
                yield Static("From", markup=False)
                yield Input(self.current.start, placeholder="2026-11-01", id="range-start",
                            compact=True)
            with Horizontal(classes="range-row"):
                yield Static("To", markup=False)
                yield Input(self.current.end, placeholder="2026-11-30 23:59", id="range-end",
                            compact=True)
            yield Static("", id="range-error", markup=False)
            with Horizontal(id="range-buttons"):
                yield Button("Apply", variant="primary", id="range-ok", compact=True)
                yield Button("Clear", id="range-clear", compact=True)
                yield Button("Cancel", id="range-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#range-start", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "range-start":
            self.query_one("#range-end", Input).focus()
        else:
            self._apply()

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
        chosen, problems = check_range(self.campaign, start, end)
        if chosen is None:
            self.query_one("#range-error", Static).update(lines("\n".join(problems)))
            return
        self.dismiss(chosen)

    def action_clear(self) -> None:
        self.dismiss(DateRange())

    def action_cancel(self) -> None:
        self.dismiss(None)
