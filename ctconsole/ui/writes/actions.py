"""The write keys of the panes, as mixins: each key prefills the write flow.

A pane adds the mixin to its bases and its `WRITE_BINDINGS` to its own
`BINDINGS` (Textual only merges `BINDINGS` of widget classes, so a plain
mixin's would be ignored):

    class SessionScreen(SessionWrites, ResourceScreen):
        BINDINGS = [..., *SessionWrites.WRITE_BINDINGS]

Each action only decides what to prefill and calls `start_write` (or
`PaneWrites.write`), which refuses in read-only or offline mode with the
reason, and otherwise opens the form → preview → confirm → result flow.
The keys are capitals or letters no list uses (`?` lists them with ids).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from textual.binding import Binding

from ctconsole.ui.formats import count_of
from ctconsole.ui.text import plain

from .flow import WriteFlow, start_write

#: What to say when a bulk write is asked for with nothing marked.
MARK_FIRST = ("Mark sessions first: space marks a row, v marks a range, ctrl+a marks every "
              "row shown (after a filter); u clears the marks.")


class PaneWrites:
    """Shared by the write mixins: start a write from this pane."""

    def write(self, operation: str, params: Mapping[str, object], title: str, *,
              fixed: Iterable[str] | None = None, before: Mapping[str, Any] | None = None,
              ) -> WriteFlow | None:
        return start_write(self, operation, params=params, title=title,  # type: ignore[arg-type]
                           client=getattr(self, "client", None), fixed=fixed, before=before)

    def not_yet(self, what: str) -> None:
        self.app.notify(plain(what), severity="warning", markup=False)  # type: ignore[attr-defined]


class SessionWrites(PaneWrites):
    """`session.update` and `campaign.push` from the session pane."""

    WRITE_BINDINGS = [
        Binding("w", "write_session('edit')", "Edit", show=False, id="session.edit"),
        Binding("V", "write_session('validate')", "Validate", show=False, id="session.validate"),
        Binding("C", "write_session('claim')", "Claim", show=False, id="session.claim"),
        Binding("X", "write_session('void')", "Void / un-void", show=False, id="session.void"),
        Binding("L", "write_session('lock')", "Lock / unlock", show=False, id="session.lock"),
        Binding("p", "push_session", "Push a message", show=False, id="session.push"),
    ]

    def _status(self) -> Any:
        result = getattr(self, "result", None)
        return result.data.data.status if result is not None else None

    def action_write_session(self, kind: str) -> None:
        code = str(getattr(self, "session_code"))
        short = plain(code[:6])
        params: dict[str, object] = {"couponsession": code}
        status = self._status()
        if kind in ("void", "lock") and status is None:
            self.not_yet("The session is still loading; try again when it is shown.")
            return
        if kind == "validate":
            params["validated"] = True
            title = f"Validate session {short}"
        elif kind == "claim":
            params["claimed"] = True
            title = f"Claim session {short}"
        elif kind == "void":
            voided = bool(status.voided)
            params["voided"] = not voided
            title = f"{'Un-void' if voided else 'Void'} session {short}"
        elif kind == "lock":
            locked = bool(status.locked)
            params["locked"] = not locked
            title = f"{'Unlock' if locked else 'Lock'} session {short}"
        else:
            title = f"Edit session {short}"
        self.write("session.update", params, title)

    def action_push_session(self) -> None:
        result = getattr(self, "result", None)
        if result is None or not result.data.campaign:
            self.not_yet("The session is still loading (its campaign is needed for a push).")
            return
        code = str(getattr(self, "session_code"))
        self.write("campaign.push", {"campaign": result.data.campaign, "couponsession": code},
                   f"Push to session {plain(code[:6])}")


class CampaignWrites(PaneWrites):
    """Bulk session writes on the marked rows, and pushes, from the campaign pane."""

    WRITE_BINDINGS = [
        Binding("w", "write_marked('edit')", "Edit marked", show=False, id="campaign.edit_marked"),
        Binding("V", "write_marked('validate')", "Validate marked", show=False,
                id="campaign.validate_marked"),
        Binding("C", "write_marked('claim')", "Claim marked", show=False,
                id="campaign.claim_marked"),
        Binding("X", "write_marked('void')", "Void / un-void marked", show=False,
                id="campaign.void_marked"),
        Binding("p", "push_one", "Push to the session", show=False, id="campaign.push"),
        Binding("P", "push_all", "Push to all", show=False, id="campaign.push_all"),
    ]

    def _marked_rows(self) -> list[dict[str, Any]]:
        grid = getattr(self, "grid")
        return grid.model.records(grid.marked_keys)

    def action_write_marked(self, kind: str) -> None:
        rows = self._marked_rows()
        if not rows:
            self.not_yet(MARK_FIRST)
            return
        codes = [str(r["session"]) for r in rows]
        params: dict[str, object] = {"couponsessions": codes}
        count = count_of(len(codes), "session")
        if kind == "validate":
            params["validated"] = True
            title = f"Validate {count}"
        elif kind == "claim":
            params["claimed"] = True
            title = f"Claim {count}"
        elif kind == "void":
            all_void = all(r.get("state") == "voided" for r in rows)
            params["voided"] = not all_void
            title = f"{'Un-void' if all_void else 'Void'} {count}"
        else:
            title = f"Edit {count}"
        self.write("session.update_many", params, title)

    def action_push_one(self) -> None:
        code = getattr(self, "grid").cursor_row_key
        if code is None:
            self.not_yet("No session under the cursor.")
            return
        campaign = str(getattr(self, "campaign_id"))
        self.write("campaign.push", {"campaign": campaign, "couponsession": code},
                   f"Push to session {plain(code[:6])}")

    def action_push_all(self) -> None:
        campaign = str(getattr(self, "campaign_id"))
        self.write("campaign.push_all", {"campaign": campaign}, f"Push to all of {campaign}")
