"""The write keys of a loyalty card's holders pane (`LoyaltyUsersScreen`).

The everyday loyalty fixes are "add the stamp the till missed", "take back
the stamps given twice", "void the card of someone who left", and pushing a
message to one holder or to all of them. Each key prefills the write flow
(`start_write`) for the holder under the cursor, with the card's own unit
(stamps on a stamp card, points on a points card):

    +  add 1 (the field starts selected: type the number to add)
    -  remove 1 (-1 prefilled; the number must stay negative)
    X  void, or un-void a voided holder
    w  edit the holder (stamps, points, void: any of them)
    p  push a message to the holder;  P  push to every holder of the card

The direction is part of the title ("Remove stamps from lus_30010"), so a
`check` keeps the number's sign in line with it: "3" typed in a remove form
says how to write it instead of quietly adding three. The guard rails
(stamps below zero, a voided holder, a holder who never saved the card to a
wallet) are the engine's and show in the preview.
"""

from __future__ import annotations

from typing import Any, Mapping

from textual.binding import Binding

from ctconsole.ui.text import plain

from .flow import start_write

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


class LoyaltyWrites:
    """`loyalty.user_update`, `loyalty.push` and `loyalty.push_all` from the holders list."""

    WRITE_BINDINGS = [
        Binding("plus", "loyalty_balance(1)", "Add stamps/points", show=False, id="loyalty.add",
                key_display="+"),
        Binding("minus", "loyalty_balance(-1)", "Remove stamps/points", show=False,
                id="loyalty.remove", key_display="-"),
        Binding("X", "loyalty_void", "Void / un-void the holder", show=False, id="loyalty.void"),
        Binding("w", "loyalty_edit", "Edit the holder", show=False, id="loyalty.edit"),
        Binding("p", "loyalty_push", "Push to the holder", show=False, id="loyalty.push"),
        Binding("P", "loyalty_push_all", "Push to all holders", show=False,
                id="loyalty.push_all"),
    ]

    # -- what the pane knows -----------------------------------------------------

    def _card_id(self) -> str:
        return str(getattr(self, "card").id)

    def _holder(self) -> Any | None:
        """The holder under the cursor, or None (said why)."""
        key = getattr(self, "grid").cursor_row_key
        item = getattr(self, "items", {}).get(key) if key is not None else None
        if item is None:
            self.app.notify("No card holder under the cursor (the list is empty or still "  # type: ignore[attr-defined]
                            "loading).", severity="warning", markup=False)
        return item

    def _write(self, operation: str, params: dict[str, object], title: str,
               **options: Any) -> None:
        start_write(self, operation, params=params, title=title,  # type: ignore[arg-type]
                    client=getattr(self, "client", None), **options)

    # -- the keys ------------------------------------------------------------------

    def action_loyalty_balance(self, sign: int) -> None:
        user = self._holder()
        if user is None:
            return
        field = balance_field(getattr(self, "card"))
        verb = f"Add {field} to" if sign > 0 else f"Remove {field} from"
        self._write("loyalty.user_update",
                    {"loyaltycard": self._card_id(), "user": user.id, field: sign},
                    f"{verb} {plain(user.id)}", focus=field, check=sign_check(sign))

    def action_loyalty_void(self) -> None:
        user = self._holder()
        if user is None:
            return
        voided = bool(user.is_voided)
        self._write("loyalty.user_update",
                    {"loyaltycard": self._card_id(), "user": user.id, "voided": not voided},
                    f"{'Un-void' if voided else 'Void'} holder {plain(user.id)}")

    def action_loyalty_edit(self) -> None:
        user = self._holder()
        if user is None:
            return
        self._write("loyalty.user_update", {"loyaltycard": self._card_id(), "user": user.id},
                    f"Edit holder {plain(user.id)}")

    def action_loyalty_push(self) -> None:
        user = self._holder()
        if user is None:
            return
        self._write("loyalty.push", {"loyaltycard": self._card_id(), "user": user.id},
                    f"Push to holder {plain(user.id)}")

    def action_loyalty_push_all(self) -> None:
        card = getattr(self, "card")
        self._write("loyalty.push_all", {"loyaltycard": self._card_id()},
                    f"Push to all holders of {plain(card.code or card.id)}")
