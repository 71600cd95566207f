"""The write key of a directory's users view: set a user's payment status.

In a directory that charges for access, "I paid but cannot get in" is the
usual call; the fix is `directory.user_payment` (paid until a date, or
unpaid). `w` (or `$`) on a user of the users view (`2`) opens the form with
the other status prefilled: an unpaid user becomes "paid" with the cursor in
the expiry date, a paid one "unpaid". The engine reads the user's current
status for the preview, refuses a change that changes nothing, warns when an
expiry date would be cleared, and journals the status before, which the
journal pane's undo (`J`, `u`) sets back.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from ctconsole.ui.text import plain

from .flow import start_write


class DirectoryWrites:
    """`directory.user_payment` on the user under the cursor."""

    WRITE_BINDINGS = [
        Binding("w,dollar_sign", "directory_payment", "Set payment status", show=False,
                id="directory.payment", key_display="w"),
    ]

    def action_directory_payment(self) -> None:
        if getattr(self, "view", "") != "users":
            self.app.notify("Payment status is set on a user: switch to the users (2) and "  # type: ignore[attr-defined]
                            "put the cursor on one.", severity="warning", markup=False)
            return
        key = getattr(self, "grid").cursor_row_key
        found: Any = getattr(self, "users", {}).get(key) if key is not None else None
        if found is None:
            self.app.notify("No user under the cursor (the list is empty or still loading).",  # type: ignore[attr-defined]
                            severity="warning", markup=False)
            return
        paid = found.payment_status == "paid"
        params: dict[str, object] = {"directory": str(getattr(self, "directory_id")),
                                     "user": found.id,
                                     "payment_status": "unpaid" if paid else "paid"}
        start_write(self, "directory.user_payment", params=params,  # type: ignore[arg-type]
                    title=f"Set payment status of {plain(found.id)}",
                    client=getattr(self, "client", None),
                    focus=None if paid else "expiry_date")
