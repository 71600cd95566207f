"""The holders of one loyalty card (`loyalty.users`).

The usual question is "why does this customer's card not work?", and the
usual answer is "it was voided": so the Voided column sits right after the
ID (inside 80 columns, where the other columns scroll) and says VOIDED in
words, which reads without colour too. A line above the table sums the card
up (type, stamps needed, how many holders, how many voided).

The everyday loyalty fixes are keys on the holder under the cursor, with the
card's own unit (stamps on a stamp card, points on a points card):

    +  add 1 (the field starts selected: type the number to add)
    -  remove 1 (-1 prefilled; the number must stay negative)
    X  void, or un-void a voided holder
    w  edit the holder (stamps, points, void: any of them)
    p  push a message to the holder;  P  push to every holder of the card

    F  the verdict's fix (un-void, add a stamp);  n  the case note

Above the table, the holder under the cursor gets the session pane's kind of
verdict (`screens.loyalty_verdict`): voided, not enough stamps or points, or
nothing wrong with what was checked, with its evidence and the fix key.

The direction is part of the title ("Remove stamps from lus_30010"), so a
form check keeps the number's sign in line with it: "3" typed in a remove
form says how to write it instead of quietly adding three. The guard rails
(stamps below zero, a voided holder, a holder who never saved the card to a
wallet) are the engine's and show in the preview.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from ctconsole.explain.rules import Explanation
from ctconsole.ui.formats import count_of, count_text, day_text
from ctconsole.ui.screens import loyalty_verdict
from ctconsole.ui.screens.lists import ListScreen
from ctconsole.ui.screens.verdict import (fix_operation, fix_prefill, now_of, owner_of,
                                          verdict_content, writes_off)
from ctconsole.ui.text import content, plain
from ctconsole.ui.widgets.grid_model import Column
from ctconsole.ui.writes.keys import Prefill, WriteKey

if TYPE_CHECKING:
    from ctconsole.api import Client

VOIDED_TEXT = "VOIDED"


def yes_blank(value: Any) -> str:
    return "yes" if value else ""


#: What support reads first comes first (who, then the balance), so at 80
#: columns the stamps are on screen without scrolling.
USER_COLUMNS = (
    Column("id", "ID", max_width=12),
    Column("name", "Name", max_width=20, pii="name", grow=True),
    Column("stamps", "Stamps", width=6, align="right", format=count_text),
    Column("points", "Points", width=6, align="right", format=count_text),
    Column("voided", "Voided", width=6, format=lambda v: VOIDED_TEXT if v else ""),
    Column("email", "E-mail", max_width=30, pii="email", grow=True),
    Column("phone", "Phone", max_width=14, pii="phone"),
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


# -- write keys: `loyalty.user_update`, `loyalty.push`, `loyalty.push_all` ------

BALANCES = ("stamps", "points")


def balance_field(card: Any) -> str:
    """The unit a card counts in: points for a points card, else stamps."""
    return "points" if str(getattr(card, "type", "") or "").lower().startswith("point") \
        else "stamps"


def sign_check(sign: int):
    """A form check: every balance given has the sign the title promises."""

    def check(values: Mapping[str, object]) -> dict[str, str]:
        found: dict[str, str] = {}
        for name in BALANCES:
            try:
                number = int(str(values.get(name)))
            except ValueError:
                continue  # absent, or not a number: the catalogue says so
            if number == 0:
                found[name] = f"0 changes nothing; give the {name} to " \
                    + ("add" if sign > 0 else "remove")
            elif sign < 0 and number > 0:
                found[name] = (f"this form removes {name}: write -{number} to remove {number} "
                               f"(a positive number would add them)")
            elif sign > 0 and number < 0:
                found[name] = (f"this form adds {name}: write {-number} to add {-number}, or "
                               f"use - (remove) to take {name} away")
        return found

    return check


def a_holder(pane: LoyaltyUsersScreen) -> str | None:
    if pane.holder() is None:
        return "No card holder under the cursor (the list is empty or still loading)."
    return None


def _holder_write(pane: LoyaltyUsersScreen, title: str, **params: object) -> Prefill:
    user = pane.holder()
    return Prefill({"loyaltycard": str(pane.card.id), "user": user.id, **params},
                   f"{title} {plain(user.id)}")


def _balance(pane: LoyaltyUsersScreen, sign: int) -> Prefill:
    field = balance_field(pane.card)
    verb = f"Add {field} to" if sign > 0 else f"Remove {field} from"
    return replace(_holder_write(pane, verb, **{field: sign}), focus=field,
                   check=sign_check(sign))


def add_to_holder(pane: LoyaltyUsersScreen) -> Prefill:
    return _balance(pane, 1)


def remove_from_holder(pane: LoyaltyUsersScreen) -> Prefill:
    return _balance(pane, -1)


def void_holder(pane: LoyaltyUsersScreen) -> Prefill:
    voided = bool(pane.holder().is_voided)
    return _holder_write(pane, f"{'Un-void' if voided else 'Void'} holder", voided=not voided)


def edit_holder(pane: LoyaltyUsersScreen) -> Prefill:
    return _holder_write(pane, "Edit holder")


def push_to_holder(pane: LoyaltyUsersScreen) -> Prefill:
    return _holder_write(pane, "Push to holder")


def push_to_all_holders(pane: LoyaltyUsersScreen) -> Prefill:
    card = pane.card
    return Prefill({"loyaltycard": str(card.id)},
                   f"Push to all holders of {plain(card.code or card.id)}")


class LoyaltyUsersScreen(ListScreen):
    """`loyalty.users` of one card; `+`/`-`/`X`/`w`/`p`/`P` write."""

    CSS_PATH = "loyalty.tcss"
    BINDINGS = [Binding("n", "case_note", "Case note", show=False, id="loyalty.note")]
    WRITES = (
        WriteKey("plus", "loyalty.add", "Add stamps/points", "loyalty.user_update",
                 add_to_holder, guard=a_holder, key_display="+"),
        WriteKey("minus", "loyalty.remove", "Remove stamps/points", "loyalty.user_update",
                 remove_from_holder, guard=a_holder, key_display="-"),
        WriteKey("X", "loyalty.void", "Void / un-void the holder", "loyalty.user_update",
                 void_holder, guard=a_holder),
        WriteKey("w", "loyalty.edit", "Edit the holder", "loyalty.user_update", edit_holder,
                 guard=a_holder),
        WriteKey("p", "loyalty.push", "Push to the holder", "loyalty.push", push_to_holder,
                 guard=a_holder),
        WriteKey("P", "loyalty.push_all", "Push to all holders", "loyalty.push_all",
                 push_to_all_holders),
        WriteKey("F", "loyalty.fix", "Fix (the verdict's)", fix_operation, fix_prefill,
                 guard=loyalty_verdict.fix_guard),
    )
    operation = "loyalty.users"
    columns = USER_COLUMNS
    empty_text = "Nobody holds this card yet."

    def __init__(self, client: Client, card: Any, crumbs: Sequence[object]) -> None:
        super().__init__(client, crumbs, loyaltycard=card.id)
        self.card = card
        #: The verdict on the holder under the cursor (None: no holder there).
        self.explanation: Explanation | None = None
        self._writes: loyalty_verdict.Writes | None = None

    def compose_above(self) -> ComposeResult:
        yield Static(id="card-summary", markup=False)
        yield Static(id="holder-verdict", markup=False)

    def on_mount(self) -> None:
        # Textual runs every class's on_mount in turn (this one first): the
        # base class's starts the fetch, so it is not called again here.
        self.query_one("#card-summary", Static).update(card_summary(self.card, None))

    def row(self, item: Any) -> dict[str, Any]:
        return user_row(item)

    def holder(self) -> Any | None:
        """The holder under the cursor, if any."""
        key = self.grid.cursor_row_key
        return self.items.get(key) if key is not None else None

    def show(self, result) -> None:
        super().show(result)
        users = list(result.data.items)
        self.query_one("#card-summary", Static).update(card_summary(self.card, users))
        self._writes = loyalty_verdict.pane_writes(self.app)  # after a write: with it
        self.explain_holder()

    def on_data_grid_cursor_moved(self, message: Any) -> None:
        self.explain_holder()

    def explain_holder(self) -> None:
        """The verdict on the holder under the cursor, above the table."""
        holder = self.holder()
        block = self.query_one("#holder-verdict", Static)
        if holder is None or self._writes is None:
            self.explanation = None
            block.display = False
            return
        self.explanation = loyalty_verdict.holder_explanation(
            self.card, holder, now=now_of(self.app), owner=owner_of(self),
            writes=self._writes)
        block.update(verdict_content(self.explanation, writable=not writes_off(self.app)))
        block.display = True

    def action_case_note(self) -> None:
        loyalty_verdict.case_note(self)
