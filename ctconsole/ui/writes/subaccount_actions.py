"""Subaccount management keys: create (home), update, password-reset and sign-on links.

Subaccounts are managed with the *main* account's credentials: the API
answers 102 to a subaccount's own key, and the engine's guard refuses such a
plan. The subaccount pane's `client` is the subaccount's own (its campaigns
are listed as it sees them), so these keys always pass the pane's
`main_client` and say "main account" explicitly.

    home:            N  create a subaccount (every field of the catalogue; password masked)
    subaccount pane: w  update it;  R  create a password-reset URL;
                     L  create a single-sign-on (login) URL, optionally to a page/campaign

The reset and sign-on links are logins: the result shows them and copies
them (`takeaway.LoginUrlResult`), and they are never journaled (the
engine redacts the answer) nor shown in a notification.
"""

from __future__ import annotations

from textual.binding import Binding

from ctconsole.ui.text import plain

from .flow import start_write
from .takeaway import CreatedSubaccountResult, LoginUrlResult


class HomeWrites:
    """`subaccount.create` from home (the subaccount list)."""

    WRITE_BINDINGS = [
        Binding("N", "subaccount_create", "New subaccount", show=False, id="subaccount.create"),
    ]

    def action_subaccount_create(self) -> None:
        start_write(self, "subaccount.create", params={}, title="New subaccount",  # type: ignore[arg-type]
                    client=getattr(self, "client", None), subaccount=None, focus="email",
                    result_screen=CreatedSubaccountResult)


class SubaccountWrites:
    """`subaccount.update`, `.reset_url` and `.sso` on the pane's subaccount."""

    WRITE_BINDINGS = [
        Binding("w", "subaccount_update", "Edit the subaccount", show=False,
                id="subaccount.update"),
        Binding("R", "subaccount_link('subaccount.reset_url')", "Password-reset URL",
                show=False, id="subaccount.reset_url"),
        Binding("L", "subaccount_link('subaccount.sso')", "Single-sign-on URL", show=False,
                id="subaccount.sso"),
    ]

    def _manage(self, operation: str, title: str, **options: object) -> None:
        sub_id = str(getattr(self, "sub_id"))
        start_write(self, operation, params={"subaccount": sub_id},  # type: ignore[arg-type]
                    title=f"{title} {plain(sub_id)}", client=getattr(self, "main_client"),
                    subaccount=None, **options)  # type: ignore[arg-type]

    def action_subaccount_update(self) -> None:
        self._manage("subaccount.update", "Edit subaccount")

    def action_subaccount_link(self, operation: str) -> None:
        if operation == "subaccount.sso":
            self._manage(operation, "Single-sign-on URL for", focus="page",
                         result_screen=LoginUrlResult)
        else:
            self._manage(operation, "Password-reset URL for", result_screen=LoginUrlResult)
