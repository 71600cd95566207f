"""The holders of one loyalty card (`loyalty.users`).

The usual question is "why does this customer's card not work?", and the
usual answer is "it was voided": so the Voided column sits right after the
ID (inside 80 columns, where the other columns scroll) and says VOIDED in
words, which reads without colour too. A line above the table sums the card
up (type, stamps needed, how many holders, how many voided).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from ctconsole.ui.formats import count_of, count_text, day_text
from ctconsole.ui.screens.lists import ListScreen
from ctconsole.ui.text import content
from ctconsole.ui.widgets.grid_model import Column
from ctconsole.ui.writes.loyalty_actions import LoyaltyWrites

if TYPE_CHECKING:
    from ctconsole.api import Client

VOIDED_TEXT = "VOIDED"


def yes_blank(value: Any) -> str:
    return "yes" if value else ""


USER_COLUMNS = (
    Column("id", "ID", max_width=12),
    Column("voided", "Voided", width=6, format=lambda v: VOIDED_TEXT if v else ""),
    Column("name", "Name", max_width=20, pii="name"),
    Column("email", "E-mail", max_width=30, pii="email"),
    Column("phone", "Phone", max_width=14, pii="phone"),
    Column("stamps", "Stamps", width=6, align="right", format=count_text),
    Column("points", "Points", width=6, align="right", format=count_text),
    Column("saved_to_wallet", "Wallet", width=6, format=yes_blank),
    Column("last_activity_utc", "Last active UTC", format=day_text, width=16),
)


def user_row(user: Any) -> dict[str, Any]:
    return {
        "id": user.id,
        "voided": user.is_voided,
        "name": " ".join(p for p in (user.firstname, user.lastname) if p),
        "email": user.email,
        "phone": user.phone,
        "stamps": user.stamps,
        "points": user.points,
        "saved_to_wallet": user.saved_to_wallet,
        "last_activity_utc": user.last_activity_utc,
    }


def card_summary(card: Any, users: Sequence[Any] | None) -> Content:
    """`Coffee stamp card · stamp · 10 stamps · active · 24 holders, 3 voided`
    (short enough for one line at 80 columns with a usual card name). Before
    the holders are known (`users` None) only the card's own facts."""
    parts: list[Content] = [content(card.name or card.id).stylize("bold")]
    if card.type:
        parts.append(content(card.type))
    if card.stamps_required:
        parts.append(Content(f"{card.stamps_required} stamps"))
    if card.status:
        parts.append(content(card.status))
    if users is not None:
        voided = sum(1 for user in users if user.is_voided)
        holders = count_of(len(users), "holder")
        if not users:
            holders = "nobody holds this card yet"
        parts.append(Content(f"{holders}, {voided} voided" if voided else holders))
    return Content(" · ").join(parts)


class LoyaltyUsersScreen(LoyaltyWrites, ListScreen):
    """`loyalty.users` of one card; `+`/`-`/`X`/`w`/`p`/`P` write (`LoyaltyWrites`)."""

    CSS_PATH = "loyalty.tcss"
    BINDINGS = [*LoyaltyWrites.WRITE_BINDINGS]
    operation = "loyalty.users"
    columns = USER_COLUMNS
    empty_text = "Nobody holds this card yet."

    def __init__(self, client: Client, card: Any, crumbs: Sequence[object]) -> None:
        super().__init__(client, crumbs, loyaltycard=card.id)
        self.card = card

    def compose_above(self) -> ComposeResult:
        yield Static(id="card-summary", markup=False)

    def on_mount(self) -> None:
        # Textual runs every class's on_mount in turn (this one first): the
        # base class's starts the fetch, so it is not called again here.
        self.query_one("#card-summary", Static).update(card_summary(self.card, None))

    def row(self, item: Any) -> dict[str, Any]:
        return user_row(item)

    def show(self, result) -> None:
        super().show(result)
        users = list(result.data.items)
        self.query_one("#card-summary", Static).update(card_summary(self.card, users))
