"""The command palette's own commands (ctrl+p): go to any pane, or to any
object whose ID you have.

Support work starts from an ID in a ticket far more often than from
browsing, so typing `cam_1003`, `sub_2001`, `dir_5001` or a session code
(21 characters, its 6-character short form, or the coupon link) offers to
open that object's pane directly. Nothing is looked up while typing: the pane
that opens fetches the object and shows the API's error if the ID is wrong.
A subaccount pane looks its credentials up in the subaccount list itself.

Jumps push the pane on top of the current one, so Escape comes back; "Home"
goes back down to the home pane instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from ctconsole.ui.widgets.breadcrumbs import HOME_CRUMB
from ctconsole.ui.text import content

if TYPE_CHECKING:
    from textual.app import App

try:  # the finder knows every shape a session reference comes in
    from ctconsole.api.finder import classify
except ImportError:  # pragma: no cover - only before the finder existed
    classify = None  # type: ignore[assignment]

_SESSION_CODE = re.compile(r"[A-Za-z0-9]{21}|[A-Za-z0-9]{6}")


def _push(app: App, screen_factory: Callable[[], object]) -> None:
    app.push_screen(screen_factory())  # type: ignore[arg-type]


def go_home(app: App) -> None:
    """Back down to the home pane (the bottom of the stack stays)."""
    # Lazy for start-up: a pane's module loads when the pane is first opened.
    from ctconsole.ui.screens.home import HomeScreen

    while len(app.screen_stack) > 1 and not isinstance(app.screen, HomeScreen):
        app.pop_screen()


def _crumbs(*parts: str) -> tuple[str, ...]:
    return (HOME_CRUMB, *parts)


def open_pane(app: App, pane: str) -> None:
    """Open one of the account-wide panes by its palette name."""
    # Lazy for start-up: a pane's module loads when the pane is first opened.
    from ctconsole.ui.screens import account_lists
    from ctconsole.ui.screens.categories import CategoryListScreen, Level3CategoryListScreen

    client = app.client  # type: ignore[attr-defined]
    factories = {
        "Campaigns": lambda: account_lists.CampaignListScreen(client, _crumbs("Campaigns")),
        "Loyalty cards": lambda: account_lists.LoyaltyListScreen(client, _crumbs("Loyalty cards")),
        "Directories": lambda: account_lists.DirectoryListScreen(client, _crumbs("Directories")),
        "Categories": lambda: CategoryListScreen(client, _crumbs("Categories")),
        "3rd-level categories": lambda: Level3CategoryListScreen(
            client, _crumbs("3rd-level categories")),
    }
    _push(app, factories[pane])


def open_campaign(app: App, campaign_id: str) -> None:
    # Lazy for start-up: a pane's module loads when the pane is first opened.
    from ctconsole.ui.screens.campaign import CampaignScreen

    _push(app, lambda: CampaignScreen(app.client, campaign_id, _crumbs(campaign_id)))  # type: ignore[attr-defined]


def open_subaccount(app: App, sub_id: str) -> None:
    # Lazy for start-up: a pane's module loads when the pane is first opened.
    from ctconsole.ui.screens.subaccount import SubaccountScreen

    _push(app, lambda: SubaccountScreen.by_id(app.client, sub_id, _crumbs(sub_id)))  # type: ignore[attr-defined]


def open_directory(app: App, directory_id: str) -> None:
    # Lazy for start-up: a pane's module loads when the pane is first opened.
    from ctconsole.ui.screens.directory import DirectoryScreen

    _push(app, lambda: DirectoryScreen(app.client, directory_id, _crumbs(directory_id)))  # type: ignore[attr-defined]


def open_session(app: App, code: str) -> None:
    # Lazy for start-up: a pane's module loads when the pane is first opened.
    from ctconsole.ui.screens.session import SessionScreen, session_crumb

    _push(app, lambda: SessionScreen(app.client, code, _crumbs(session_crumb(code))))  # type: ignore[attr-defined]


def open_help(app: App) -> None:
    app.action_help()  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PaneCommand:
    name: str
    help: str


PANES = (
    PaneCommand("Home", "The account's subaccounts"),
    PaneCommand("Campaigns", "The main account's campaigns"),
    PaneCommand("Loyalty cards", "The main account's loyalty cards"),
    PaneCommand("Directories", "The main account's directories"),
    PaneCommand("Categories", "Directory categories"),
    PaneCommand("3rd-level categories", "The third level of the category tree"),
    PaneCommand("Journal", "Every write made from this machine, with undo"),
    PaneCommand("Help", "The keys of the current pane"),
)

#: ID prefix -> (what it is, how to open it).
ID_KINDS: dict[str, tuple[str, Callable[[App, str], None]]] = {
    "cam_": ("campaign", open_campaign),
    "sub_": ("subaccount", open_subaccount),
    "dir_": ("directory", open_directory),
}
_ID = re.compile(r"(cam|sub|dir)_[A-Za-z0-9]{1,40}")


def pane_action(app: App, name: str) -> Callable[[], None]:
    if name == "Home":
        return partial(go_home, app)
    if name == "Help":
        return partial(open_help, app)
    if name == "Journal":
        return app.action_journal  # type: ignore[attr-defined]
    return partial(open_pane, app, name)


def session_reference(text: str) -> str | None:
    """The session code `text` names (a code, short code or coupon link), or None."""
    if classify is None:
        return text if _SESSION_CODE.fullmatch(text) else None
    try:
        query = classify(text)
    except ValueError:
        return None
    for reading in query.readings:
        if reading.kind in ("session_code", "short_code", "session_url"):
            return reading.value
    return None


def id_hits(app: App, text: str) -> list[tuple[float, str, Callable[[], None], str]]:
    """(score, label, command, help) for the objects `text` could be the ID of."""
    text = text.strip()
    hits = []
    if _ID.fullmatch(text):
        kind, opener = ID_KINDS[text[:4]]
        hits.append((1.0, f"Open {kind} {text}", partial(opener, app, text),
                     f"The {kind} pane for {text}"))
    elif (code := session_reference(text)) is not None:
        # Six letters may just be the start of a pane name being typed: a
        # code with a digit in it is far more likely a real one.
        score = 1.0 if any(c.isdigit() for c in code) else 0.3
        hits.append((score, f"Open session {code}", partial(open_session, app, code),
                     "session.info for this code"))
    return hits


class JumpProvider(Provider):
    """Panes by name, objects by ID."""

    async def discover(self) -> Hits:
        for pane in PANES:
            yield DiscoveryHit(f"Go to {pane.name}", pane_action(self.app, pane.name),
                               help=pane.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for pane in PANES:
            label = f"Go to {pane.name}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), pane_action(self.app, pane.name),
                          text=label, help=pane.help)
        for score, label, command, help_text in id_hits(self.app, query):
            # The ID is what the user typed: shown as text, never as markup.
            yield Hit(score, Content.assemble(content(label)), command, text=label,
                      help=help_text)
