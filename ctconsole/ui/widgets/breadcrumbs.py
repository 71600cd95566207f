"""The top line of every pane: where you are, and which profile you are on.

`Account › sub_1002 Acme Bakery › cam_2001 Spring promo` — built from
sanitised `Content`, because crumbs carry customer-typed names.
"""

from __future__ import annotations

from typing import Sequence

from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.containers import Horizontal
from textual.widgets import Static

from ctconsole.ui.text import content, join, plain

SEPARATOR = " › "
GAP = "…"


def last_crumb_is(crumbs: Sequence[object], object_id: str) -> bool:
    """Whether the trail ends at `object_id` (a crumb starts with its object's ID)."""
    return bool(crumbs) and str(crumbs[-1]).split(" ", 1)[0] == object_id


def fit_crumbs(crumbs: Sequence[object], width: int) -> Content:
    """The trail in `width` cells: cut in the middle, never at the end.

    Where you are (the last crumbs) matters most, then where you started
    (the first); the crumbs between give way to "…" first. A last crumb
    too long even alone keeps its end (the short code)."""
    texts = [plain(crumb) for crumb in crumbs]
    if width <= 0 or len(SEPARATOR.join(texts)) <= width:
        return join(crumbs)
    # First the names go, the IDs stay ("cam_1001 Welcome coffee" → "cam_1001").
    short = [crumbs[0], *(t.split(" ", 1)[0] for t in texts[1:-1]), crumbs[-1]]
    if len(crumbs) > 2 and len(SEPARATOR.join(plain(c) for c in short)) <= width:
        return join(short)
    for start in range(2, len(texts)):
        shown = SEPARATOR.join([texts[0], GAP, *texts[start:]])
        if len(shown) <= width:
            return join([crumbs[0], GAP, *crumbs[start:]])
    last = texts[-1]
    room = width - len(GAP + SEPARATOR)
    if len(last) <= room:
        return join([GAP, crumbs[-1]])
    return content(GAP + last[max(0, len(last) - max(width - 1, 1)):])

#: The first crumb of every trail: the account the console is logged in to.
HOME_CRUMB = "Account"


class Breadcrumbs(Horizontal):
    """Crumbs on the left, a profile badge (with mode flags) on the right."""

    DEFAULT_CSS = """
    Breadcrumbs {
        height: 1;
        dock: top;
        background: $panel;
        color: $foreground;
    }
    Breadcrumbs > #crumbs {
        width: 1fr;
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    Breadcrumbs > #badge {
        width: auto;
        height: 1;
        padding: 0 1;
        background: $primary;
        color: $text;
        text-style: bold;
    }
    """

    def __init__(self, crumbs: Sequence[object], *, id: str | None = "breadcrumbs") -> None:
        super().__init__(id=id)
        self.crumbs = tuple(crumbs)

    @property
    def text(self) -> str:
        """The crumbs as plain text (what a user reads)."""
        return str(join(self.crumbs))

    def compose(self) -> ComposeResult:
        yield Static(join(self.crumbs), id="crumbs", markup=False)
        yield Static(self._badge_content(), id="badge", markup=False)

    def on_resize(self, event: events.Resize) -> None:
        """Fit the trail beside the badge (each has one cell of padding a side)."""
        badge = self._badge_content().cell_length + 2
        self.query_one("#crumbs", Static).update(
            fit_crumbs(self.crumbs, event.size.width - badge - 2))

    def _badge_content(self):
        app = self.app
        flags = [getattr(app, "profile_name", "")]
        if getattr(app, "read_only", False):
            flags.append("read-only")
        if getattr(app, "offline", False):
            flags.append("offline")
        if getattr(app, "screen_share", False):
            flags.append("screen share")
        return content(" · ".join(flag for flag in flags if flag))

    def privacy_changed(self) -> None:
        """Screen share on/off: the badge says so (an indicator everyone
        watching the shared screen can read)."""
        self.query_one("#badge", Static).update(self._badge_content())

    def on_mount(self) -> None:
        colour = getattr(self.app, "profile_color", None)
        if colour:
            # A per-profile colour the user chose (so production looks unlike
            # the sandbox); an invalid colour is ignored, never fatal.
            try:
                self.query_one("#badge").styles.background = colour
            except Exception:  # noqa: BLE001 - a bad colour string from config
                pass
