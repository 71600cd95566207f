"""Single-use URL keys of the campaign pane: create one, create many, remove one.

A single-use URL is a coupon session made in advance for one known person
(prefilled with their name, e-mail, your own ID…), or in bulk for a mailing.
From the campaign pane:

    n  create one URL (the prefill fields are optional; the result shows and
       copies the URL and its codes)
    N  create many (up to 100000, optionally with automated validation codes:
       prefix, length, type); the count must be typed to confirm, and the
       result lists every created code and exports them (`e`)
    D  remove the single-use URL of the session under the cursor

A mixin (like `actions.CampaignWrites`) so the campaign pane only adds it to
its bases and its `WRITE_BINDINGS` to its `BINDINGS`.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from ctconsole.ui.text import plain

from .flow import start_write
from .takeaway import CreatedCodesResult, SingleUseResult

#: What `N` suggests (the API's own default when no amount is sent).
DEFAULT_AMOUNT = 10


class SingleUseWrites:
    """`singleuse.create`, `.create_many` and `.remove` from the campaign pane."""

    WRITE_BINDINGS = [
        Binding("n", "singleuse_create", "New single-use URL", show=False,
                id="singleuse.create"),
        Binding("N", "singleuse_create_many", "New single-use URLs (many)", show=False,
                id="singleuse.create_many"),
        Binding("D", "singleuse_remove", "Remove the session's single-use URL", show=False,
                id="singleuse.remove"),
    ]

    def _campaign(self) -> str:
        return str(getattr(self, "campaign_id"))

    def _su_write(self, operation: str, params: dict[str, object], title: str,
                  **options: Any) -> None:
        start_write(self, operation, params=params, title=title,  # type: ignore[arg-type]
                    client=getattr(self, "client", None), **options)

    def action_singleuse_create(self) -> None:
        campaign = self._campaign()
        self._su_write("singleuse.create", {"campaign": campaign},
                       f"New single-use URL for {plain(campaign)}", focus="firstname",
                       result_screen=SingleUseResult)

    def action_singleuse_create_many(self) -> None:
        campaign = self._campaign()
        self._su_write("singleuse.create_many", {"campaign": campaign, "amount": DEFAULT_AMOUNT},
                       f"New single-use URLs for {plain(campaign)}", focus="amount",
                       result_screen=CreatedCodesResult)

    def action_singleuse_remove(self) -> None:
        code = getattr(self, "grid").cursor_row_key
        if code is None:
            self.app.notify("No session under the cursor.", severity="warning",  # type: ignore[attr-defined]
                            markup=False)
            return
        self._su_write("singleuse.remove", {"campaign": self._campaign(), "couponsession": code},
                       f"Remove single-use URL {plain(str(code)[:6])}")
